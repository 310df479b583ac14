"""Figure records for review and for comparison: every stored figure with its subject, metric, period and status,
and which records state the same fact (a claim).

Two records state the same fact by the rule in `bot.answering.claims` (`same_fact`), the one answers, changes and
digests use; a currency conversion states the fact of the amount it converts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answering.claims import same_fact
from bot.reading.measures import without_basis
from bot.store.models import Article, Entity, EntityAlias, Figure, Sentence


@dataclass
class Record:
    id: int
    article_id: int
    entity_id: int | None
    metric: str | None
    value: float
    unit: str | None
    kind: str
    status: str
    period_start: date | None
    period_end: date | None
    as_of: date | None
    conversion_of: int | None
    period_kind: str | None
    placed_on: date | None
    sentence_id: int | None = None


def claim_ids(records: Iterable[Record]) -> dict[int, int]:
    """Record id -> claim id (the smallest record id of the claim). Two amounts one sentence sets side by side
    ("$4.1 billion to $4.15 billion", the two ends of a range) are never one claim, however close, nor joined
    through a third that rounds to both."""
    records = list(records)
    parent = {r.id: r.id for r in records}
    said: dict[int, set[tuple[int | None, float]]] = {r.id: {(r.sentence_id, r.value)} for r in records}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int, *, apart: bool = True) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or (apart and _side_by_side(said[ra], said[rb])):
            return
        low, high = min(ra, rb), max(ra, rb)
        parent[high] = low
        said[low] |= said.pop(high)

    groups: dict[tuple[int | None, str | None], list[Record]] = defaultdict(list)
    for r in records:
        if r.conversion_of is not None and r.conversion_of in parent:
            union(r.id, r.conversion_of, apart=False)
        # a conversion is compared too: "$4.7 billion" stated in one article is the conversion in another
        groups[(r.entity_id, without_basis(r.metric))].append(r)
    for group in groups.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if same_fact(a, b):
                    union(a.id, b.id)
    return {r.id: find(r.id) for r in records}


def _side_by_side(a: set[tuple[int | None, float]], b: set[tuple[int | None, float]]) -> bool:
    return any(sa is not None and sa == sb and va != vb for sa, va in a for sb, vb in b)


def load_records(session: Session, condition: Any = None) -> list[Record]:
    query = select(
        Figure.id,
        Figure.article_id,
        Figure.entity_id,
        Figure.metric,
        Figure.value,
        Figure.unit,
        Figure.kind,
        Figure.status,
        Figure.period_start,
        Figure.period_end,
        Figure.as_of,
        Figure.conversion_of_id,
        Figure.period_kind,
        Figure.placed_on,
        Figure.sentence_id,
    )
    if condition is not None:
        query = query.where(condition)
    return [Record(*row) for row in session.execute(query)]  # type: ignore[call-arg]


def figure_dicts(session: Session, condition: Any = None) -> list[dict[str, Any]]:
    """Records in the review format (one dict per figure, in article and reading order)."""
    query = (
        select(Figure, Article, Sentence.text, Entity.name)
        .join(Article, Article.id == Figure.article_id)
        .join(Sentence, Sentence.id == Figure.sentence_id)
        .outerjoin(Entity, Entity.id == Figure.entity_id)
        .order_by(Figure.article_id, Figure.start)
    )
    if condition is not None:
        query = query.where(condition)
    rows = session.execute(query).all()
    entity_ids = {f.entity_id for f, *_ in rows if f.entity_id is not None}
    aliases: dict[int, list[str]] = defaultdict(list)
    if entity_ids:
        for eid, alias in session.execute(
            select(EntityAlias.entity_id, EntityAlias.alias).where(EntityAlias.entity_id.in_(entity_ids))
        ):
            aliases[eid].append(alias)
    # Claims are decided among all records of the same subjects, not only the ones listed.
    pool = load_records(session, Figure.entity_id.in_(entity_ids)) if entity_ids else []
    pool += [
        Record(
            f.id,
            f.article_id,
            f.entity_id,
            f.metric,
            f.value,
            f.unit,
            f.kind,
            f.status,
            f.period_start,
            f.period_end,
            f.as_of,
            f.conversion_of_id,
            f.period_kind,
            f.placed_on,
            f.sentence_id,
        )
        for f, *_ in rows
        if f.entity_id is None
    ]
    claims = claim_ids(pool)
    out = []
    for fig, article, sentence, entity_name in rows:
        out.append(
            {
                "id": fig.id,
                "article": {
                    "id": article.id,
                    "title": article.title,
                    "published": article.published.isoformat() if article.published else None,
                    "filename": article.filename,
                },
                "text": fig.text,
                "value": fig.value,
                "unit": fig.unit,
                "kind": fig.kind,
                "qualifier": fig.qualifier,
                "subject": {
                    "name": entity_name,
                    "aliases": sorted(set(aliases.get(fig.entity_id or -1, [])) - {entity_name}),
                }
                if entity_name
                else None,
                "metric": fig.metric,
                "period": {
                    "start": _iso(fig.period_start),
                    "end": _iso(fig.period_end),
                    "kind": fig.period_kind,
                    "weak": fig.period_weak,
                }
                if fig.period_start or fig.period_end
                else None,
                "as_of": _iso(fig.as_of),
                "date": _iso(fig.placed_on),
                "date_basis": fig.placed_by,
                "status": fig.status,
                "claim": f"c{claims.get(fig.id, fig.id)}",
                "conversion_of": fig.conversion_of_id,
                "sentence": sentence,
                "start": fig.start,
            }
        )
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
