"""What the corpus talks about most: the metrics most articles report figures for and the names most articles
mention; the help and the App Home take their example lookups from these."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bot.store.models import Entity, Figure, Mention


def most_reported_metrics(session: Session, limit: int) -> list[tuple[str, int]]:
    """(metric, how many articles report a figure of it), most reported first; conversions are not counted."""
    articles = func.count(distinct(Figure.article_id))
    rows = session.execute(
        select(Figure.metric, articles)
        .where(Figure.metric.is_not(None), Figure.conversion_of_id.is_(None))
        .group_by(Figure.metric)
        .order_by(articles.desc(), func.count().desc(), Figure.metric)
        .limit(limit)
    )
    return [(str(metric), int(count)) for metric, count in rows]


def most_mentioned_names(
    session: Session, limit: int, *, leave_out_types: Collection[str] = (), leave_out_names: Collection[str] = ()
) -> list[tuple[str, int]]:
    """(entity name, how many articles mention it): the pack's own names (its catalog) first, then the names the
    articles taught, each most mentioned first, without the given types and names."""
    articles = func.count(distinct(Mention.article_id))
    query = select(Entity.name, articles).join(Mention, Mention.entity_id == Entity.id)
    if leave_out_types:
        query = query.where(Entity.type.not_in(list(leave_out_types)))
    if leave_out_names:
        query = query.where(Entity.name.not_in(list(leave_out_names)))
    rows = session.execute(
        query.group_by(Entity.id, Entity.name, Entity.from_catalog)
        .order_by(Entity.from_catalog.desc(), articles.desc(), func.count().desc(), Entity.name)
        .limit(limit)
    )
    return [(str(name), int(count)) for name, count in rows]


def measured_over_time(session: Session, limit: int) -> list[tuple[int, str, str, int]]:
    """(entity id, name, metric, the dates its figures stand at) for each subject's measures reported at two or
    more dates, those with the most dates first; conversions are not counted."""
    dates = func.count(distinct(Figure.placed_on))
    rows = session.execute(
        select(Entity.id, Entity.name, Figure.metric, dates)
        .join(Entity, Entity.id == Figure.entity_id)
        .where(Figure.metric.is_not(None), Figure.conversion_of_id.is_(None), Figure.placed_on.is_not(None))
        .group_by(Entity.id, Entity.name, Figure.metric)
        .having(dates >= 2)
        .order_by(dates.desc(), Entity.name, Figure.metric)
        .limit(limit)
    )
    return [(int(eid), str(name), str(metric), int(count)) for eid, name, metric, count in rows]
