"""Polling feeds in the background of the running bot: every tick, the feeds that are due go to a small pool of
threads of their own, so a feed that hangs holds one thread for at most its time-outs and never delays the other
feeds, the digests or the answers. Across replicas each feed is claimed in the database before it is polled."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from bot.feeds.pages import shared_reader
from bot.feeds.poll import Poller
from bot.reading.ingest import now
from bot.rules import Rules
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.feeds import due_feeds

log = logging.getLogger(__name__)
TICK_SECONDS = 60  # how often due feeds are looked for; each feed's own interval is FEED_POLL_MINUTES
WORKERS = 3


class FeedRunner:
    """The feeds of one process: `tick` hands each due feed not already in flight here to the pool."""

    def __init__(self, settings: Settings, rules: Rules, workers: int = WORKERS) -> None:
        self.settings = settings
        self.poller = Poller(shared_reader(settings, rules))
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed-poll")
        self.in_flight: set[int] = set()
        self._lock = threading.Lock()

    def tick(self) -> list[int]:
        """Start polling the due feeds; the ids started."""
        with session_scope(self.settings.database_url) as session:
            due = due_feeds(session, now())
        started = []
        with self._lock:
            for feed_id in due:
                if feed_id not in self.in_flight:
                    self.in_flight.add(feed_id)
                    self.pool.submit(self._poll, feed_id)
                    started.append(feed_id)
        return started

    def _poll(self, feed_id: int) -> None:
        try:
            result = self.poller.poll(feed_id)
            if result.status in ("failed", "refused"):
                log.warning("feed #%s: %s", feed_id, result.reason)
        except Exception:  # the next tick tries again; nothing else waits on this thread
            log.exception("feed #%s could not be polled", feed_id)
        finally:
            with self._lock:
                self.in_flight.discard(feed_id)

    def wait(self) -> None:
        """Until every poll started has ended (tests, and a clean stop)."""
        self.pool.shutdown(wait=True)

    def stop(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
