"""Sentence search: one interface, two indexes (SQLite FTS5, PostgreSQL tsvector), chosen from the database URL.

Queries are built from quoted words only: `match_expression` writes phrases in double quotes joined by AND/OR
(FTS5's syntax), and nothing a user types can become operators on either backend. Both backends read the newest
matching window through their index (FTS5 by rowid, PostgreSQL by the GIN index and the primary key), and the
window is ranked here, by BM25 with document counts from the `terms` table that ingest keeps: ranking never
scores the whole match set, so its cost does not follow the corpus, and both backends rank alike.

Finding the window is bounded too. An index stops at the limit only when matches come often; an AND of common
words that seldom meet, or a phrase of common words that is absent, makes it read whole posting lists, a cost
that grows with the corpus. Such expressions (`_cheap` tells them from the word counts) are evaluated here over
the newest span of the index, word by word (`_bounded`), and handed to the index only when that span shows the
matches come often enough for it to stop early.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Protocol

from sqlalchemy import Integer, bindparam, text
from sqlalchemy.orm import Session

from bot.store.packed import PackedText
from bot.store.words import STOPWORDS, stem, stems, words

MAX_CANDIDATES = 1000
# Searches the index cannot bound (see `_cheap`; a word is common when more than COMMON_ARTICLES articles use it)
# are evaluated over the newest span that PROBE_WINDOW sentences of their anchor words reach, no word read for more
# than SPAN_CAP sentences; an AND checks a part on the sentences' text once CHECK_ON_TEXT or fewer remain.
COMMON_ARTICLES = 2_000
PROBE_WINDOW = 100
SPAN_CAP = 20_000
CHECK_ON_TEXT = 200
DENSE_DEPTH = 1_000_000
LOOSE_READS = 32
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


# Sentences' texts by id (unpacked on SQLite by the column's type).
_TEXTS = (text("SELECT id, text FROM sentences WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
          .columns(id=Integer(), text=PackedText()))
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def folded(text_: str) -> str:
    """Text without diacritics, as the index tokenizes it (`remove_diacritics`): "Société" reads "Societe"."""
    return text_ if text_.isascii() else _COMBINING.sub("", unicodedata.normalize("NFKD", text_))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def essential_alternatives(alternatives: Iterable[str]) -> list[str]:
    """The alternatives an OR needs: one per stem sequence, and none that contains another's stems in order.

    A sentence with "Alibaba Group Holding" has "Alibaba" too, so ORing both finds the same sentences; the longer
    phrase only costs the index its position lists (most of a broad search's time). "quarters" and "quarter"
    stem alike and are searched once.
    """
    by_stems: dict[tuple[str, ...], str] = {}
    for alternative in sorted(alternatives, key=lambda a: (len(words(a)), a)):
        key = tuple(stems(alternative))
        if key and key not in by_stems and not any(_contains(key, kept) for kept in by_stems):
            by_stems[key] = alternative
    return sorted(by_stems.values())


def group_expression(group: Group) -> str | None:
    phrases = sorted({p for a in essential_alternatives((*group.alternatives, *group.related)) if (p := _phrase(a))})
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

    @cached_property
    def _needle(self) -> str:
        return " " + " ".join(stems(folded(self.phrase))) + " "

    def matches(self, sentence: str) -> bool:
        """Whether a sentence matches, given as `stem_line(text)`: a phrase's stems must stand together, in order."""
        if self.op == "phrase":
            return self._needle.strip() != "" and self._needle in sentence
        found = (part.matches(sentence) for part in self.parts)
        return any(found) if self.op == "OR" else all(found)


def key_words(phrase: str) -> list[str]:
    """The words of a phrase that a sentence must have to hold it (stop words only when it has nothing else)."""
    tokens = [t.lower() for t in words(phrase)]
    return list(dict.fromkeys([t for t in tokens if t not in STOPWORDS] or tokens))


@lru_cache(maxsize=8192)
def stem_line(text_: str) -> str:
    """A sentence's stems in order, space-separated and space-bounded, for `Node.matches`."""
    return " " + " ".join(stems(folded(text_))) + " "


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


_phrase_queries: dict[str, str] = {}


def phrase_queries(session: Session, phrases: list[str]) -> dict[str, str]:
    """phrase -> the text of `phraseto_tsquery('english', phrase)` (its lexemes as the index holds them, quoted by
    the server; "" for a phrase of stop words only), asked of the server once per phrase and process."""
    missing = sorted({p for p in phrases if p not in _phrase_queries})
    if missing:
        if len(_phrase_queries) > 4096:
            _phrase_queries.clear()
        sql = text("SELECT p, phraseto_tsquery('english', p)::text FROM unnest(CAST(:phrases AS text[])) AS p")
        _phrase_queries.update({str(p): str(q) for p, q in session.execute(sql, {"phrases": missing})})
    return {p: _phrase_queries[p] for p in phrases}


def tsquery_text(node: Node, queries: dict[str, str]) -> str:
    """The tsquery of a tree as text: each phrase as the server normalised it, joined by & and |. Alternatives that
    stem alike ("quarter", "quarters") appear once: the index reads the same postings either way, but each match
    test evaluates the whole query. A phrase of stop words only drops out, as `&&` and `||` drop it."""
    if node.op == "phrase":
        return f"({queries[node.phrase]})" if queries[node.phrase] else ""
    parts = list(dict.fromkeys(t for part in node.parts if (t := tsquery_text(part, queries))))
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return "(" + (" & " if node.op == "AND" else " | ").join(parts) + ")"


# -- one lookup's reads --------------------------------------------------------------------------------------

_LOOKUP = "search.lookup"


@contextmanager
def lookup(session: Session) -> Iterator[None]:
    """One read-only lookup: what it reads of the index (the newest ids, each search's matches) is kept until it
    ends. A lookup asks the same search more than once (figures, then passages, of the same words), and answers as
    of its first read; nothing outlives it, so the next lookup reads every article added since."""
    if _LOOKUP in session.info:
        yield
        return
    session.info[_LOOKUP] = {}
    try:
        yield
    finally:
        session.info.pop(_LOOKUP, None)


def _reads(session: Session) -> dict[Any, Any] | None:
    """The open lookup's reads, or None outside a lookup."""
    return session.info.get(_LOOKUP)


def _newest(session: Session, table: str) -> int | None:
    """max(id) of `articles` or `sentences`, read once per lookup."""
    reads = _reads(session)
    if reads is not None and ("newest", table) in reads:
        return reads[("newest", table)]
    value = session.execute(text(f"SELECT max(id) FROM {table}")).scalar_one()
    newest = None if value is None else int(value)
    if reads is not None:
        reads[("newest", table)] = newest
    return newest


@dataclass
class _Known:
    """Every match of one search with an id in (lo, hi], newest first."""

    hi: int
    lo: int
    ids: list[int]


def _remembered(session: Session, key: tuple[Any, ...], limit: int) -> list[int] | None:
    """The first `limit` ids of a read made before in this lookup, if that read holds them: it asked for as many or
    more, or it found fewer than it asked for (every match there is)."""
    reads = _reads(session)
    if reads is None or key not in reads:
        return None
    asked, ids = reads[key]
    return ids[:limit] if asked >= limit or len(ids) < asked else None


def _remember(session: Session, key: tuple[Any, ...], limit: int, ids: list[int]) -> None:
    reads = _reads(session)
    if reads is not None and (key not in reads or reads[key][0] < limit):
        reads[key] = (limit, list(ids))  # a copy: callers extend the lists they get


# -- backends ---------------------------------------------------------------------------------------------


class SearchBackend(Protocol):
    # Whether the backend bounds the work of any expression itself (the search layer then never splits one).
    bounds_itself: bool
    def candidate_sentences(self, session: Session, expression: str, *, limit: int, floor: int = 0,
                            deep: bool = True) -> list[int]:
        """Ids of the newest `limit` sentences matching `expression` from id `floor` up, newest first, read
        through the index (which stops at the limit or at the floor). `deep=False` (for a backend that bounds
        its own work) says the expression's parts are all common: a short newest span is enough."""
        ...


class Fts5Search:
    """SQLite: the external-content FTS5 table `sentences_fts`, walked in rowid order."""

    bounds_itself = False

    def candidate_sentences(self, session: Session, expression: str, *, limit: int, floor: int = 0,
                            deep: bool = True) -> list[int]:
        # Straight through the driver, in the session's transaction: a word's postings may be thousands of ids,
        # and rows made one by one would cost more than the search.
        # The newest `limit` matches from the floor up: a read that asked for more holds them.
        key = ("fts5", expression, floor)
        ids = _remembered(session, key, limit)
        if ids is not None:
            return ids
        sql = "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? AND rowid >= ? ORDER BY rowid DESC LIMIT ?"
        driver = session.connection().connection.driver_connection
        assert driver is not None
        ids = [r[0] for r in driver.execute(sql, (expression, floor, limit)).fetchall()]
        _remember(session, key, limit, ids)
        return ids


class TsvectorSearch:
    """PostgreSQL: the generated `sentences.search_vector` (English configuration) and its GIN index.

    Left to itself the planner walks the primary key backwards for any words it rates common, and for words that
    are each common but seldom meet that walk reads the whole table. So each read here has a plan the statement
    fixes, chosen from what the newest rows showed:

    1. the newest `RECENT_ROWS` sentences, walked by primary key and filtered (bounded work); enough when the
       words meet often;
    2. when they met, but less often than `limit` needs, the walk goes on for as many rows as that rate says the
       rest needs, if that is at most `MAX_WALK` rows;
    3. otherwise the GIN index gives every older match (a bitmap scan: work in proportion to the words' postings
       and to matches, which the first steps showed are rare, never to the table), and the newest are kept.

    Each step reads only below the one before, so the ids come newest first, as one ORDER BY id DESC would give.
    """

    RECENT_ROWS = 10_000
    MAX_WALK = 100_000
    # Parts that are all common (the search layer says so with deep=False) are not read from the GIN index, whose
    # posting lists for common words grow with the corpus: the matches among the newest rows are the window.
    SHALLOW_WALK = 30_000
    bounds_itself = True

    def candidate_sentences(self, session: Session, expression: str, *, limit: int, floor: int = 0,
                            deep: bool = True) -> list[int]:
        tree = parse(expression)
        tsquery = tsquery_text(tree, phrase_queries(session, tree.phrases()))
        newest = _newest(session, "sentences")
        if not tsquery or newest is None or limit <= 0:
            return []  # no lexemes: matches nothing, as an empty tsquery does
        # The query's lexemes come quoted by the server; the text is a parameter all the same.
        params: dict[str, Any] = {"tsquery": tsquery}
        query = "CAST(:tsquery AS tsquery)"
        lowest = max(floor - 1, 0)  # ids above this one are read
        top, below = int(newest), max(int(newest) - self.RECENT_ROWS, lowest)
        ids = self._matches(session, self._walk, query, params, top, below, limit)
        walk = self.MAX_WALK if deep else self.SHALLOW_WALK
        if len(ids) < limit and below > lowest and ids:
            # The rate the window showed, twice over, for the matches still wanted.
            span = min(2 * (limit - len(ids)) * self.RECENT_ROWS // len(ids), below - lowest)
            if span <= walk:  # (a floor that near is walked down to, however rare the matches)
                top, below = below, max(below - span, lowest)
                ids += self._matches(session, self._walk, query, params, top, below, limit - len(ids))
            elif not deep:
                top, below = below, max(below - walk, lowest)
                ids += self._matches(session, self._walk, query, params, top, below, limit - len(ids))
        if len(ids) < limit and below > lowest and deep:
            ids += self._matches(session, self._older, query, params, below, lowest, limit - len(ids))
        return ids

    @staticmethod
    def _matches(session: Session, read: Callable[..., list[int]], query: str, params: dict[str, Any], top: int,
                 floor: int, limit: int) -> list[int]:
        """The newest `limit` matches with ids in (floor, top], as `read` (the walk or the GIN index) gives them.
        In a lookup, the matches of each search read so far are kept, every one from the newest id down to where
        its reads reached: a range they cover is answered from them, and only the part below is read."""
        reads = _reads(session)
        if reads is None:
            return read(session, query, params, top, floor, limit)
        known = reads.setdefault(("tsquery", query, tuple(sorted(params.items()))), _Known(top, top, []))
        if not known.lo <= top <= known.hi:
            return read(session, query, params, top, floor, limit)
        ids = [i for i in known.ids if floor < i <= top][:limit]
        if len(ids) == limit or known.lo <= floor:
            return ids
        more = read(session, query, params, known.lo, floor, limit - len(ids))
        known.ids += more
        known.lo = floor if len(more) < limit - len(ids) else more[-1] - 1
        return ids + more

    @staticmethod
    def _walk(session: Session, query: str, params: dict[str, Any], top: int, floor: int, limit: int) -> list[int]:
        """Matches among ids in (floor, top], newest first, by the primary key: OFFSET 0 keeps the match condition
        out of the subquery, so the range is read in id order and filtered until `limit` rows match."""
        sql = (f"SELECT id FROM (SELECT id, search_vector FROM sentences WHERE id > :floor AND id <= :top "
               f"ORDER BY id DESC OFFSET 0) AS r WHERE search_vector @@ {query} LIMIT :limit")
        return [int(r[0]) for r in session.execute(text(sql), {**params, "top": top, "floor": floor, "limit": limit})]

    @staticmethod
    def _older(session: Session, query: str, params: dict[str, Any], top: int, lowest: int,
               limit: int) -> list[int]:
        """The newest `limit` matches with ids in (lowest, top], from the GIN index. MATERIALIZED keeps the primary key
        out of the match read, and for this statement alone the planner may not scan the table instead (it does
        when it rates the words common, though together they are rare: the steps before showed they are)."""
        sql = (f"WITH m AS MATERIALIZED (SELECT id FROM sentences WHERE search_vector @@ {query} AND id <= :top "
               f"AND id > :lowest) "
               f"SELECT id FROM m ORDER BY id DESC LIMIT :limit")
        before = session.execute(text(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), current_setting('jit'), "
            "current_setting('max_parallel_workers_per_gather'), set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true), "
            "set_config('max_parallel_workers_per_gather', '0', true)")).one()
        try:
            ids = [int(r[0]) for r in session.execute(text(sql), {**params, "top": top, "lowest": lowest,
                                                                    "limit": limit})]
        finally:
            session.execute(text("SELECT set_config('enable_seqscan', :seq, true), "
                                 "set_config('enable_indexscan', :index, true), set_config('jit', :jit, true), "
                                 "set_config('max_parallel_workers_per_gather', :workers, true)"),
                            {"seq": before[0], "index": before[1], "jit": before[2], "workers": before[3]})
        return ids


_BACKENDS: dict[str, SearchBackend] = {"sqlite": Fts5Search(), "postgresql": TsvectorSearch()}


def backend_for(session: Session) -> SearchBackend:
    """The search implementation for the session's database (its URL's dialect)."""
    dialect = session.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise RuntimeError(f"no full-text search for {dialect} databases (use SQLite or PostgreSQL)") from None


def document_counts(session: Session, words_: Iterable[str]) -> dict[str, int]:
    """word (lower case) -> the number of articles using it, from the `terms` table ingest keeps."""
    lowered = sorted({w.lower() for w in words_})
    if not lowered:
        return {}
    sql = text("SELECT term, df FROM terms WHERE term IN :terms").bindparams(bindparam("terms", expanding=True))
    return {str(t): int(n) for t, n in session.execute(sql, {"terms": lowered})}


_stem_counts: dict[tuple[str, int], dict[str, int]] = {}


def stem_counts(session: Session) -> dict[str, int]:
    """stem -> about how many articles use a word of it (the sum over its words in `terms`), read once per corpus
    version: the index searches stems, so "manager" costs what "manager", "managers" and "management" cost."""
    newest = _newest(session, "articles") or 0
    key = (str(session.get_bind().engine.url), int(newest))
    counts = _stem_counts.get(key)
    if counts is None:
        counts = {}
        for term, df in session.execute(text("SELECT term, df FROM terms")):
            counts[stem(str(term))] = counts.get(stem(str(term)), 0) + int(df)
        if len(_stem_counts) > 8:
            _stem_counts.clear()
        _stem_counts[key] = counts
    return counts


def _counted(word: str) -> bool:
    """Whether ingest counts this word in `terms` (the rule of `reading.analysis`); others have no count."""
    return (word.isalpha() and 2 < len(word) < 40) or (word.isdigit() and len(word) <= 6)


class _Span:
    """One bounded search: the newest part of the index, from `floor` up, read word by word."""

    def __init__(self, backend: SearchBackend, session: Session, df: dict[str, int]) -> None:
        # df: stem -> article count (`stem_counts`)
        self.backend, self.session, self.df = backend, session, df
        self.floor = 0
        self.postings: dict[str, set[int]] = {}
        self.texts: dict[int, str] = {}

    def count(self, node: Node) -> float:
        """About how many articles match a part: a phrase its rarest key word, an OR the sum, an AND the least."""
        if node.op == "phrase":
            return min((self.word_count(w) for w in key_words(node.phrase)), default=0)
        counts = [self.count(part) for part in node.parts]
        return sum(counts) if node.op == "OR" else min(counts)

    def word_count(self, word: str) -> float:
        # A word ingest does not count in `terms` ("e", "AI") is taken as common.
        return self.df.get(stem(word), 0) if _counted(word) else math.inf

    def anchor(self, node: Node) -> set[str]:
        """Words of which every match of `node` has one: a phrase's rarest, an OR's all, an AND's rarest part's."""
        if node.op == "phrase":
            keys = key_words(node.phrase)
            return {min(keys, key=lambda w: (self.word_count(w), w))} if keys else set()
        if node.op == "OR":
            return set().union(*(self.anchor(part) for part in node.parts))
        return self.anchor(min(node.parts, key=self.count))

    def read(self, word: str) -> set[int]:
        """Sentences with `word` from the floor up; a word too common to read that far raises the floor."""
        if word not in self.postings:
            ids = self.backend.candidate_sentences(self.session, _quoted(word), limit=SPAN_CAP, floor=self.floor)
            if len(ids) == SPAN_CAP:
                self.floor = max(self.floor, ids[-1])
            self.postings[word] = set(ids)
        return self.postings[word]

    def line(self, sid: int) -> str:
        return self.texts.get(sid, "")

    def load(self, ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in self.texts]
        if missing:
            self.texts.update((int(sid), stem_line(t)) for sid, t in self.session.execute(_TEXTS, {"ids": missing}))

    def evaluate(self, node: Node) -> set[int]:
        """Sentences from the floor up that have every key word of some alternative (phrases checked later); an
        AND checks its commoner parts on the few sentences left rather than reading their postings."""
        if node.op == "phrase":
            found: set[int] | None = None
            for word in sorted(key_words(node.phrase), key=lambda w: (self.word_count(w), w)):
                found = self.read(word) if found is None else found & self.read(word)
                if not found:
                    break
            return set(found or ())
        if node.op == "OR":
            return set().union(*(self.evaluate(part) for part in node.parts))
        parts = sorted(node.parts, key=self.count)
        found = self.evaluate(parts[0])
        for part in parts[1:]:
            if not found:
                break
            if len(found) <= CHECK_ON_TEXT or (len(found) <= 5 * CHECK_ON_TEXT and self.count(part) == math.inf):
                self.load(found)
                found = {i for i in found if part.matches(self.line(i))}
            else:
                found &= self.evaluate(part)
        return found


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _cheap(span: _Span, node: Node) -> bool:
    """Whether the index's own evaluation stays cheap on any corpus: no phrase of common words (the index reads
    the positions of every sentence that has them all), and no AND of parts that are all common (the index reads
    their whole posting lists to learn that they seldom meet)."""
    if node.op == "phrase":
        keys = key_words(node.phrase)
        return len(words(node.phrase)) <= 1 or any(span.word_count(w) < COMMON_ARTICLES for w in keys)
    if not all(_cheap(span, part) for part in node.parts):
        return False
    return node.op == "OR" or any(span.count(part) < COMMON_ARTICLES for part in node.parts)


def _loose(phrase: str) -> bool:
    """A phrase of several words. The SQLite index keeps no word positions (they would be a fifth of the database,
    and where a phrase of common words is absent, reading them costs a pass over every sentence that has its
    words), so a phrase is searched as the AND of its key words and checked on the sentence, on both backends."""
    return len(words(phrase)) > 1


def _relaxed(node: Node) -> str:
    """The expression with each phrase of several words as the AND of its key words: found through posting lists
    alone, a superset that `_exact` narrows."""
    if node.op == "phrase":
        keys = [_quoted(w) for w in key_words(node.phrase)] or ['""']
        return keys[0] if len(keys) == 1 else "(" + " AND ".join(keys) + ")"
    return "(" + f" {node.op} ".join(_relaxed(part) for part in node.parts) + ")"


def _exact(span: _Span, ids: list[int], node: Node, limit: int) -> list[int]:
    """The first `limit` of `ids` (newest first) that match `node` itself, phrases included."""
    if not any(_loose(p) for p in node.phrases()):
        return ids[:limit]
    kept: list[int] = []
    for start in range(0, len(ids), limit):
        chunk = ids[start:start + limit]
        span.load(chunk)
        kept += [i for i in chunk if node.matches(span.line(i))]
        if len(kept) >= limit:
            break
    return kept[:limit]


def _through_index(span: _Span, node: Node, limit: int, deep: bool = True) -> list[int]:
    """The index evaluates the expression itself, phrases as their key words, checked here the same on both
    backends (PostgreSQL's own phrase query drops a stop word and lets any word stand in its place); when a
    phrase's words stand apart in most sentences, the index is read further, up to LOOSE_READS times the limit."""
    relaxed = _relaxed(node)
    if not any(_loose(p) for p in node.phrases()):
        return span.backend.candidate_sentences(span.session, relaxed, limit=limit, deep=deep)
    wanted = 2 * limit
    while True:
        found = span.backend.candidate_sentences(span.session, relaxed, limit=wanted, deep=deep)
        kept = _exact(span, found, node, limit)
        if len(kept) >= limit or len(found) < wanted or wanted >= LOOSE_READS * limit:
            return kept
        wanted *= 4


def _bounded(span: _Span, node: Node, limit: int) -> list[int]:
    """The newest `limit` matches of `node`, with the work bounded by a probe of the newest end of the index.

    Every match has one of the anchor words; their newest `window` sentences reach down to a floor, above which
    each word of the expression is read (the index stops at the floor, so a read is as long as the word's
    matches in the span, whatever the corpus) and the expression is evaluated exactly. When that finds fewer
    than `limit`, it also tells how dense the matches are: dense enough, the index evaluates the expression
    itself, phrases as their words (it stops at the limit, within DENSE_DEPTH sentences); otherwise the span
    deepens once, and what lies deeper is left to the caller's OR search.
    """
    anchor = " OR ".join(_quoted(w) for w in sorted(span.anchor(node)))
    if not anchor:
        return []
    kept: list[int] = []
    for window in (PROBE_WINDOW, PROBE_WINDOW * 16):
        probe = span.backend.candidate_sentences(span.session, anchor, limit=window)
        span.floor = probe[-1] if len(probe) == window else 0
        span.postings.clear()
        found = sorted((i for i in span.evaluate(node) if i >= span.floor), reverse=True)
        kept = _exact(span, found, node, limit)
        if len(kept) >= limit or span.floor == 0:
            break
        if kept and (probe[0] - span.floor) * limit / len(kept) <= DENSE_DEPTH:
            return _through_index(span, node, limit)
    return kept


def candidate_sentences(session: Session, expression: str, *, limit: int = MAX_CANDIDATES) -> list[int]:
    """Ids of the newest `limit` sentences matching `expression`, newest first.

    The caller ranks the window it gets, and narrows the expression (AND before OR, names as a group) to make
    the window count. Work is bounded whatever the corpus: an expression the index evaluates cheaply goes to it
    whole (`_cheap`); any other is evaluated here over the newest span of the index (`_bounded`).
    """
    node = parse(expression)
    backend = backend_for(session)
    span = _Span(backend, session, stem_counts(session))
    cheap = _cheap(span, node)
    if backend.bounds_itself or cheap:
        return _through_index(span, node, limit, deep=cheap)
    return _bounded(span, node, limit)


# -- ranking inside the window ----------------------------------------------------------------------------

_corpus_sizes: dict[tuple[str, int], int] = {}


def corpus_size(session: Session) -> int:
    """The number of articles, counted once per corpus version (the newest article id)."""
    newest = _newest(session, "articles") or 0
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
    df = document_counts(session, lowered)
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
    texts = {int(sid): str(t) for sid, t in session.execute(_TEXTS, {"ids": ids})}
    scores = bm25_scores(texts, weights)
    # Ties keep the newer sentence first, so the order is the same on every run and every backend.
    return sorted(((sid, -scores.get(sid, 0.0)) for sid in ids), key=lambda r: (r[1], -r[0]))
