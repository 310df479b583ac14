"""Counts of what is indexed, for `/alibaba status` and the console."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import Article, Entity, Figure, Mention


def index_counts(session: Session) -> dict[str, object]:
    """Articles, entities mentioned in them, figures, and when the last article was added."""
    last = session.scalar(select(func.max(Article.added_at)))
    return {
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "entities": session.scalar(
            select(func.count()).select_from(Entity).where(Entity.id.in_(select(Mention.entity_id)))
        )
        or 0,
        "figures": session.scalar(select(func.count()).select_from(Figure)) or 0,
        "last_added": last,
    }
