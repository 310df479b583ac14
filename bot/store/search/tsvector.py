"""The PostgreSQL search backend: the generated tsvector column and its GIN index, read in bounded steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.store.search.expression import Node, parse
from bot.store.search.lookup_cache import KnownMatches, lookup_reads, newest_id

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

    def candidate_sentences(
        self, session: Session, expression: str, *, limit: int, floor: int = 0, deep: bool = True
    ) -> list[int]:
        tree = parse(expression)
        tsquery = tsquery_text(tree, phrase_queries(session, tree.phrases()))
        newest = newest_id(session, "sentences")
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
    def _matches(
        session: Session,
        read: Callable[..., list[int]],
        query: str,
        params: dict[str, Any],
        top: int,
        floor: int,
        limit: int,
    ) -> list[int]:
        """The newest `limit` matches with ids in (floor, top], as `read` (the walk or the GIN index) gives them.
        In a lookup, the matches of each search read so far are kept, every one from the newest id down to where
        its reads reached: a range they cover is answered from them, and only the part below is read."""
        reads = lookup_reads(session)
        if reads is None:
            return read(session, query, params, top, floor, limit)
        known = reads.setdefault(("tsquery", query, tuple(sorted(params.items()))), KnownMatches(top, top, []))
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
        sql = (
            f"SELECT id FROM (SELECT id, search_vector FROM sentences WHERE id > :floor AND id <= :top "
            f"ORDER BY id DESC OFFSET 0) AS r WHERE search_vector @@ {query} LIMIT :limit"
        )
        return [int(r[0]) for r in session.execute(text(sql), {**params, "top": top, "floor": floor, "limit": limit})]

    @staticmethod
    def _older(session: Session, query: str, params: dict[str, Any], top: int, lowest: int, limit: int) -> list[int]:
        """The newest `limit` matches with ids in (lowest, top], from the GIN index. MATERIALIZED keeps the primary key
        out of the match read, and for this statement alone the planner may not scan the table instead (it does
        when it rates the words common, though together they are rare: the steps before showed they are)."""
        sql = (
            f"WITH m AS MATERIALIZED (SELECT id FROM sentences WHERE search_vector @@ {query} AND id <= :top "
            f"AND id > :lowest) "
            f"SELECT id FROM m ORDER BY id DESC LIMIT :limit"
        )
        before = session.execute(
            text(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
                "current_setting('jit'), "
                "current_setting('max_parallel_workers_per_gather'), set_config('enable_seqscan', 'off', true), "
                "set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true)"
            )
        ).one()
        try:
            ids = [
                int(r[0]) for r in session.execute(text(sql), {**params, "top": top, "lowest": lowest, "limit": limit})
            ]
        finally:
            session.execute(
                text(
                    "SELECT set_config('enable_seqscan', :seq, true), "
                    "set_config('enable_indexscan', :index, true), set_config('jit', :jit, true), "
                    "set_config('max_parallel_workers_per_gather', :workers, true)"
                ),
                {"seq": before[0], "index": before[1], "jit": before[2], "workers": before[3]},
            )
        return ids
