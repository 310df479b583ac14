"""Uploads held for review (`pending_uploads`): kept apart from the articles until an admin publishes them, so no
search, answer or digest reads them; and the names a stored article mentions, for its preview."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.store.models import Entity, Mention, PendingUpload


def hold(session: Session, stamp: datetime, **fields: Any) -> int:
    """Keep an upload (its file bytes, name and what it was given) for review; its id."""
    row = PendingUpload(created_at=stamp, **fields)
    session.add(row)
    session.flush()
    return row.id


def pending(session: Session, pending_id: int) -> PendingUpload | None:
    return session.get(PendingUpload, pending_id)


def pending_list(session: Session) -> list[tuple[int, str, str | None, datetime]]:
    """(id, file name, uploader, held since) of every held upload, oldest first."""
    return [
        (i, n, by, at)
        for i, n, by, at in session.execute(
            select(
                PendingUpload.id, PendingUpload.name, PendingUpload.added_by_name, PendingUpload.created_at
            ).order_by(PendingUpload.id)
        )
    ]


def drop(session: Session, pending_id: int) -> bool:
    """Delete a held upload; False when it was already published or discarded."""
    return bool(session.execute(delete(PendingUpload).where(PendingUpload.id == pending_id)).rowcount)  # type: ignore[attr-defined]


def mentioned_names(session: Session, article_id: int) -> list[str]:
    """The names an article mentions, most mentioned first."""
    return list(
        session.scalars(
            select(Entity.name)
            .join(Mention, Mention.entity_id == Entity.id)
            .where(Mention.article_id == article_id)
            .group_by(Entity.name)
            .order_by(func.count(Mention.id).desc(), Entity.name)
        )
    )
