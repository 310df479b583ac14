"""Rendered charts kept per series version (the same series is drawn once), and a small worker pool that draws
and delivers them after the text answer has gone out, so no request waits on a drawing."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from bot.charts.series import Series

log = logging.getLogger(__name__)
KEPT = 64  # rendered charts kept (about 60 KB each)
WORKERS = 1  # drawing is CPU work under one interpreter lock: one at a time, behind the answers
T = TypeVar("T")

if TYPE_CHECKING:
    from bot.charts.draw import Chart


class Charts:
    """Draws series (each version once, the newest KEPT kept) and runs deliveries in the background."""

    def __init__(self, enabled: bool = True, kept: int = KEPT) -> None:
        self.enabled = enabled
        self._kept = kept
        self._done: OrderedDict[str, Chart] = OrderedDict()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self.rendered = 0  # drawings made (not served from the cache)

    def chart(self, series: Series) -> Chart:
        key = series.version
        with self._lock:
            hit = self._done.get(key)
            if hit is not None:
                self._done.move_to_end(key)
                return hit
        from bot.charts.draw import render

        drawn = render(series)
        with self._lock:
            self._done[key] = drawn
            self.rendered += 1
            while len(self._done) > self._kept:
                self._done.popitem(last=False)
        return drawn

    def later(self, job: Callable[[], T], what: str) -> Future[T] | None:
        """Run `job` on the chart worker; a failure is logged with `what`, never raised into the caller."""
        if not self.enabled:
            return None
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="chart")
            pool = self._pool

        def guarded() -> T:
            try:
                return job()
            except Exception:
                log.exception("chart %s failed; the text answer stands", what)
                raise

        return pool.submit(guarded)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
