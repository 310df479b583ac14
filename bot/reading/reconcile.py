"""One fact, many articles: a plan reported as "over the next three years" in an article that does not say when it
was announced takes the period of the same plan (same subject, metric, amount) where an article does say it."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, select, update
from sqlalchemy.orm import Session

from bot.store.models import Figure

TOLERANCE = 0.01  # amounts within 1% are the same amount as reported
# A record is compared with the newest KNOWN records of its subject and metric, read newest first through their
# index: the same work on a hundred or a hundred thousand articles.
KNOWN = 2_000
_FIGURES = cast(Table, Figure.__table__)  # updates through the table: the ORM's bulk path costs more than the write


@cache
def _statements() -> dict[tuple[str, bool], Any]:
    """The three reads, built once (a subquery's columns cost more to build than the read): among the newest KNOWN
    records of one subject and metric, those with the same amount (and unit), for a firm period, weak periods,
    and a named plan. Parameters: entity_id, metric, low, high, fid, and unit when there is one."""
    known = (
        select(
            Figure.id,
            Figure.unit,
            Figure.value,
            Figure.metric,
            Figure.period_kind,
            Figure.period_weak,
            Figure.period_start,
            Figure.period_end,
            Figure.status,
        )
        .where(Figure.entity_id == bindparam("entity_id"), Figure.metric == bindparam("metric"))
        .order_by(Figure.id.desc())
        .limit(KNOWN)
        .subquery()
    )
    c = known.c
    statements: dict[tuple[str, bool], Any] = {}
    for has_unit in (True, False):
        same = and_(
            c.value.between(bindparam("low"), bindparam("high")),
            c.id != bindparam("fid"),
            c.unit == bindparam("unit") if has_unit else c.unit.is_(None),
        )
        # a forecast of about the same amount is not the reported figure: only records of the same standing
        alike = c.status.in_(bindparam("statuses", expanding=True))
        statements["firm", has_unit] = (
            select(c.period_start, c.period_end)
            .where(same, alike, c.period_kind.is_not(None), c.period_weak.is_(False))
            .order_by(c.id)
            .limit(1)
        )
        statements["weak", has_unit] = select(c.id).where(
            same, alike, c.period_kind.is_not(None), c.period_weak.is_(True)
        )
        statements["plan", has_unit] = (
            select(c.period_weak, c.id, c.metric, c.period_start, c.period_end, c.period_kind)
            .where(same, c.period_kind == "horizon")
            .order_by(c.period_weak, c.id)
            .limit(1)
        )
    return statements


# the records a record may take a period from, by its status
_ALIKE = {"actual": ["actual", "converted"], "converted": ["actual", "converted"]}


def _same_amount(entity_id: int | None, metric: str | None, fid: int, value: float, unit: str | None) -> dict[str, Any]:
    params = {
        "entity_id": entity_id,
        "metric": metric,
        "fid": fid,
        "low": value * (1 - TOLERANCE),
        "high": value * (1 + TOLERANCE),
    }
    return params | ({"unit": unit} if unit is not None else {})


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
        select(
            Figure.id,
            Figure.entity_id,
            Figure.metric,
            Figure.value,
            Figure.unit,
            Figure.period_weak,
            Figure.period_start,
            Figure.period_end,
            Figure.status,
        ).where(
            Figure.article_id == article_id,
            Figure.period_kind.is_not(None),
            Figure.entity_id.is_not(None),
            Figure.metric.is_not(None),
        )
    ).all()
    changed = 0
    statements = _statements()
    for fid, entity_id, metric, value, unit, weak, start, end, status in mine:
        params = _same_amount(entity_id, metric, fid, value, unit) | {"statuses": _ALIKE.get(status, [status])}
        if weak:
            firm = session.execute(statements["firm", unit is not None], params).first()
            if firm is not None:
                changed += _set(session, [fid], firm[0], firm[1])
        else:
            weak_ids = list(session.scalars(statements["weak", unit is not None], params))
            changed += _set(session, weak_ids, start, end)
    return changed + _name_plans(session, article_id)


def _name_plans(session: Session, article_id: int) -> int:
    """A plan said again without its horizon ("the 380 billion yuan it set aside") is the plan: same subject and
    amount, a metric the plan's name starts with. It takes the plan's metric and period."""
    loose = session.execute(
        select(Figure.id, Figure.entity_id, Figure.metric, Figure.value, Figure.unit).where(
            Figure.article_id == article_id,
            Figure.period_kind.is_(None),
            Figure.status.in_(("plan", "forecast")),
            Figure.entity_id.is_not(None),
            Figure.metric.is_not(None),
            Figure.conversion_of_id.is_(None),
        )
    ).all()
    changed = 0
    for fid, entity_id, metric, value, unit in loose:
        plans: list[Any] = []
        for named in _metrics_from(session, entity_id, metric):
            plans += session.execute(
                _statements()["plan", unit is not None], _same_amount(entity_id, named, fid, value, unit)
            ).all()
        if plans:
            plan = min(plans)[2:]
            session.execute(
                update(_FIGURES)
                .where(_FIGURES.c.id == fid)
                .values(
                    metric=plan[0],
                    period_start=plan[1],
                    period_end=plan[2],
                    period_kind=plan[3],
                    period_weak=False,
                    placed_on=plan[2],
                    placed_by="period",
                )
            )
            changed += 1
    return changed


def _set(session: Session, ids: list[int], start: object, end: object) -> int:
    if not ids:
        return 0
    # A conversion stands in its original's sentence: found through the sentence index, not a scan.
    sentences = select(Figure.sentence_id).where(Figure.id.in_(ids))
    ids = ids + list(
        session.scalars(select(Figure.id).where(Figure.sentence_id.in_(sentences), Figure.conversion_of_id.in_(ids)))
    )
    session.execute(
        update(_FIGURES)
        .where(_FIGURES.c.id.in_(ids))
        .values(period_start=start, period_end=end, period_weak=False, placed_on=end, placed_by="period")
    )
    return len(ids)
