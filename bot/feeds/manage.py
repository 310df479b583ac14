"""Managing the followed feeds, as the command line, Slack and the App Home show them: add, list, remove, pause,
resume; each feed as a row (dict) and as one line of text."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlsplit

from bot.feeds.urls import normalise_url
from bot.reading.ingest import now
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.feeds import add_feed, all_feeds, find_feed, remove_feed, set_paused
from bot.store.models import Feed


class FeedCommandError(Exception):
    """A feed command that cannot be done; the message is the one-line reason."""


def check_link(url: str) -> str:
    """The link, stripped, or a `FeedCommandError` when it is no http(s) URL with a host."""
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises on a port that is no number
    except ValueError:
        raise FeedCommandError(f"not a valid link: {url[:80]}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedCommandError(f"only http and https links can be read, not {url[:80]!r}")
    if len(url) > 1000:
        raise FeedCommandError("the link is longer than 1,000 characters")
    return url


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def feed_row(feed: Feed) -> dict[str, object]:
    return {
        "id": feed.id,
        "url": feed.url,
        "name": feed.name,
        "include": json.loads(feed.include_words),
        "exclude": json.loads(feed.exclude_words),
        "paused": feed.paused,
        "last_success": _stamp(feed.last_success_at),
        "last_error": feed.last_error,
        "last_error_at": _stamp(feed.last_error_at),
        "seen": feed.items_seen,
        "indexed": feed.items_indexed,
        "skipped": feed.items_skipped,
        "next_poll": _stamp(feed.next_poll_at),
    }


def feed_line(row: dict[str, object]) -> str:
    """#3 Example News (https://…): 12 seen, 4 indexed, 8 skipped; last success 2026-12-07T10:00:00 …"""
    name = f"{row['name']} ({row['url']})" if row["name"] else str(row["url"])
    state = " [paused]" if row["paused"] else ""
    line = f"#{row['id']} {name}{state}: {row['seen']} seen, {row['indexed']} indexed, {row['skipped']} skipped"
    line += f"; last success {row['last_success'] or 'never'}"
    if row["last_error"] and (not row["last_success"] or str(row["last_error_at"]) >= str(row["last_success"])):
        line += f"; last error {row['last_error_at']}: {row['last_error']}"
    return line


def add_feed_url(
    settings: Settings, url: str, *, name: str | None, include: list[str], exclude: list[str], by: str | None
) -> dict[str, object]:
    url = check_link(url)
    with session_scope(settings.database_url) as session:
        feed = add_feed(
            session,
            url=url,
            url_key=normalise_url(url),
            name=name,
            include=[w.strip() for w in include if w.strip()],
            exclude=[w.strip() for w in exclude if w.strip()],
            added_by=by,
            stamp=now(),
        )
        if feed is None:
            known = find_feed(session, url, normalise_url(url))
            raise FeedCommandError(f"this feed is already followed (#{known.id if known else '?'})")
        return feed_row(feed)


def feed_rows(settings: Settings) -> list[dict[str, object]]:
    with session_scope(settings.database_url) as session:
        return [feed_row(f) for f in all_feeds(session)]


def change_feed(settings: Settings, ref: str, action: str) -> str:
    """Remove, pause or resume the feed named by its number or URL; the line saying what was done."""
    with session_scope(settings.database_url) as session:
        feed = find_feed(session, ref, normalise_url(ref))
        if feed is None:
            raise FeedCommandError(f"no feed {ref.strip()[:80]!r}; `feeds list` shows their numbers")
        shown = f"#{feed.id} {feed.name or feed.url}"
        if action == "remove":
            remove_feed(session, feed.id)
            return f"removed feed {shown}; the articles read from it stay"
        set_paused(session, feed.id, action == "pause")
        return f"{'paused' if action == 'pause' else 'resumed'} feed {shown}"


def status_lines(settings: Settings, most: int = 10) -> list[str]:
    """The feeds as `status` and the App Home show them: one line each (at most `most`), or nothing when none."""
    rows = feed_rows(settings)
    if not rows:
        return []
    lines = [f"{len(rows)} feed{'' if len(rows) == 1 else 's'} followed:"]
    lines += [feed_line(r) for r in rows[:most]]
    if len(rows) > most:
        lines.append(f"…and {len(rows) - most} more (`feed list`).")
    return lines
