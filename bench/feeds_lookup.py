"""The near-duplicate check at scale: with N articles stored (their LSH bands in `story_bands`), what one new
article's check costs — its signature, the index lookup of its bands, the exact Jaccard on the few candidates —
for copies of stored stories and for new stories; and what the bands cost on disk."""

from __future__ import annotations

import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, text

from bench.feeds import copy_of, story

SOURCES = 1_000  # stored articles whose text is kept (the copies looked up are copies of these)
QUERIES = 250  # copies, and as many new stories
STAMP = datetime(2026, 12, 1)


def _fill(url: str, stored: int) -> dict[str, Any]:
    from bot.reading import similar
    from bot.store.db import session_scope
    from bot.store.models import Article, Sentence, StoryBand

    articles, bands = cast(Table, Article.__table__), cast(Table, StoryBand.__table__)
    start = time.perf_counter()
    signing = 0.0
    for chunk in range(0, stored, 5_000):
        article_rows, band_rows, sentence_rows = [], [], []
        for n in range(chunk, min(stored, chunk + 5_000)):
            body = " ".join(story(n))
            t = time.perf_counter()
            keys = similar.text_bands(body)[1]
            signing += time.perf_counter() - t
            article_rows.append({"id": n + 1, "title": f"Unit results {n}", "text_hash": f"h{n}", "added_at": STAMP})
            band_rows += [{"band_key": k, "article_id": n + 1} for k in dict.fromkeys(keys)]
            if n < SOURCES:
                sentence_rows.append({"article_id": n + 1, "position": 0, "start": 0, "end": len(body), "text": body})
        with session_scope(url) as session:
            session.execute(insert(articles), article_rows)
            session.execute(insert(bands), band_rows)
            if sentence_rows:
                session.execute(insert(cast(Table, Sentence.__table__)), sentence_rows)
    return {
        "fill_s": round(time.perf_counter() - start, 1),
        "signature_ms_per_article": round(1000 * signing / stored, 3),
    }


def near_duplicate_cost(tmp: Path, stored: int) -> dict[str, Any]:
    from bot.reading import similar
    from bot.store.db import migrate, session_scope
    from bot.store.stories import article_text, band_candidates

    db = tmp / "near.db"
    url = f"sqlite:///{db}"
    migrate(url)
    filled = _fill(url, stored)
    with session_scope(url) as session:
        band_rows = session.execute(text("SELECT count(*) FROM story_bands")).scalar_one()
        band_pages = session.execute(
            text("SELECT sum(pgsize) FROM dbstat WHERE name IN ('story_bands', 'sqlite_autoindex_story_bands_1')")
        ).scalar()
        plan = [
            str(row[-1])
            for row in session.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT article_id, count(*) FROM story_bands WHERE band_key IN (1, 2, 3) "
                    "GROUP BY article_id"
                )
            )
        ]
    rows: dict[str, list[tuple[float, int, bool]]] = {"copy": [], "new": []}
    for kind in ("copy", "new"):
        for q in range(QUERIES):
            n = (q * 37) % SOURCES if kind == "copy" else stored + 10_000 + q
            body = " ".join(copy_of(story(n)) if kind == "copy" else story(n))
            start = time.perf_counter()
            found, keys = similar.text_bands(body)
            with session_scope(url) as session:
                candidates = band_candidates(session, keys)
                best = max(
                    (similar.jaccard(found, similar.shingles(article_text(session, c))) for c in candidates),
                    default=0.0,
                )
            rows[kind].append((time.perf_counter() - start, len(candidates), best >= similar.COPY_THRESHOLD))

    def summary(values: list[tuple[float, int, bool]]) -> dict[str, Any]:
        times = sorted(v[0] * 1000 for v in values)
        return {
            "p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
            "mean_candidates": round(statistics.mean(v[1] for v in values), 2),
            "max_candidates": max(v[1] for v in values),
            "recognised_as_copy": sum(v[2] for v in values),
            "queries": len(values),
        }

    return {
        "stored_articles": stored,
        **filled,
        "band_rows": band_rows,
        "bands_bytes_per_article": round((band_pages or 0) / stored),
        "query_plan": plan,
        "copies": summary(rows["copy"]),
        "new_stories": summary(rows["new"]),
    }
