"""Sentence search on SQLite FTS5: safe match expressions built from word groups, ranked by bm25."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.words import stems, words

MAX_CANDIDATES = 300


@dataclass(frozen=True)
class Group:
    """One thing the user asked about, with every word or phrase that counts as finding it."""

    label: str
    alternatives: tuple[str, ...]
    wants: str | None = None
    period: tuple[str, ...] = ()

    @property
    def stem_sets(self) -> list[frozenset[str]]:
        return [frozenset(stems(a)) for a in self.alternatives if stems(a)]

    def matched_by(self, sentence_stems: set[str]) -> bool:
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


def search_sentences(
    session: Session,
    expression: str,
    *,
    limit: int = MAX_CANDIDATES,
    with_figures: bool = False,
    entity_id: int | None = None,
) -> list[tuple[int, float]]:
    """(sentence id, bm25) best first; bm25 is negative, lower is better."""
    where = ["sentences_fts MATCH :q"]
    params: dict[str, object] = {"q": expression, "limit": limit}
    if with_figures:
        where.append("rowid IN (SELECT sentence_id FROM figures)")
    if entity_id is not None:
        where.append("rowid IN (SELECT sentence_id FROM mentions WHERE entity_id = :e)")
        params["e"] = entity_id
    sql = (
        "SELECT rowid, bm25(sentences_fts) AS score FROM sentences_fts WHERE "
        + " AND ".join(where)
        + " ORDER BY score LIMIT :limit"
    )
    return [(int(r[0]), float(r[1])) for r in session.execute(text(sql), params)]
