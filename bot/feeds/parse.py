"""Reading a feed's XML (RSS 2.0, RSS 1.0, Atom) with feedparser, from bytes the bot fetched itself: feedparser is
never given a URL, so it never fetches anything."""

from __future__ import annotations

import calendar
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.feeds.urls import normalise_url


class FeedError(Exception):
    """A feed that cannot be read; the message is the one-line reason."""


@dataclass
class FeedEntry:
    """One item of a feed: its GUID (else None), link, title, publication time and summary text."""

    guid: str | None
    link: str | None
    title: str
    published: datetime | None
    summary: str
    position: int

    @property
    def key(self) -> str:
        """What the item is recognised by from one poll to the next: its GUID, else its normalised link."""
        if self.guid:
            return "guid:" + self.guid.strip()
        if self.link:
            return "link:" + normalise_url(self.link)
        return "title:" + self.title.strip().lower()


@dataclass
class ParsedFeed:
    title: str
    version: str
    entries: list[FeedEntry]


def _when(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC).replace(tzinfo=None)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def parse_feed(body: bytes, base_url: str, content_type: str | None = None) -> ParsedFeed:
    """The feed's entries in the feed's order; a `FeedError` when the bytes are not a well-formed feed (a feed
    that is not well-formed XML is refused whole rather than guessed at)."""
    import feedparser  # 30 ms to import; only a poll needs it

    headers = {"content-location": base_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXParseException):
        raise FeedError(
            f"the feed is not well-formed XML (line {problem.getLineNumber()}: {problem.getMessage()[:80]})"
        )
    if not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed")
    entries = []
    for position, entry in enumerate(parsed.entries):
        link = entry.get("link") or None
        title = " ".join(str(entry.get("title") or "").split())[:500]
        summary = str(entry.get("summary") or "")[:20_000]
        entries.append(FeedEntry(entry.get("id") or None, link, title, _when(entry), summary, position))
    return ParsedFeed(" ".join(str(parsed.feed.get("title") or "").split())[:200], parsed.version, entries)
