"""One fact, many articles: a plan reported as "over the next three years" in an article that does not say when it
was announced takes the period of the same plan (same subject, metric, amount) where an article does say it."""

from __future__ import annotations

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from bot.store.models import Figure

TOLERANCE = 0.01  # amounts within 1% are the same amount as reported


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
        same = and_(Figure.entity_id == entity_id, Figure.metric == metric, Figure.unit == unit,
                    Figure.value.between(value * (1 - TOLERANCE), value * (1 + TOLERANCE)), Figure.id != fid,
                    Figure.period_kind.is_not(None))
        if weak:
            firm = session.execute(select(Figure.period_start, Figure.period_end).where(
                same, Figure.period_weak.is_(False)).order_by(Figure.id).limit(1)).first()
            if firm is not None:
                changed += _set(session, [fid], firm[0], firm[1])
        else:
            weak_ids = list(session.scalars(select(Figure.id).where(same, Figure.period_weak.is_(True))))
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
        plan = session.execute(select(Figure.metric, Figure.period_start, Figure.period_end, Figure.period_kind)
                               .where(Figure.entity_id == entity_id, Figure.unit == unit, Figure.id != fid,
                                      Figure.metric.startswith(metric), Figure.period_kind == "horizon",
                                      Figure.value.between(value * (1 - TOLERANCE), value * (1 + TOLERANCE)))
                               .order_by(Figure.period_weak, Figure.id).limit(1)).first()
        if plan is not None:
            session.execute(update(Figure).where(Figure.id == fid).values(
                metric=plan[0], period_start=plan[1], period_end=plan[2], period_kind=plan[3], period_weak=False,
                placed_on=plan[2], placed_by="period"))
            changed += 1
    return changed


def _set(session: Session, ids: list[int], start: object, end: object) -> int:
    if not ids:
        return 0
    ids = ids + list(session.scalars(select(Figure.id).where(Figure.conversion_of_id.in_(ids))))
    session.execute(update(Figure).where(Figure.id.in_(ids)).values(
        period_start=start, period_end=end, period_weak=False, placed_on=end, placed_by="period"))
    return len(ids)



