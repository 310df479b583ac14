"""Claims, series and conflicts, from figure records.

- One claim: the same subject, metric and period, and the same amount within rounding (a currency conversion
  belongs to the amount it converts): "reported by 4 articles".
- A series: the same subject and metric over different periods or as-of dates, ordered by the date each figure
  is placed at (its period end or as-of date, not when the article was published).
- A conflict: the same subject, metric and period with different amounts, typed (a reported figure against an
  estimate or forecast, a hedged figure against an exact one, or a true disagreement).
Nothing else is compared, so no "changed" line is ever drawn between two different things.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.answering.model import Claim, FigureHit
from bot.reading.measures import CALENDAR_KINDS, without_basis

SAME_VALUE = 0.015  # relative difference still read as one amount (rounding)
SAME_DAYS = 20  # days two period bounds may differ and still be one period
SAME_AS_OF = 120  # days two as-of dates of an unchanged count may differ
REPRESENTATIVES = 6
# Stems too common around figures to say two of them are about the same thing (kept for callers ranking text).
GENERIC_STEMS = frozenset(
    {
        "billion",
        "million",
        "thousand",
        "trillion",
        "yuan",
        "dollar",
        "percent",
        "year",
        "quarter",
        "month",
        "compani",
        "group",
    }
)
STATUS_WORDS = {
    "actual": "reported",
    "plan": "planned",
    "forecast": "a forecast",
    "estimate": "an estimate",
    "converted": "a conversion",
}


class Measured(Protocol):
    """What the comparison rules read of a figure: a loaded FigureHit or a bare stored record."""

    entity_id: int | None
    metric: str | None
    kind: str
    unit: str | None
    value: float
    period_start: date | None
    period_end: date | None
    period_kind: str | None
    as_of: date | None
    placed_on: date | None
    status: str


def _close(a: date | None, b: date | None, days: int) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs((a - b).days) <= days


def same_amount(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_VALUE * max(abs(a), abs(b), 1e-9)


def same_measure(a: Measured, b: Measured, *, basis: bool = True) -> bool:
    """Both measure the same thing of the same subject: only these are ever compared. Counts compare by metric
    ("derived models" and "derivatives" count the same thing); money and percentages by unit too. Without
    `basis`, a metric stated on a basis (at constant currency) is the same as one whose basis is unsaid."""
    return (
        a.entity_id is not None
        and a.entity_id == b.entity_id
        and a.metric is not None
        and (a.metric == b.metric if basis else without_basis(a.metric) == without_basis(b.metric))
        and a.kind == b.kind
        and (a.kind == "count" or (a.unit or "") == (b.unit or ""))
        and _calendar_kind(a) == _calendar_kind(b)  # a quarter's revenue is not a year's
    )


def _calendar_kind(fig: Measured) -> str | None:
    return fig.period_kind if fig.period_kind in CALENDAR_KINDS else None


def same_period(a: Measured, b: Measured, days: int = SAME_DAYS) -> bool:
    """The same period (bounds within a few days), or for a level without one, the same moment: its as-of date,
    else the date it is placed at (its article's)."""
    if a.period_start or a.period_end or b.period_start or b.period_end:
        # A running total ("so far this year") to one date is not the same as to another.
        end_days = 0 if "ytd" in (a.period_kind, b.period_kind) else SAME_DAYS
        return _close(a.period_start, b.period_start, SAME_DAYS) and _close(a.period_end, b.period_end, end_days)
    da, db = a.as_of or a.placed_on, b.as_of or b.placed_on
    if da is None or db is None:
        return True
    return abs((da - db).days) <= days


def comparable(a: FigureHit, b: FigureHit) -> bool:
    """Whether two figures of one measure can be set side by side in time: a target or forecast that says no date
    is not the state of things at its article's date, so it is not compared with what was reported then."""
    if a.status == b.status or {a.status, b.status} <= {"actual", "converted"}:
        return True
    dated = all(f.period_end or f.as_of for f in (a, b))
    return dated


def _family(fig: FigureHit) -> str:
    """Reported figures make a history; plans and forecasts another; estimates a third. A forecast after a
    reported figure is not a change over time."""
    return {"converted": "actual", "forecast": "plan"}.get(fig.status, fig.status)


def conflict_kind(a: FigureHit, b: FigureHit) -> str:
    if a.status != b.status:
        return "status"
    if (a.qualifier or b.qualifier) and a.qualifier != b.qualifier:
        return "qualifier"
    return "disagreement"


def same_claim(a: FigureHit, b: FigureHit) -> bool:
    if a.metric is None and b.metric is None:  # records made before metrics: only the very same amount and words
        return a.text == b.text and a.entity_id == b.entity_id and a.sentence == b.sentence
    return same_fact(a, b)


def same_fact(a: Measured, b: Measured) -> bool:
    """The same subject, metric and period (an unchanged level within a few months), the same amount; a company's
    forecast, the analysts' estimate it is set against and the result reported are three claims, however close (a
    plan carried out is the plan's claim; the very same amount said as forecast and as reported is one claim whose
    status one of the two sentences leaves unsaid)."""
    if a.status != b.status:  # (most pairs share a status: no set is built for them)
        statuses = {a.status, b.status}
        if statuses == {"forecast", "estimate"}:
            return False
        if "actual" in statuses and statuses & {"forecast", "estimate"} and a.value != b.value:
            return False
    return same_measure(a, b, basis=False) and same_amount(a.value, b.value) and same_period(a, b, SAME_AS_OF)


# Kept for callers that only need "the same kind of quantity".
same_quantity = same_measure


def _placed(fig: FigureHit) -> int:
    when = fig.placed_on or fig.as_of or fig.article.sort_date
    return when.toordinal() if when else 0


def compare_recency(a: FigureHit, b: FigureHit) -> int:
    """Positive when `a` stands later in time than `b` (by the period or date each figure measures)."""
    left, right = _placed(a), _placed(b)
    return (left > right) - (left < right)


def group_claims(figures: list[FigureHit]) -> list[Claim]:
    """Figures best first -> claims best first; each claim's other sources newest first."""
    claims: list[list[FigureHit]] = []
    for fig in figures:
        for members in claims:
            if any(same_claim(m, fig) for m in members[:REPRESENTATIVES]):
                if all(m.article.id != fig.article.id for m in members):
                    members.append(fig)
                else:
                    _merge_conversions(members, fig)
                break
        else:
            claims.append([fig])
    return [Claim(members[:1] + sorted(members[1:], key=lambda f: -_placed(f))) for members in claims]


def _merge_conversions(members: list[FigureHit], fig: FigureHit) -> None:
    for member in members:
        if member.article.id == fig.article.id:
            member.conversions.extend(c for c in fig.conversions if c not in member.conversions)


def newest_report(claim: Claim) -> FigureHit:
    return max(claim.figures, key=_placed)


def find_series(claims: list[Claim]) -> list[Claim]:
    """The top claim and the claims that measure the same thing of the same subject in other periods, newest
    first; empty when there is no such other claim."""
    if not claims:
        return []
    top = claims[0].lead
    series = [claims[0]] + [
        c
        for c in claims[1:]
        if same_measure(top, c.lead) and not same_period(top, c.lead) and _family(top) == _family(c.lead)
    ]
    # Two claims of one period inside the series are a conflict, not two steps: keep the best of each period.
    steps: list[Claim] = []
    for c in series:
        if not any(same_period(c.lead, s.lead) for s in steps):
            steps.append(c)
    if len(steps) < 2:
        return []
    return sorted(steps, key=lambda c: -_placed(newest_report(c)))


def chart_points(timeline: list[Claim], claims: list[Claim]) -> list[FigureHit]:
    """A timeline (newest first) as a chart draws it, oldest first by the date each figure is placed at: each
    step's newest report, then the answer's other claims of the same measure that give another amount for one of
    its periods (a conflict, both drawn at that period) or plan, forecast or estimate it for a stated date (drawn
    apart from the reported line). Empty for a timeline of fewer than two steps."""
    if len(timeline) < 2:
        return []
    steps = [newest_report(c) for c in reversed(timeline)]
    top = timeline[0].lead
    extra = []
    for c in claims:
        fig = newest_report(c)
        if (
            c in timeline
            or not same_measure(top, fig)
            or any(same_amount(fig.value, s.value) and same_period(fig, s) for s in steps)
        ):
            continue
        if any(same_period(fig, s) for s in steps) or (_family(fig) != _family(top) and (fig.period_end or fig.as_of)):
            extra.append(fig)
    return sorted(steps + extra, key=_placed)


@dataclass
class Conflict:
    a: FigureHit
    b: FigureHit
    kind: str  # status (reported vs estimate/forecast), qualifier (hedged vs exact), disagreement

    def describe(self) -> str:
        when = self.a.when or self.b.when
        on = f" for {when}" if when else ""
        left = f"{self.a.text} ({STATUS_WORDS.get(self.a.status, self.a.status)}, {self.a.article.label})"
        right = f"{self.b.text} ({STATUS_WORDS.get(self.b.status, self.b.status)}, {self.b.article.label})"
        if self.kind == "status":
            return f"Sources give different figures{on}: {left} vs {right}; one is not a reported figure."
        if self.kind == "qualifier":
            return f"Sources word it differently{on}: {left} vs {right}."
        return f"Sources disagree{on}: {left} vs {right}."


def find_conflicts(claims: list[Claim]) -> list[Conflict]:
    """Claims that state another amount for the same subject, metric and period as the top claim."""
    if not claims:
        return []
    top = claims[0].lead
    out = []
    for c in claims[1:]:
        other = c.lead
        if not (same_measure(top, other) and same_period(top, other) and comparable(top, other)) or same_amount(
            top.value, other.value
        ):
            continue
        out.append(Conflict(top, other, conflict_kind(top, other)))
    return out


def _step(fig: FigureHit) -> str:
    when = fig.when or (f"reported {fig.article.published.isoformat()}" if fig.article.published else "undated")
    return f"{fig.text} ({when}, {fig.article.title})"


def difference_notes(claims: list[Claim], timeline: list[Claim]) -> list[str]:
    """Plain sentences saying where sources differ and how a figure changed over time."""
    notes: list[str] = []
    if claims:
        lead = claims[0]
        conversions: dict[str, str] = {}
        for fig in lead.figures:
            for conv in fig.conversions:
                conversions.setdefault(conv.text, fig.article.title)
        if len(conversions) > 1:
            listed = "; ".join(f"{t} ({title})" for t, title in conversions.items())
            notes.append(f"Sources convert it differently: {listed}.")
        qualifiers = {f.qualifier for f in lead.figures}
        if len(qualifiers) > 1 and len(lead.figures) > 1:
            said = sorted(q for q in qualifiers if q)
            notes.append(f"Sources differ on wording: some say “{'”, “'.join(said)}”, others give the figure alone.")
        notes.extend(c.describe() for c in find_conflicts(claims))
    if len(timeline) > 1:
        newest = [newest_report(c) for c in timeline]
        steps = " → ".join(_step(f) for f in reversed(newest))
        if all(compare_recency(a, b) != 0 for a, b in itertools.pairwise(newest)):
            notes.append(f"Changed over time (oldest to newest): {steps}.")
    return notes
