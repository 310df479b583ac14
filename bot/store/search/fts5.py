"""The SQLite search backend: the external-content FTS5 table `sentences_fts`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.store.search.lookup_cache import remember, remembered


class Fts5Search:
    """SQLite: the external-content FTS5 table `sentences_fts`, walked in rowid order."""

    bounds_itself = False

    def candidate_sentences(
        self, session: Session, expression: str, *, limit: int, floor: int = 0, deep: bool = True
    ) -> list[int]:
        # Straight through the driver, in the session's transaction: a word's postings may be thousands of ids,
        # and rows made one by one would cost more than the search.
        # The newest `limit` matches from the floor up: a read that asked for more holds them.
        key = ("fts5", expression, floor)
        ids = remembered(session, key, limit)
        if ids is not None:
            return ids
        sql = "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? AND rowid >= ? ORDER BY rowid DESC LIMIT ?"
        driver = session.connection().connection.driver_connection
        assert driver is not None
        ids = [r[0] for r in driver.execute(sql, (expression, floor, limit)).fetchall()]
        remember(session, key, limit, ids)
        return ids
