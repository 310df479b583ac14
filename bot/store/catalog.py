"""Finding articles, entities and figures by what people type or browse: the latest articles added, an article
by id, file name or title, an entity by any of its names, and the figures of those."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.store.models import Article, Entity, EntityAlias, Figure


def latest_articles(session: Session, limit: int) -> list[Article]:
    return list(session.scalars(select(Article).order_by(Article.added_at.desc()).limit(limit)))


def article_ids(session: Session, ref: str) -> list[int]:
    """The articles a person means by an id, a file name (a path's last part) or a title."""
    if ref.isdigit():
        return [int(ref)]
    return list(
        session.scalars(select(Article.id).where(or_(Article.filename == Path(ref).name, Article.title == ref)))
    )


def entity_ids(session: Session, alias_key: str, name: str) -> list[int]:
    """The entities with this alias key (as `reading.entities.alias_key` makes it) or this name."""
    found = list(session.scalars(select(EntityAlias.entity_id).where(EntityAlias.key == alias_key)))
    return found + list(session.scalars(select(Entity.id).where(Entity.name == name)))


def figure_filter(
    *, article_ids: list[int] | None = None, entity_ids: list[int] | None = None, metric: str | None = None
) -> Any:
    """The condition for figures of these articles, about these entities, with a metric containing `metric`
    (each only when given); None for every figure."""
    conditions: list[Any] = []
    if article_ids is not None:
        conditions.append(Figure.article_id.in_(article_ids))
    if entity_ids is not None:
        conditions.append(Figure.entity_id.in_(entity_ids))
    if metric:
        conditions.append(Figure.metric.contains(metric.lower()))
    return and_(*conditions) if conditions else None


def person_called(session: Session, part: str) -> int | None:
    """The one person whose name has `part` as its first or last word ("Frost" of "Ana Frost"), if exactly
    one known person's has."""
    key = part.strip().lower()
    if not key.isalnum():  # one word, letters or digits only (nothing a LIKE pattern would read)
        return None
    ids = set(
        session.scalars(
            select(EntityAlias.entity_id)
            .join(Entity, Entity.id == EntityAlias.entity_id)
            .where(Entity.type == "person", or_(EntityAlias.key.like(f"{key} %"), EntityAlias.key.like(f"% {key}")))
            .limit(50)
        )
    )
    return ids.pop() if len(ids) == 1 else None
