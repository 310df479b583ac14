"""One fact, many articles: a plan reported as "over the next three years" in an article that does not say when it
was announced takes the period of the same plan (same subject, metric, amount) where an article does say it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, select, update
from sqlalchemy.orm import Session

from bot.store.models import Figure

TOLERANCE = 0.01  # amounts within 1% are the same amount as reported
# A record is compared with the newest KNOWN records of its subject and metric, read newest first through their
# index: the same work on a hundred or a hundred thousand articles.
KNOWN = 2_000


def _newest(entity_id: int | None, metric: str | None) -> Any:
    """The newest KNOWN records of one subject and metric, as a subquery to filter further."""
    return (select(Figure).where(Figure.entity_id == entity_id, Figure.metric == metric)
            .order_by(Figure.id.desc()).limit(KNOWN).subquery())


def _metrics_from(session: Session, entity_id: int | None, prefix: str | None) -> list[str]:
    """The metrics of one subject that start with `prefix`, each found by one seek of the (subject, metric) index."""
    found: list[str] = []
    if entity_id is None or not prefix:
        return found
    last = prefix
    query: Select[Any] = select(Figure.metric).where(Figure.entity_id == entity_id).order_by(Figure.metric).limit(1)
    while True:
        metric = session.scalar(query.where(Figure.metric >= last, *([Figure.metric > last] if found else [])))
        if metric is None or not metric.startswith(prefix):
            return found
        found.append(metric)
        last = metric


def reconcile_periods(session: Session, article_id: int) -> int:
    """Fix weak periods in and around one new article; returns how many records changed. Looks up only records of
    the same subject and metric (indexed), so it costs the same on any corpus size."""
    mine = session.execute(
        select(Figure.id, Figure.entity_id, Figure.metric, Figure.value, Figure.unit, Figure.period_weak,
               Figure.period_start, Figure.period_end)
        .where(Figure.article_id == article_id, Figure.period_kind.is_not(None), Figure.entity_id.is_not(None),
               Figure.metric.is_not(None))
    ).all()
    changed = 0
    for fid, entity_id, metric, value, unit, weak, start, end in mine:
        known = _newest(entity_id, metric)
        same = and_(known.c.unit == unit, known.c.value.between(value * (1 - TOLERANCE), value * (1 + TOLERANCE)),
                    known.c.id != fid, known.c.period_kind.is_not(None))
        if weak:
            firm = session.execute(select(known.c.period_start, known.c.period_end).where(
                same, known.c.period_weak.is_(False)).order_by(known.c.id).limit(1)).first()
            if firm is not None:
                changed += _set(session, [fid], firm[0], firm[1])
        else:
            weak_ids = list(session.scalars(select(known.c.id).where(same, known.c.period_weak.is_(True))))
            changed += _set(session, weak_ids, start, end)
    return changed + _name_plans(session, article_id)


def _name_plans(session: Session, article_id: int) -> int:
    """A plan said again without its horizon ("the 380 billion yuan it set aside") is the plan: same subject and
    amount, a metric the plan's name starts with. It takes the plan's metric and period."""
    loose = session.execute(
        select(Figure.id, Figure.entity_id, Figure.metric, Figure.value, Figure.unit)
        .where(Figure.article_id == article_id, Figure.period_kind.is_(None), Figure.status.in_(("plan", "forecast")),
               Figure.entity_id.is_not(None), Figure.metric.is_not(None), Figure.conversion_of_id.is_(None))
    ).all()
    changed = 0
    for fid, entity_id, metric, value, unit in loose:
        plans: list[Any] = []
        for named in _metrics_from(session, entity_id, metric):
            known = _newest(entity_id, named)
            plans += session.execute(
                select(known.c.period_weak, known.c.id, known.c.metric, known.c.period_start, known.c.period_end,
                       known.c.period_kind)
                .where(known.c.unit == unit, known.c.id != fid, known.c.period_kind == "horizon",
                       known.c.value.between(value * (1 - TOLERANCE), value * (1 + TOLERANCE)))
                .order_by(known.c.period_weak, known.c.id).limit(1)).all()
        if plans:
            plan = min(plans)[2:]
            session.execute(update(Figure).where(Figure.id == fid).values(
                metric=plan[0], period_start=plan[1], period_end=plan[2], period_kind=plan[3], period_weak=False,
                placed_on=plan[2], placed_by="period"))
            changed += 1
    return changed


def _set(session: Session, ids: list[int], start: object, end: object) -> int:
    if not ids:
        return 0
    # A conversion stands in its original's sentence: found through the sentence index, not a scan.
    sentences = select(Figure.sentence_id).where(Figure.id.in_(ids))
    ids = ids + list(session.scalars(select(Figure.id).where(Figure.sentence_id.in_(sentences),
                                                             Figure.conversion_of_id.in_(ids))))
    session.execute(update(Figure).where(Figure.id.in_(ids)).values(
        period_start=start, period_end=end, period_weak=False, placed_on=end, placed_by="period"))
    return len(ids)



