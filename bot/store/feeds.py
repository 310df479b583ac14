"""The feeds the bot polls and the items it has read from them: adding, listing, removing, pausing; claiming a
feed for one poll (one replica polls it per interval, as digests are claimed); recording each item once."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.store.db import insert_ignore
from bot.store.models import Feed, FeedItem, WatchedChannel

STALE_CLAIM = timedelta(minutes=15)  # a poll claimed longer ago than this was abandoned (its process died)


def add_feed(
    session: Session,
    *,
    url: str,
    url_key: str,
    name: str | None,
    include: Iterable[str],
    exclude: Iterable[str],
    added_by: str | None,
    stamp: datetime,
) -> Feed | None:
    """The new feed, or None when a feed with this normalised URL is already followed."""
    values: dict[str, Any] = {
        "url": url[:1000],
        "url_key": url_key[:1000],
        "name": (name or "")[:200] or None,
        "include_words": json.dumps(sorted(set(include))),
        "exclude_words": json.dumps(sorted(set(exclude))),
        "paused": False,
        "errors_in_row": 0,
        "items_seen": 0,
        "items_indexed": 0,
        "items_skipped": 0,
        "added_by": added_by,
        "added_at": stamp,
    }
    if not insert_ignore(session, Feed, values):
        return None
    return session.scalars(select(Feed).where(Feed.url_key == values["url_key"])).one()


def all_feeds(session: Session) -> list[Feed]:
    return list(session.scalars(select(Feed).order_by(Feed.id)))


def find_feed(session: Session, ref: str, url_key: str) -> Feed | None:
    """The feed named by its id ("3", "#3") or its URL (compared normalised)."""
    ref = ref.strip().lstrip("#")
    if ref.isdigit():
        return session.get(Feed, int(ref))
    return session.scalars(select(Feed).where(Feed.url_key == url_key)).first()


def remove_feed(session: Session, feed_id: int) -> None:
    """The feed and its item records go; the articles read from it stay."""
    session.execute(delete(FeedItem).where(FeedItem.feed_id == feed_id))
    session.execute(delete(Feed).where(Feed.id == feed_id))


def set_paused(session: Session, feed_id: int, paused: bool) -> None:
    session.execute(update(Feed).where(Feed.id == feed_id).values(paused=paused))


def claim_feed(session: Session, feed_id: int, claimer: str, now: datetime, *, force: bool = False) -> bool:
    """Take the feed for one poll: True for exactly one caller while it is unclaimed (or its claim is stale), not
    paused, and due (or `force`). One conditional UPDATE: of two replicas, the database lets one through."""
    conditions = [
        Feed.id == feed_id,
        Feed.paused.is_(False),
        or_(Feed.claimed_by.is_(None), Feed.claimed_at < now - STALE_CLAIM),
    ]
    if not force:
        conditions.append(or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))
    result: Any = session.execute(update(Feed).where(*conditions).values(claimed_by=claimer, claimed_at=now))
    return bool(result.rowcount == 1)


def due_feeds(session: Session, now: datetime) -> list[int]:
    """The feeds due for a poll, the longest overdue first."""
    return list(
        session.scalars(
            select(Feed.id)
            .where(Feed.paused.is_(False), or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))
            .order_by(Feed.next_poll_at.is_(None).desc(), Feed.next_poll_at, Feed.id)
        )
    )


def release_feed(session: Session, feed_id: int, claimer: str, **values: Any) -> None:
    """End the poll: the feed's new state (validators, counts, error, next poll) and no claim."""
    session.execute(
        update(Feed).where(Feed.id == feed_id, Feed.claimed_by == claimer).values(claimed_by=None, **values)
    )


def seen_keys(session: Session, feed_id: int, keys: Iterable[str]) -> set[str]:
    """Which of these item keys were read from the feed before."""
    wanted = list(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            session.scalars(
                select(FeedItem.item_key).where(
                    FeedItem.feed_id == feed_id, FeedItem.item_key.in_(wanted[start : start + 500])
                )
            )
        )
    return found


def record_item(session: Session, feed_id: int, key: str, stamp: datetime, **values: Any) -> bool:
    """Record an item read from the feed; False when another poll recorded it first."""
    row = {"feed_id": feed_id, "item_key": key[:1000], "seen_at": stamp, **values}
    for name, size in (("link", 1000), ("title", 500), ("reason", 500)):
        if row.get(name):
            row[name] = str(row[name])[:size]
    return insert_ignore(session, FeedItem, row)


def watch_channel(session: Session, channel: str, user: str | None, stamp: datetime) -> bool:
    """Read the links posted in the channel; False when it was watched already."""
    return insert_ignore(session, WatchedChannel, {"channel": channel, "added_by": user, "added_at": stamp})


def unwatch_channel(session: Session, channel: str) -> bool:
    result: Any = session.execute(delete(WatchedChannel).where(WatchedChannel.channel == channel))
    return bool(result.rowcount)


def is_watched(session: Session, channel: str) -> bool:
    return session.get(WatchedChannel, channel) is not None
