"""Sentence search on SQLite FTS5: safe match expressions built from word groups, ranked by bm25."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.store.words import stems, words

MAX_CANDIDATES = 1000


@dataclass(frozen=True)
class Group:
    """One thing the user asked about, with every word or phrase that counts as finding it."""

    label: str
    alternatives: tuple[str, ...]
    wants: tuple[str, ...] = ()
    period: tuple[str, ...] = ()

    @cached_property
    def stem_sets(self) -> list[frozenset[str]]:
        return [frozenset(stems(a)) for a in self.alternatives if stems(a)]

    def matched_by(self, sentence_stems: Set[str]) -> bool:
        return any(s <= sentence_stems for s in self.stem_sets)


def _phrase(alternative: str) -> str | None:
    """An FTS5 string: the words joined, quoted; nothing a user types can become FTS syntax."""
    tokens = words(alternative)
    if not tokens:
        return None
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def group_expression(group: Group) -> str | None:
    phrases = sorted({p for a in group.alternatives if (p := _phrase(a))})
    if not phrases:
        return None
    return "(" + " OR ".join(phrases) + ")"


def match_expression(groups: list[Group], mode: str = "AND") -> str | None:
    parts = [e for g in groups if (e := group_expression(g))]
    if not parts:
        return None
    return f" {mode} ".join(parts)


def candidate_sentences(session: Session, expression: str, *, limit: int = MAX_CANDIDATES) -> list[int]:
    """Ids of sentences matching `expression`, newest first.

    FTS5 walks its index in rowid order and stops at the limit, so this costs the same on 100 or 10,000
    articles; ranking the whole match set by bm25 does not (it scores every match). The caller ranks the
    window it gets, and narrows the expression (AND before OR, names as a group) to make the window count.
    """
    sql = "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH :q ORDER BY rowid DESC LIMIT :limit"
    return [int(r[0]) for r in session.execute(text(sql), {"q": expression, "limit": limit})]


def ranked_window(session: Session, expression: str, *, limit: int) -> list[tuple[int, float]]:
    """The newest `limit` matches, ranked by FTS5's bm25 (best first): (sentence id, bm25, lower is better).

    bm25 is computed only for the window (a rowid floor bounds it), so its cost does not follow the corpus.
    """
    ids = candidate_sentences(session, expression, limit=limit)
    if not ids:
        return []
    sql = ("SELECT rowid, bm25(sentences_fts) FROM sentences_fts WHERE sentences_fts MATCH :q AND rowid >= :floor "
           "ORDER BY rank LIMIT :limit")
    return [(int(r[0]), float(r[1])) for r in session.execute(text(sql), {"q": expression, "floor": min(ids),
                                                                          "limit": limit})]


def alias_group(names: list[str]) -> Group:
    return Group("name", tuple(dict.fromkeys(names)))
