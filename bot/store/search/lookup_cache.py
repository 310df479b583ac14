"""One lookup's reads: what a lookup reads of the index (the newest ids, each search's matches) is kept in the
session until the lookup ends, so asking the same search again costs nothing and answers as of the first read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

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


def lookup_reads(session: Session) -> dict[Any, Any] | None:
    """The open lookup's reads, or None outside a lookup."""
    return session.info.get(_LOOKUP)


def newest_id(session: Session, table: str) -> int | None:
    """max(id) of `articles` or `sentences`, read once per lookup."""
    reads = lookup_reads(session)
    if reads is not None and ("newest", table) in reads:
        return reads[("newest", table)]
    value = session.execute(text(f"SELECT max(id) FROM {table}")).scalar_one()
    newest = None if value is None else int(value)
    if reads is not None:
        reads[("newest", table)] = newest
    return newest


@dataclass
class KnownMatches:
    """Every match of one search with an id in (lo, hi], newest first."""

    hi: int
    lo: int
    ids: list[int]


def remembered(session: Session, key: tuple[Any, ...], limit: int) -> list[int] | None:
    """The first `limit` ids of a read made before in this lookup, if that read holds them: it asked for as many or
    more, or it found fewer than it asked for (every match there is)."""
    reads = lookup_reads(session)
    if reads is None or key not in reads:
        return None
    asked, ids = reads[key]
    return ids[:limit] if asked >= limit or len(ids) < asked else None


def remember(session: Session, key: tuple[Any, ...], limit: int, ids: list[int]) -> None:
    reads = lookup_reads(session)
    if reads is not None and (key not in reads or reads[key][0] < limit):
        reads[key] = (limit, list(ids))  # a copy: callers extend the lists they get
