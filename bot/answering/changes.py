"""What an article changed or contradicts: its figures against the known figures of the same subject and metric.

A newer period's figure that follows an older one is a change ("7% → 13%"); the same period with another amount
is a contradiction. Figures of different subjects or metrics are never compared. The lookup reads only the records
of the new article's (subject, metric) pairs through their index, newest first and bounded, so it costs the same on
a hundred or a hundred thousand articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from bot.answering.claims import comparable, compare_recency, conflict_kind, same_amount, same_measure, same_period
from bot.answering.figure_store import amounts
from bot.answering.model import FigureHit
from bot.store.models import Figure

KNOWN_PER_KEY = 100  # known records read per subject and metric of the new article, newest first
CONTRADICTIONS_PER_FIGURE = 3  # other amounts reported for the same period, newest first


@dataclass
class Change:
    old: FigureHit
    new: FigureHit
    kind: str  # "changed" (a later period or date, another amount) or "contradicts" (same period, other amount)
    conflict: str = ""  # for a contradiction: status (reported vs estimate/forecast), qualifier, disagreement

    def describe(self) -> str:
        verb = (
            "changed"
            if self.kind == "changed"
            else {
                "status": "differs from (one is not a reported figure)",
                "qualifier": "is worded differently from",
            }.get(self.conflict, "contradicts")
        )
        return f"{verb}: {self.old.text} ({_label(self.old)}) → {self.new.text} ({_label(self.new)})"


def _label(fig: FigureHit) -> str:
    article = fig.article
    when = fig.when
    published = article.published.isoformat() if article.published else "undated"
    return f"{when + ', ' if when else ''}{article.title}, {published}"


def figure_changes(
    session: Session, article_ids: list[int], against: list[int] | ColumnElement[bool] | None = None
) -> list[Change]:
    """Figures in `article_ids` that continue or contradict known figures: of other articles, or of `against`
    (article ids, or a condition on the figures table such as "in an article added before Monday")."""
    new = [f for f in amounts(session, Figure.article_id.in_(article_ids)) if f.entity_id and f.metric]
    keys = {(f.entity_id, f.metric) for f in new}
    if not keys:
        return []
    if isinstance(against, list) and not against:
        return []
    scope = (
        Figure.article_id.not_in(article_ids)
        if against is None
        else Figure.article_id.in_(against)
        if isinstance(against, list)
        else against
    )
    # One read per (subject, metric), newest first through its index: an OR of them all would sort every record.
    old = [
        o
        for e, m in sorted(keys, key=str)
        for o in amounts(session, and_(Figure.entity_id == e, Figure.metric == m, scope), limit=KNOWN_PER_KEY)
    ]
    changes: list[Change] = []
    said: set[tuple[int, float, object]] = set()  # one line per old figure and new amount (a headline repeats)
    for n in new:
        peers = [o for o in old if same_measure(n, o) and comparable(n, o)]
        # Newest first: each other amount once (the newest report of it), a few per figure.
        against_amounts: list[float] = []
        for o in peers:
            if len(against_amounts) == CONTRADICTIONS_PER_FIGURE:
                break
            if (
                same_period(n, o)
                and not same_amount(n.value, o.value)
                and (o.id, n.value, n.period_end) not in said
                and not any(same_amount(o.value, v) for v in against_amounts)
            ):
                said.add((o.id, n.value, n.period_end))
                against_amounts.append(o.value)
                changes.append(Change(o, n, "contradicts", conflict_kind(o, n)))
        earlier = [o for o in peers if not same_period(n, o) and compare_recency(n, o) > 0]
        if earlier:
            previous = max(earlier, key=lambda o: (o.placed_on or o.article.sort_date or n.placed_on, o.id))
            if (
                not same_amount(previous.value, n.value)
                and not any(same_period(previous, p) and same_amount(p.value, n.value) for p in peers)
                and (previous.id, n.value, n.period_end) not in said
            ):
                said.add((previous.id, n.value, n.period_end))
                changes.append(Change(previous, n, "changed"))
    return changes
