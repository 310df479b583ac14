"""Sentence search: one interface, two indexes (SQLite FTS5, PostgreSQL tsvector), chosen from the database URL.

Queries are built from quoted words only: `match_expression` writes phrases in double quotes joined by AND/OR
(FTS5's syntax), and nothing a user types can become operators on either backend. Both backends read the newest
matching window through their index (FTS5 by rowid, PostgreSQL by the GIN index and the primary key), and the
window is ranked here, by BM25 with document counts from the `terms` table that ingest keeps: ranking never
scores the whole match set, so its cost does not follow the corpus, and both backends rank alike.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from bot.store.words import stem, stems, words

MAX_CANDIDATES = 1000
BM25_K1 = 1.2
BM25_B = 0.75


@dataclass(frozen=True)
class Group:
    """One thing the user asked about, with every word or phrase that counts as finding it."""

    label: str
    alternatives: tuple[str, ...]
    wants: tuple[str, ...] = ()
    period: tuple[str, ...] = ()
    # Words of the articles close in meaning to the user's ("unveiled" for "released"): searched for, and they
    # count as half a match in a sentence, but never say what a figure measures.
    related: tuple[str, ...] = ()

    @cached_property
    def stem_sets(self) -> list[frozenset[str]]:
        return [frozenset(stems(a)) for a in self.alternatives if stems(a)]

    @cached_property
    def related_stems(self) -> frozenset[str]:
        return frozenset(s for a in self.related for s in stems(a))

    def matched_by(self, sentence_stems: Set[str]) -> bool:
        return any(s <= sentence_stems for s in self.stem_sets)

    def coverage(self, sentence_stems: Set[str]) -> float:
        """1 for the user's own words, 0.5 for a related word of the articles, else 0."""
        if self.matched_by(sentence_stems):
            return 1.0
        return 0.5 if self.related_stems & sentence_stems else 0.0


# -- expressions: quoted phrases joined by AND / OR, with parentheses ----------------------------------------


def _phrase(alternative: str) -> str | None:
    """A quoted phrase of the words alone; nothing a user types can become search syntax."""
    tokens = words(alternative)
    if not tokens:
        return None
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def group_expression(group: Group) -> str | None:
    phrases = sorted({p for a in (*group.alternatives, *group.related) if (p := _phrase(a))})
    if not phrases:
        return None
    return "(" + " OR ".join(phrases) + ")"


def match_expression(groups: list[Group], mode: str = "AND") -> str | None:
    parts = [e for g in groups if (e := group_expression(g))]
    if not parts:
        return None
    return f" {mode} ".join(parts)


def alias_group(names: list[str]) -> Group:
    return Group("name", tuple(dict.fromkeys(names)))


_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"|(AND)\b|(OR)\b|(\()|(\)))')


class ExpressionError(ValueError):
    """An expression that `match_expression` could not have written."""


@dataclass(frozen=True)
class Node:
    op: str  # "phrase", "AND", "OR"
    phrase: str = ""
    parts: tuple[Node, ...] = ()

    def phrases(self) -> list[str]:
        return [self.phrase] if self.op == "phrase" else [p for part in self.parts for p in part.phrases()]


def parse(expression: str) -> Node:
    """The tree of an expression: phrases, AND binding tighter than OR (as in FTS5), parentheses."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    stripped = expression.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if m is None:
            raise ExpressionError(f"not a search expression at {pos}")
        phrase, and_, or_, open_, _close = m.groups()
        tokens.append(("phrase", phrase.replace('""', '"')) if phrase is not None else
                      ("AND", "") if and_ else ("OR", "") if or_ else ("(", "") if open_ else (")", ""))
        pos = m.end()
    node, rest = _or(tokens)
    if rest:
        raise ExpressionError("unbalanced search expression")
    return node


def _or(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    parts = []
    node, tokens = _and(tokens)
    parts.append(node)
    while tokens and tokens[0][0] == "OR":
        node, tokens = _and(tokens[1:])
        parts.append(node)
    return (parts[0] if len(parts) == 1 else Node("OR", parts=tuple(parts))), tokens


def _and(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    parts = []
    node, tokens = _atom(tokens)
    parts.append(node)
    while tokens and tokens[0][0] == "AND":
        node, tokens = _atom(tokens[1:])
        parts.append(node)
    return (parts[0] if len(parts) == 1 else Node("AND", parts=tuple(parts))), tokens


def _atom(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    if not tokens:
        raise ExpressionError("search expression ends early")
    kind, value = tokens[0]
    if kind == "phrase":
        return Node("phrase", phrase=value), tokens[1:]
    if kind == "(":
        node, rest = _or(tokens[1:])
        if not rest or rest[0][0] != ")":
            raise ExpressionError("unbalanced search expression")
        return node, rest[1:]
    raise ExpressionError(f"unexpected {kind} in search expression")


def tsquery_sql(node: Node, params: dict[str, str]) -> str:
    """PostgreSQL tsquery SQL for a tree: each phrase a bound `phraseto_tsquery('english', …)`, joined by the
    tsquery operators && and ||. The phrase text is a parameter, so it is only ever words."""
    if node.op == "phrase":
        name = f"p{len(params)}"
        params[name] = node.phrase
        return f"phraseto_tsquery('english', :{name})"
    joiner = " && " if node.op == "AND" else " || "
    return "(" + joiner.join(tsquery_sql(part, params) for part in node.parts) + ")"


# -- backends ---------------------------------------------------------------------------------------------


class SearchBackend(Protocol):
    def candidate_sentences(self, session: Session, expression: str, *, limit: int) -> list[int]:
        """Ids of the newest `limit` sentences matching `expression`, newest first, read through the index."""
        ...


class Fts5Search:
    """SQLite: the external-content FTS5 table `sentences_fts`, walked in rowid order."""

    def candidate_sentences(self, session: Session, expression: str, *, limit: int) -> list[int]:
        # FTS5 walks its index in rowid order and stops at the limit: the same cost on 100 or 100,000 articles.
        sql = "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH :q ORDER BY rowid DESC LIMIT :limit"
        return [int(r[0]) for r in session.execute(text(sql), {"q": expression, "limit": limit})]


class TsvectorSearch:
    """PostgreSQL: the generated `sentences.search_vector` (English configuration) and its GIN index."""

    def candidate_sentences(self, session: Session, expression: str, *, limit: int) -> list[int]:
        params: dict[str, Any] = {}
        query = tsquery_sql(parse(expression), params)
        sql = f"SELECT id FROM sentences WHERE search_vector @@ {query} ORDER BY id DESC LIMIT :limit"
        return [int(r[0]) for r in session.execute(text(sql), {**params, "limit": limit})]


_BACKENDS: dict[str, SearchBackend] = {"sqlite": Fts5Search(), "postgresql": TsvectorSearch()}


def backend_for(session: Session) -> SearchBackend:
    """The search implementation for the session's database (its URL's dialect)."""
    dialect = session.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise RuntimeError(f"no full-text search for {dialect} databases (use SQLite or PostgreSQL)") from None


def candidate_sentences(session: Session, expression: str, *, limit: int = MAX_CANDIDATES) -> list[int]:
    """Ids of sentences matching `expression`, newest first.

    The caller ranks the window it gets, and narrows the expression (AND before OR, names as a group) to make
    the window count.
    """
    return backend_for(session).candidate_sentences(session, expression, limit=limit)


# -- ranking inside the window ----------------------------------------------------------------------------

_corpus_sizes: dict[tuple[str, int], int] = {}


def corpus_size(session: Session) -> int:
    """The number of articles, counted once per corpus version (the newest article id)."""
    newest = session.execute(text("SELECT max(id) FROM articles")).scalar_one() or 0
    key = (str(session.get_bind().engine.url), int(newest))
    if key not in _corpus_sizes:
        if len(_corpus_sizes) > 64:
            _corpus_sizes.clear()
        _corpus_sizes[key] = int(session.execute(text("SELECT count(*) FROM articles")).scalar_one())
    return _corpus_sizes[key]


def term_weights(session: Session, query_words: list[str]) -> dict[str, float]:
    """query stem -> BM25 idf, from the article counts ingest keeps per word (`terms`): primary-key reads."""
    lowered = sorted({w.lower() for w in query_words})
    if not lowered:
        return {}
    total = max(corpus_size(session), 1)
    sql = text("SELECT term, df FROM terms WHERE term IN :terms").bindparams(bindparam("terms", expanding=True))
    df = {str(t): int(n) for t, n in session.execute(sql, {"terms": lowered})}
    weights: dict[str, float] = {}
    for word in lowered:
        n = min(df.get(word, 0), total)
        idf = math.log((total - n + 0.5) / (n + 0.5) + 1.0)
        key = stem(word)
        weights[key] = max(weights.get(key, 0.0), idf)
    return weights


def bm25_scores(texts: dict[int, str], weights: dict[str, float]) -> dict[int, float]:
    """BM25 of each sentence for the weighted query stems; lengths relative to the window's mean."""
    if not texts:
        return {}
    counted = {sid: Counter(stems(t)) for sid, t in texts.items()}
    mean = sum(sum(c.values()) for c in counted.values()) / len(counted) or 1.0
    scores: dict[int, float] = {}
    for sid, counts in counted.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * sum(counts.values()) / mean)
        scores[sid] = sum(w * counts[s] * (BM25_K1 + 1) / (counts[s] + norm) for s, w in weights.items() if counts[s])
    return scores


def ranked_window(session: Session, expression: str, *, limit: int) -> list[tuple[int, float]]:
    """The newest `limit` matches ranked best first: (sentence id, score), lower is better (as FTS5's bm25).

    The window comes through the index; the score is BM25 computed for the window's sentences only, with term
    weights from cached document counts, so no query scores every match in the corpus.
    """
    ids = candidate_sentences(session, expression, limit=limit)
    if not ids:
        return []
    weights = term_weights(session, [w for p in parse(expression).phrases() for w in words(p)])
    sql = text("SELECT id, text FROM sentences WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    texts = {int(sid): str(t) for sid, t in session.execute(sql, {"ids": ids})}
    scores = bm25_scores(texts, weights)
    # Ties keep the newer sentence first, so the order is the same on every run and every backend.
    return sorted(((sid, -scores.get(sid, 0.0)) for sid in ids), key=lambda r: (r[1], -r[0]))
