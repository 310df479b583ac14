"""The one period reader: every period or as-of phrase in a sentence, with its phrase, its dates and its role
(the period measured, an as-of, a comparison base such as "the previous quarter", a rate such as "per share").

Relative phrases are resolved against a date the sentence states, else the article's date (or its estimate), and
"the latest/previous quarter" against the reporting quarter the article named last. Fiscal labels go through the
company's fiscal calendar (the pack's `company.yml`, read into `bot.rules.FiscalRules`). The phrases are in
`bot.reading.period_grammar`, what a period is in `bot.reading.period_model`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from bot.reading.dates import MONTHS
from bot.reading.number_words import small_number
from bot.reading.period_grammar import MONTH_RE, PATTERNS, YEAR_RE
from bot.reading.period_model import (
    CALENDAR_YEAR,
    Calendars,
    FiscalCalendar,
    Found,
    Period,
    Resolver,
    TimeContext,
    add_months,
    day_in,
    latest_year,
)
from bot.reading.period_phrases import PHRASES
from bot.reading.period_spans import EVENT_BEFORE
from bot.rules import FiscalRules, FiscalYear

__all__ = [
    "CALENDAR_YEAR",
    "Calendars",
    "FiscalCalendar",
    "Found",
    "Period",
    "Resolver",
    "TimeContext",
    "calendars_of",
    "clause_end",
    "estimate_article_date",
    "figure_phrase",
    "find_periods",
    "quarters_named",
    "read_periods",
    "sentence_anchor",
]


@lru_cache(maxsize=4)
def calendars_of(fiscal: FiscalRules) -> Calendars:
    """The fiscal calendars of the rules (from `company.yml`); kept per rules object."""

    def calendar(year: FiscalYear) -> FiscalCalendar:
        return FiscalCalendar(year.end_month, year.end_day, year.lag_days, year.named_for == "start")

    return Calendars(calendar(fiscal.default), {name: calendar(y) for name, y in fiscal.by_name.items()})


# Every pattern of the grammar holds a digit or one of these words (case aside): a sentence with none of them names no
# period, and its patterns need not be tried one by one.
_MAY_NAME_PERIOD = re.compile(
    r"\d|quarter|half|period|report|result|year|month|time|end|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I
)
_MATCHES_SEEN: dict[str, list[list[re.Match[str]]]] = {}


def _pattern_matches(text: str) -> list[list[re.Match[str]]]:
    """Each pattern's matches in `text`, kept for the last few sentences: a sentence is searched for the quarters
    it names and again for each of its figures, with other resolvers but the same matches."""
    cached = _MATCHES_SEEN.get(text)
    if cached is None:
        if len(_MATCHES_SEEN) >= 64:
            _MATCHES_SEEN.clear()
        if _MAY_NAME_PERIOD.search(text) is None:
            cached = [[] for _ in PATTERNS]
        else:
            cached = [list(pattern.finditer(text)) for pattern, _ in PATTERNS]
        _MATCHES_SEEN[text] = cached
    return cached


def find_periods(text: str, resolver: Resolver) -> list[Found]:
    """Every period and as-of phrase in `text`, longest first where they overlap, in reading order.

    >>> from datetime import date
    >>> now = Resolver(TimeContext(date(2025, 8, 29), dated=True), FiscalCalendar(), anchor=None)
    >>> [(f.phrase, str(f.period.start), str(f.period.end), f.role)
    ...  for f in find_periods("revenue grew 26% in the quarter ended June 30", now) if f.period]
    [('quarter ended June 30', '2025-04-01', '2025-06-30', 'measured')]
    """
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for (_, handler), matches in zip(PATTERNS, _pattern_matches(text), strict=True):
        for m in matches:
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            hit = handler(m, resolver)
            if hit is not None:  # a handler may read on past its match ("over three years to 2028")
                found.append(replace(hit, phrase=text[hit.start : max(hit.end, m.end())]))
                taken.append((m.start(), max(hit.end, m.end())))
    return sorted(found, key=lambda f: f.start)


def _phrases(text: str) -> list[Found]:
    """The phrases that place an amount in time as answers show it ("over three years", "per share"), each
    match of each phrase pattern, with its role and no dates."""
    return [
        Found(m.start(), m.end(), phrase=m.group(0), comparison=role == "comparison", rate=role == "rate")
        for pattern, role in PHRASES
        for m in pattern.finditer(text)
    ]


def read_periods(text: str, resolver: Resolver) -> list[Found]:
    """Every period, as-of, comparison base and rate phrase in `text`, in reading order: those with dates (see
    `find_periods`), then the phrases without dates that none of them covers ("year-on-year", "per share")."""
    dated = find_periods(text, resolver)
    plain = [f for f in _phrases(text) if not any(d.start <= f.start and f.end <= d.end for d in dated)]
    return sorted(dated + plain, key=lambda f: (f.start, -f.end))


def clause_end(text: str, spans: Sequence[tuple[int, int]], index: int, *, conversion_next: bool) -> int:
    """Where the clause of the amount at `spans[index]` gives way to the next amount: a period phrase after an
    amount belongs to it up to there. The next amount does not count when it converts this one ("$53 billion
    (about 380 billion yuan)"): `conversion_next`."""
    following = spans[index + 1 :]
    if following and conversion_next:
        following = following[1:]
    return following[0][0] if following else len(text)


def figure_phrase(text: str, start: int, end: int, stop: int) -> str | None:
    """The phrase an answer shows for the amount at [start, end): the nearest after it (within its clause, up to
    `stop`, before the sentence ends), else the last one before it."""
    after = text[end : min(end + 120, stop)]
    best: tuple[int, str] | None = None
    for pattern, _ in PHRASES:
        m = pattern.search(after)
        if m and not re.search(r"[;!?]|\.(?!\d)", after[: m.start()]) and (best is None or m.start() < best[0]):
            best = (m.start(), m.group(0))
    if best:
        return best[1]
    before = text[max(0, start - 120) : start]
    best_before: tuple[int, str] | None = None
    for pattern, _ in PHRASES:
        for m in pattern.finditer(before):
            if best_before is None or m.end() > best_before[0]:
                best_before = (m.end(), m.group(0))
    return best_before[1] if best_before else None


def quarters_named(text: str, resolver: Resolver) -> list[tuple[date, date]]:
    """Reporting quarters a sentence names explicitly (not relative ones): they set the article's current quarter."""
    out = []
    for f in find_periods(text, resolver):
        p = f.period
        if (
            p is not None
            and p.kind == "quarter"
            and p.start
            and p.end
            and (not p.weak or resolver.ctx.dated)  # "its fiscal first quarter" in a dated article
            and not f.comparison
        ):
            phrase = text[f.start : f.end].lower()
            if not re.search(r"previous|prior|preceding|year-ago|year ago|latest|last|current|same|this", phrase):
                out.append((p.start, p.end))
    return out


_ANCHOR = re.compile(
    r"\b(?:in|on|during)\s+(?:early\s+|mid-?|late\s+)?(?P<month>"
    + MONTH_RE
    + r")\.?(?!\s*(?:-|–|—|to\s|through\s|until\s)\s*[A-Z])(?:\s+(?P<day>\d{1,2})(?!\d))?(?:,?\s+"
    + YEAR_RE
    + r")?\b",
    re.I,
)


# "against 4 million in March", "up from $2 billion in May": the month of a comparison base sets nothing.
_COMPARED_BEFORE = re.compile(r"\b(?:against|from|versus|vs\.?|compared\s+(?:with|to))\s+[^,;]{0,40}$", re.I)


_AGO = re.compile(r"\s*(?P<n>[a-z]+|\d+)\s+(?P<unit>year|quarter|month)s?\s+ago\b", re.I)  # any word numbering them


def sentence_anchor(text: str, today: date | None, *, future: bool = False) -> date | None:
    """A date the sentence sets its events on ("In February 2025, it pledged …", "On March 6, …"); a month with no
    year is the latest one by `today`, or, for a plan or forecast (`future`), the next one from it. A month that
    dates another event ("the phone it unveiled in May") sets nothing."""
    m = next(
        (
            m
            for m in _ANCHOR.finditer(text)
            if not EVENT_BEFORE.search(text, 0, m.start()) and not _COMPARED_BEFORE.search(text, 0, m.start())
        ),
        None,
    )
    if m and m.group("month")[0].isupper():
        month = MONTHS[m.group("month").lower().rstrip(".")]
        if m.group("y"):
            year = int(m.group("y"))
        elif today is not None:
            year = latest_year(month, today)
            if future and (month, 31) < (today.month, today.day):
                year += 1
            elif future:
                year = today.year
        else:
            return None
        return day_in(year, month, int(m.group("day")) if m.group("day") else 15)
    m = re.search(r"\b(?:[Ii]n|[Oo]n)\s+(?P<month>" + MONTH_RE + r")\.?\s+this\s+year\b", text)
    if m and today is not None:
        return day_in(today.year, MONTHS[m.group("month").lower().rstrip(".")], 15)
    m = _AGO.match(text)  # "A year ago, Acme beat forecasts …": the sentence is set that far back
    if m and today is not None and (n := small_number(m.group("n"))) is not None:
        return add_months(today, -n * {"year": 12, "quarter": 3, "month": 1}[m.group("unit").lower()])
    return None


REPORT_FOLLOWS_DAYS = 7  # an article that discusses a quarter's results is placed a week after they came out


def estimate_article_date(mentioned: list[date], quarters_reported: list[date], lag_days: int) -> date | None:
    """An undated article is placed at the latest date it mentions, and, when it reports a quarter's results,
    a week after those results could have been out (the company's reporting lag after the quarter's end)."""
    candidates = list(mentioned)
    candidates += [q + timedelta(days=lag_days + REPORT_FOLLOWS_DAYS) for q in quarters_reported]
    return max(candidates) if candidates else None
