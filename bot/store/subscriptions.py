"""Digest subscriptions made from Slack: the queries, each taking a session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import DigestSubscription


def save_subscription(
    session: Session, channel: str, schedule: str, timezone: str, *, by: str, now: datetime
) -> DigestSubscription:
    """Subscribe the channel, or give its subscription the new schedule."""
    sub = session.scalar(select(DigestSubscription).where(DigestSubscription.channel == channel))
    if sub is None:
        sub = DigestSubscription(channel=channel, schedule=schedule, timezone=timezone, created_by=by, created_at=now)
        session.add(sub)
    else:
        sub.schedule, sub.timezone, sub.created_by = schedule, timezone, by
    return sub


def remove_subscription(session: Session, channel: str) -> bool:
    """True when the channel had a subscription."""
    gone = session.execute(  # type: ignore[attr-defined]
        delete(DigestSubscription).where(DigestSubscription.channel == channel)
    ).rowcount
    return bool(gone)


def subscriptions(session: Session) -> list[DigestSubscription]:
    """Every subscription, by channel."""
    return list(session.scalars(select(DigestSubscription).order_by(DigestSubscription.channel)))
