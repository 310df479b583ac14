"""Polling feeds: claim a feed (one replica per interval), fetch it conditionally (a 304 costs nothing), read its
new items (at most FEED_MAX_ITEMS_PER_POLL, the newest, oldest first), record each item once, and set the next
poll, later after each error in a row (back-off)."""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.feeds.fetch import FetchError, fetch
from bot.feeds.pages import PageOutcome, Reader, ReadyPage
from bot.feeds.parse import FeedEntry, FeedError, parse_feed
from bot.feeds.urls import normalise_url
from bot.reading.ingest import now
from bot.store.db import session_scope
from bot.store.feeds import all_feeds, claim_feed, due_feeds, record_item, release_feed, seen_keys
from bot.store.models import Feed

log = logging.getLogger(__name__)
CLAIMER = f"{socket.gethostname()}:{os.getpid()}"
FETCHERS = 4  # pages of one feed fetched at once
RETRIED = ("failed",)  # an item that failed (a time-out, a server error) is tried again at the next poll


@dataclass
class ItemResult:
    entry: FeedEntry
    page: PageOutcome

    def as_dict(self, feed: Feed) -> dict[str, object]:
        return {
            "feed": feed.id,
            "feed_url": feed.url,
            "link": self.entry.link,
            "guid": self.entry.guid,
            "title": self.entry.title or self.page.title,
            **self.page.as_dict(),
        }


@dataclass
class FeedPoll:
    """One poll of one feed: `status` is polled, not-modified, failed, refused or skipped (claimed elsewhere,
    paused); the items read, and how many were left for the next poll."""

    feed: Feed
    status: str
    reason: str = ""
    items: list[ItemResult] = field(default_factory=list)
    left: int = 0


def _backoff(settings_minutes: int, errors: int, most: int) -> timedelta:
    return timedelta(minutes=min(most, settings_minutes * (2 ** min(errors, 16))))


def pick_entries(entries: list[FeedEntry], seen: set[str], most: int) -> tuple[list[FeedEntry], list[FeedEntry], int]:
    """(the new items to read, oldest first; the repeats of a GUID or link within this feed; how many new items
    wait for the next poll). The newest `most` are read, so a long backlog never delays today's news."""
    fresh: dict[str, FeedEntry] = {}
    repeats = []
    for entry in entries:
        if entry.key in seen:
            continue
        if entry.key in fresh:
            repeats.append(entry)
        else:
            fresh[entry.key] = entry
    newest_first = sorted(fresh.values(), key=lambda e: (e.published or datetime.min, -e.position), reverse=True)
    chosen = newest_first[:most]
    chosen.sort(key=lambda e: (e.published or datetime.max, e.position))
    return chosen, repeats, len(newest_first) - len(chosen)


class Poller:
    """Polls the feeds for one process with one `Reader`."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.settings = reader.settings

    def poll_due(
        self, *, force: bool = False, on_item: Callable[[Feed, ItemResult], None] | None = None
    ) -> list[FeedPoll]:
        """Every due feed once (every unpaused feed with `force`), one after the other."""
        with session_scope(self.settings.database_url) as session:
            ids = [f.id for f in all_feeds(session) if not f.paused] if force else due_feeds(session, now())
        return [self.poll(feed_id, force=force, on_item=on_item) for feed_id in ids]

    def poll(
        self, feed_id: int, *, force: bool = False, on_item: Callable[[Feed, ItemResult], None] | None = None
    ) -> FeedPoll:
        stamp = now()
        with session_scope(self.settings.database_url) as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise LookupError(f"no feed #{feed_id}")
            session.expunge(feed)
            if not claim_feed(session, feed_id, CLAIMER, stamp, force=force):
                return FeedPoll(feed, "skipped", "paused, not due, or being polled by another process")
        try:
            result = self._poll_claimed(feed, on_item)
        except Exception as exc:  # a feed's surprise must not stop the others; its claim is released
            log.error("feed #%s could not be polled", feed_id, exc_info=exc)
            result = FeedPoll(feed, "failed", f"could not be polled ({exc.__class__.__name__}); see the bot's log")
        self._release(result)
        return result

    def _poll_claimed(self, feed: Feed, on_item: Callable[[Feed, ItemResult], None] | None) -> FeedPoll:
        try:
            fetched = fetch(feed.url, self.reader.policy, etag=feed.etag, last_modified=feed.last_modified)
        except FetchError as exc:
            return FeedPoll(feed, "refused" if exc.refused else "failed", str(exc))
        if fetched.not_modified:
            return FeedPoll(feed, "not-modified")
        try:
            parsed = parse_feed(fetched.body, fetched.url)
        except FeedError as exc:
            return FeedPoll(feed, "failed", str(exc))
        feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
        with session_scope(self.settings.database_url) as session:
            seen = seen_keys(session, feed.id, [e.key for e in parsed.entries])
        chosen, repeats, left = pick_entries(parsed.entries, seen, self.settings.feed_max_items_per_poll)
        poll = FeedPoll(feed, "polled", left=left)
        include, exclude = json.loads(feed.include_words), json.loads(feed.exclude_words)

        # Pages are fetched a few at a time (a slow one costs its time-out once, not once per item after it), then
        # indexed one by one in the feed's order, so the first of two copies is always the story.
        # A link an earlier item of this poll also names (spelt otherwise) is read after it, as a known link.
        first_of = {normalise_url(e.link): i for i, e in reversed(list(enumerate(chosen))) if e.link}

        def fetch_one(index: int) -> PageOutcome | ReadyPage | None:
            entry = chosen[index]
            if not entry.link:
                return PageOutcome("failed", "the item has no link")
            if first_of[normalise_url(entry.link)] != index:
                return None
            return self.reader.fetch_page(entry.link, include=include, exclude=exclude)

        with ThreadPoolExecutor(max_workers=FETCHERS, thread_name_prefix=f"feed-{feed.id}") as pool:
            pages = list(pool.map(fetch_one, range(len(chosen))))
        for entry, ready in zip(chosen, pages, strict=True):
            if ready is None and entry.link:
                ready = self.reader.fetch_page(entry.link, include=include, exclude=exclude)
            assert ready is not None
            page = ready if isinstance(ready, PageOutcome) else self.reader.index_page(ready, f"feed:{feed.id}")
            item = ItemResult(entry, page)
            if page.outcome not in RETRIED:
                with session_scope(self.settings.database_url) as session:
                    record_item(
                        session,
                        feed.id,
                        entry.key,
                        now(),
                        link=entry.link,
                        title=entry.title,
                        outcome=page.outcome,
                        reason=page.reason,
                        article_id=page.article_id,
                    )
            poll.items.append(item)
            if on_item:
                on_item(feed, item)
        for entry in repeats:
            item = ItemResult(entry, PageOutcome("duplicate", "the feed lists this GUID or link twice; read once"))
            poll.items.append(item)
            if on_item:
                on_item(feed, item)
        return poll

    def _release(self, poll: FeedPoll) -> None:
        feed, stamp = poll.feed, now()
        interval = self.settings.feed_poll_minutes
        values: dict[str, object] = {}
        if poll.status in ("polled", "not-modified"):
            values.update(last_success_at=stamp, errors_in_row=0, next_poll_at=stamp + timedelta(minutes=interval))
            values.update(etag=feed.etag, last_modified=feed.last_modified)
        else:
            errors = feed.errors_in_row + 1
            wait = _backoff(interval, errors, self.settings.feed_max_backoff_minutes)
            values.update(
                last_error=poll.reason[:500], last_error_at=stamp, errors_in_row=errors, next_poll_at=stamp + wait
            )
        counted = [i for i in poll.items if i.page.outcome not in RETRIED]
        indexed = sum(i.page.outcome == "indexed" for i in counted)
        values.update(
            items_seen=Feed.items_seen + len(counted),
            items_indexed=Feed.items_indexed + indexed,
            items_skipped=Feed.items_skipped + len(counted) - indexed,
        )
        with session_scope(self.settings.database_url) as session:
            release_feed(session, feed.id, CLAIMER, **values)


def feed_key(url: str) -> str:
    return normalise_url(url)
