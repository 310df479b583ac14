"""Which period phrase of a sentence belongs to which of its amounts: the nearest after the amount within its
clause, else the nearest before it, unless another amount or a comparison stands between."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.reading.amount_lists import COMPARED_WITH
from bot.reading.period_spans import RELATIVE_CLAUSE
from bot.reading.periods import Found

_COMPARED = re.compile(r"\b(?:than|from|compared (?:with|to)|versus|vs\.?)\s+(?:the\s+|a\s+)?$", re.I)
_NEW_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s|;")  # a clause of its own: not "AI and cloud"
_CLAUSE_BREAK = re.compile(r",?\s+(?:and|but|while|whereas|although)\s|,\s+or\s|;")


_COMPARED_AMOUNT = re.compile(
    r"\b(?:than|from|compared (?:with|to)|versus|against)\s+(?:(?!to\b|and\b)[\w-]+\s+){0,3}(?:of\s+)?$", re.I
)


def compared_after(found: list[Found], end: int, others: Sequence[tuple[int, int]], text: str) -> bool:
    """Whether the sentence's periods are those of an amount it compares with, after the one that ends at `end`
    ("beat the $1.2 billion analysts expected and compared with $960 million in April-June")."""
    return bool(found) and all(
        any(end <= o_s and o_e <= f.start and _COMPARED_AMOUNT.search(text[end:o_s]) for o_s, o_e in others)
        for f in found
    )


def pick_period(
    found: list[Found], start: int, end: int, stop: int, text: str, others: Sequence[tuple[int, int]] = ()
) -> Found | None:
    """The period phrase that belongs to the amount at [start, end): the nearest after it within its clause,
    else the nearest before it in the sentence, unless another amount stands between (then the phrase is that
    amount's), except a phrase that opens the sentence ("In the second quarter, X rose 5% and Y 6%")."""
    after = [
        f
        for f in found
        if f.start >= end
        and f.start < stop
        and not f.comparison
        and not re.search(r"[;!?]|\.(?!\d)", text[end : f.start])
        and not _COMPARED.search(text[max(end, f.start - 25) : f.start])
        # "held about 2,400 GPUs, and it aims for 5,000 by next year", "…, and sales for the year reached
        # $9 billion": another clause's number owns it
        and not _other_clause_number(text[end : f.start])
        and not (_NEW_CLAUSE.search(text[end : f.start]) and stop < len(text))
    ]
    if after:
        return min(after, key=lambda f: f.start)
    before = [
        f
        for f in found
        if f.end <= start
        and not f.comparison
        # "fell 6% from a year earlier to 26 billion": the base of the change, not when the amount after it holds
        # ("A year earlier, it had 26 billion" is)
        and not (f.earlier and _COMPARED.search(text[max(0, f.start - 25) : f.start]))
        # "… from $280 million a year earlier, and the margin widened to 14%": another clause's period
        and not (
            f.earlier and _CLAUSE_BREAK.search(text[f.end : start]) and text[: f.start].strip(' \t"“(').rstrip(",")
        )
        # "its app, which had 200,000 users in January, now has …": a date inside a relative clause is the clause's
        and not (RELATIVE_CLAUSE.search(text, 0, f.start) and "," in text[f.end : start])
        # "… up from 1.1 million at the end of 2025, while daily users rose to 520,000": a comparison base's date
        and not any(_dates_base(f, o_start, o_end, text) and o_end <= start for o_start, o_end in others)
        and (
            not any(
                f.end <= o_start and o_end <= start and _CLAUSE_BREAK.search(text[o_end:start])
                for o_start, o_end in others
            )
            or not text[: f.start].strip(' \t"“(').rstrip(",")
            or re.match(r"^\W*\w+\W*$", text[: f.start] or "x")
        )
    ]
    if before:
        last = max(before, key=lambda f: f.end)
        # "for July-September, the second quarter of the fiscal year …, which it calls fiscal 2025, came to …": the
        # narrowest of the periods that name the same stretch is the one measured.
        inside = [f for f in before if _within(f, last) and not _amount_between(f, last, others)]
        return min(inside, key=lambda f: _length(f)) if inside else last
    return None


def _dates_base(f: Found, o_start: int, o_end: int, text: str) -> bool:
    """Whether the phrase `f` follows, within its clause, an amount set up as what another is compared with."""
    between = text[o_end : f.start]
    return (
        o_end <= f.start
        and len(between.split()) <= 3
        and not _CLAUSE_BREAK.search(between)
        and not re.search(r"[,;]", between)
        and bool(COMPARED_WITH.search(text[:o_start]))
    )


def _other_clause_number(between: str) -> bool:
    """Whether a clause break and then a number stand between an amount and a period phrase after it."""
    brk = _CLAUSE_BREAK.search(between)
    return brk is not None and re.search(r"\d", between[brk.end() :]) is not None


def _within(inner: Found, outer: Found) -> bool:
    a, b = inner.period, outer.period
    return bool(
        a and b and a.start and a.end and b.start and b.end and b.start <= a.start and a.end <= b.end and a != b
    )


def _length(f: Found) -> int:
    p = f.period
    return (p.end - p.start).days if p and p.start and p.end else 10**6


def _amount_between(a: Found, b: Found, others: Sequence[tuple[int, int]]) -> bool:
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    return any(lo <= s and e <= hi for s, e in others)
