"""Which figures are the same claim, and which are one quantity changing over time."""

from __future__ import annotations

import functools
import itertools
import re
from datetime import date

from bot.answering.answer import Claim, FigureHit
from bot.store.words import unit_words

SAME_VALUE = 0.01  # relative difference under which two amounts are the same claim
REPRESENTATIVES = 6


def _unit_stems(fig: FigureHit) -> frozenset[str]:
    return unit_words(fig.unit)


@functools.lru_cache(maxsize=4096)
def period_class(period: str | None) -> str | None:
    """A coarse kind of period; figures of different kinds are not one series ("in the quarter", "over three years")."""
    if not period:
        return None
    p = period.lower()
    several = re.search(r"\b(?:two|three|four|five|ten|\d+|next|past|last)\b", p)
    if (several and re.search(r"\byears?\b", p)) or "year plan" in p or re.search(r"\w+-year\b", p):
        return "years"
    if re.search(r"\b(?:two|three|four|five|six|seven|eight|\d+)\s+(?:consecutive\s+)?quarters\b", p):
        return "quarters"
    if "quarter" in p:
        return "quarter"
    if "year" in p or "annual" in p:
        return "year"
    return None


def same_quantity(a: FigureHit, b: FigureHit) -> bool:
    """Both measure the same thing: same kind and unit (counts: a shared counted word) and compatible periods."""
    if a.kind != b.kind:
        return False
    if a.kind == "count":
        # "derivatives" and "derived models" count the same thing; "AI models" and "derived models" do not.
        ua, ub = _unit_stems(a), _unit_stems(b)
        if a.unit and b.unit and not (ua <= ub or ub <= ua):
            return False
    elif a.unit != b.unit:
        return False
    pa, pb = period_class(a.period), period_class(b.period)
    return pa is None or pb is None or pa == pb


# Stems too common around figures to say two of them are about the same thing.
GENERIC_STEMS = frozenset({"billion", "million", "thousand", "trillion", "yuan", "dollar", "percent", "year",
                           "quarter", "month", "alibaba", "compani", "group"})


def same_topic(a: FigureHit, b: FigureHit) -> bool:
    """About the same thing: the same named subject, or at least two telling words in common (around the
    figures or in what they count). One shared word ("revenue") is not enough to call two amounts one series."""
    if a.entity_id is not None and a.entity_id == b.entity_id:
        return True
    counted_a = _unit_stems(a) if a.kind == "count" else frozenset()
    counted_b = _unit_stems(b) if b.kind == "count" else frozenset()
    shared = (a.context | counted_a) & (b.context | counted_b)
    return len(shared - GENERIC_STEMS) >= 2


def same_claim(a: FigureHit, b: FigureHit) -> bool:
    """Same quantity, same value, and about the same thing: the same company or shared words around it."""
    if not same_quantity(a, b):
        return False
    if abs(a.value - b.value) > SAME_VALUE * max(abs(a.value), abs(b.value), 1e-9):
        return False
    if a.entity_id is not None and a.entity_id == b.entity_id:
        return True
    pa = period_class(a.period)
    return (pa is not None and pa == period_class(b.period)) or bool((a.context & b.context) - GENERIC_STEMS)


def _newest_first(fig: FigureHit) -> tuple[int, str]:
    when = fig.as_of or fig.article.sort_date
    return (-(when.toordinal() if when else 0), fig.article.title)


def _ordinal(d: date | None) -> int:
    return d.toordinal() if d else 0


def compare_recency(a: FigureHit, b: FigureHit) -> int:
    """Positive when `a` is newer. Dates a sentence states are compared with each other; a figure without one
    is as old as its article's publication, which is compared with the other's publication where both have one
    (an article reports the latest figure it knows)."""
    if a.as_of and b.as_of:
        left, right = _ordinal(a.as_of), _ordinal(b.as_of)
    elif (a.as_of is None or b.as_of is None) and a.article.published and b.article.published:
        left, right = _ordinal(a.article.published), _ordinal(b.article.published)
    else:
        left, right = _ordinal(a.as_of or a.article.sort_date), _ordinal(b.as_of or b.article.sort_date)
    return (left > right) - (left < right)


def group_claims(figures: list[FigureHit]) -> list[Claim]:
    """Figures best first -> claims best first; each claim's sources newest first."""
    claims: list[list[FigureHit]] = []
    for fig in figures:
        for members in claims:
            # A few representatives stand for a claim: enough to link reports, bounded however many there are.
            if any(same_claim(m, fig) for m in members[:REPRESENTATIVES]):
                if all(m.article.id != fig.article.id for m in members):
                    members.append(fig)
                else:
                    _merge_conversions(members, fig)
                break
        else:
            claims.append([fig])
    # The best-matching report leads (its sentence is quoted); the rest follow newest first.
    return [Claim(members[:1] + sorted(members[1:], key=_newest_first)) for members in claims]


def _merge_conversions(members: list[FigureHit], fig: FigureHit) -> None:
    for member in members:
        if member.article.id == fig.article.id:
            member.conversions.extend(c for c in fig.conversions if c not in member.conversions)


def newest_report(claim: Claim) -> FigureHit:
    return max(claim.figures, key=functools.cmp_to_key(compare_recency))


def find_series(claims: list[Claim], ratio: float = 0.7) -> list[Claim]:
    """The top claim and the close runners-up that measure the same quantity with another value, newest first."""
    if not claims:
        return []
    top = claims[0]
    series = [top] + [
        c for c in claims[1:6]
        if c.score >= ratio * top.score and same_quantity(top.lead, c.lead)
        and abs(c.lead.value - top.lead.value) > SAME_VALUE * abs(top.lead.value)
        and any(same_topic(a, b) for a in top.figures[:REPRESENTATIVES] for b in c.figures[:REPRESENTATIVES])
    ]
    if len(series) < 2:
        return []
    return sorted(series, key=lambda c: functools.cmp_to_key(compare_recency)(newest_report(c)), reverse=True)


def _when(fig: FigureHit) -> str:
    if fig.as_of:
        return f"as of {fig.as_of.isoformat()}"
    return f"reported {fig.article.published.isoformat()}" if fig.article.published else "undated"


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
    if len(timeline) > 1:
        newest = [newest_report(c) for c in timeline]
        steps = " → ".join(f"{f.text} ({_when(f)}, {f.article.title})" for f in reversed(newest))
        distinct = all(compare_recency(a, b) != 0 for a, b in itertools.pairwise(newest))
        if distinct:
            notes.append(f"Changed over time (oldest to newest): {steps}.")
        else:
            notes.append(f"Sources differ: {steps}.")
    return notes
