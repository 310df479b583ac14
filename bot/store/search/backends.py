"""One interface, two indexes (SQLite FTS5, PostgreSQL tsvector), chosen from the database URL."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from bot.store.search.fts5 import Fts5Search
from bot.store.search.tsvector import TsvectorSearch


class SearchBackend(Protocol):
    # Whether the backend bounds the work of any expression itself (the search layer then never splits one).
    bounds_itself: bool

    def candidate_sentences(
        self, session: Session, expression: str, *, limit: int, floor: int = 0, deep: bool = True
    ) -> list[int]:
        """Ids of the newest `limit` sentences matching `expression` from id `floor` up, newest first, read
        through the index (which stops at the limit or at the floor). `deep=False` (for a backend that bounds
        its own work) says the expression's parts are all common: a short newest span is enough."""
        ...


_BACKENDS: dict[str, SearchBackend] = {"sqlite": Fts5Search(), "postgresql": TsvectorSearch()}


def backend_for(session: Session) -> SearchBackend:
    """The search implementation for the session's database (its URL's dialect)."""
    dialect = session.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise RuntimeError(f"no full-text search for {dialect} databases (use SQLite or PostgreSQL)") from None
