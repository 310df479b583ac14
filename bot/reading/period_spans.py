"""Period phrases that name a stretch of months rather than a calendar unit: "July-September", "the nine months
to December 31", "the second quarter of the fiscal year that ends on March 31, 2026", "the first half of its
fiscal 2024", "its fiscal first quarter", and the year-earlier twin of a period ("the same quarter a year
earlier"). Tried before the patterns of `bot.reading.period_grammar`, which they are more specific than.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.reading.dates import MONTHS
from bot.reading.number_words import ORDINALS, small_number
from bot.reading.period_model import (
    CALENDAR_YEAR,
    Found,
    Period,
    Resolver,
    add_months,
    day_in,
    latest_part,
    latest_year,
    month_end,
    part_of_year,
)

Handler = Callable[[re.Match[str], Resolver], Found | None]

_MONTH_RE = "(?i:" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + ")"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
# Whose fiscal year: "the", "its", "their" or a name in the possessive ("Acme's", "Acme Corp.'s").
_WHOSE = r"(?:(?:the|its|their|this|our)\s+|(?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*['’]s?\s+)"
_KIND_OF_MONTHS = {3: "quarter", 6: "half", 12: "year"}


def kind_of(months: int) -> str:
    """The kind of a period of `months` months: a quarter, a half, a year, or a run of months."""
    return _KIND_OF_MONTHS.get(months, "months")


def _span(end: date, months: int) -> Period:
    return Period(add_months(end + timedelta(days=1), -months), end, kind_of(months))


def _part_of_year_ending(m: re.Match[str], r: Resolver) -> Found | None:
    """ "the second quarter of the fiscal year that ends on March 31, 2026": counted from that year's start."""
    month = MONTHS[m.group("month").lower().rstrip(".")]
    year_end = day_in(int(m.group("y")), month, int(m.group("day")) if m.group("day") else 31)
    months = 3 if m.group("unit").lower() == "quarter" else 6
    start = add_months(year_end + timedelta(days=1), -12 + months * (ORDINALS[m.group("ord").lower()] - 1))
    return Found(m.start(), m.end(), Period(start, add_months(start, months) - timedelta(days=1), kind_of(months)))


def _part_of_fiscal_year(m: re.Match[str], r: Resolver) -> Found | None:
    """ "the first half of fiscal 2024", "the third quarter of Acme's fiscal 2025": in the company's calendar."""
    fy = int(m.group("fy"))
    fy += 2000 if fy < 100 else 0
    months = 3 if m.group("unit").lower() == "quarter" else 6
    start, end = part_of_year(r.cal, fy, ORDINALS[m.group("ord").lower()], months)
    return Found(m.start(), m.end(), Period(start, end, kind_of(months)))


def _latest_fiscal_part(m: re.Match[str], r: Resolver) -> Found | None:
    """ "its fiscal first quarter", "the fiscal second half" with no year: the latest such part of the company's
    fiscal year that has ended by now (for a plan or forecast, that has begun). Weak: the year is a guess."""
    now, weak = r.now
    if now is None:
        return None
    n, months = ORDINALS[m.group("ord").lower()], 3 if m.group("unit").lower() == "quarter" else 6
    start, end = latest_part(r.cal, n, months, now, begun=r.future)
    return Found(m.start(), m.end(), Period(start, end, kind_of(months), weak=weak))


def _month_range(m: re.Match[str], r: Resolver) -> Found | None:
    """ "July-September", "April to June 2025", "the October-December quarter": whole months; with no year, the
    latest such run that has ended by now (for a plan or forecast, the next one that has not)."""
    if not (m.group("m1")[0].isupper() and m.group("m2")[0].isupper()):
        return None  # "may to …": a verb, not a month
    first = MONTHS[m.group("m1").lower().rstrip(".")]
    last = MONTHS[m.group("m2").lower().rstrip(".")]
    months = (last - first) % 12 + 1
    if months < 2:
        return None
    if m.group("y"):
        end = month_end(int(m.group("y")), last)
    else:
        now, _ = r.now
        if now is None:
            return None
        end = month_end(now.year, last)
        if r.future:
            end = end if end >= now else month_end(now.year + 1, last)
        elif end > now:
            end = month_end(now.year - 1, last)
    return Found(m.start(), m.end(), _span(end, months))


def _months_ended(m: re.Match[str], r: Resolver) -> Found | None:
    """ "the nine months to December 31", "six months ended June 30, 2025"."""
    months = small_number(m.group("n"))
    if not months:
        return None
    month = MONTHS[m.group("month").lower().rstrip(".")]
    day = int(m.group("day")) if m.group("day") else 31
    if m.group("y"):
        year = int(m.group("y"))
    else:
        now, _ = r.now
        if now is None:
            return None
        year = now.year if day_in(now.year, month, day) <= now else now.year - 1
    return Found(m.start(), m.end(), _span(day_in(year, month, day), months))


def _first_months_of(m: re.Match[str], r: Resolver) -> Found | None:
    """ "the first nine months of 2025", "the first six months of fiscal 2025"."""
    months = small_number(m.group("n"))
    if not months:
        return None
    year = int(m.group("y"))
    start = r.cal.year(year)[0] if m.group("fiscal") else CALENDAR_YEAR.year(year)[0]
    return Found(m.start(), m.end(), Period(start, add_months(start, months) - timedelta(days=1), kind_of(months)))


_NAMED_PART = re.compile(
    r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?P<fiscal>fiscal\s+)?(?P<unit>quarter|half)\b"
    r"(?:\s+of\s+(?:(?P<fy>fiscal\s+(?:year\s+)?)|the\s+fiscal\s+year\s+)?" + _YEAR + r")?",
    re.I,
)


def _elided_part(m: re.Match[str], r: Resolver) -> Found | None:
    """ "from 4.1 million in the second quarter to 5.2 million in the third": an ordinal whose noun is left out is
    a part of the kind (and year) named before it in the sentence."""
    before = list(_NAMED_PART.finditer(m.string, 0, m.start()))
    if not before:
        return None
    named = before[-1]
    n, months = ORDINALS[m.group("ord").lower()], 3 if named.group("unit").lower() == "quarter" else 6
    fiscal = bool(named.group("fiscal") or named.group("fy"))
    cal = r.cal if fiscal else CALENDAR_YEAR
    if named.group("y"):
        start, end = part_of_year(cal, int(named.group("y")), n, months)
        return Found(m.start(), m.end(), Period(start, end, kind_of(months)))
    now, weak = r.now
    if now is None:
        return None
    start, end = latest_part(cal, n, months, now, begun=r.future)
    return Found(m.start(), m.end(), Period(start, end, kind_of(months), weak=weak))


def _year_before(m: re.Match[str], r: Resolver) -> Found | None:
    """ "a year earlier", "in the same quarter a year ago": the period a year before the one the sentence is
    about, which the reader of the sentence knows (see `Found.earlier`)."""
    return Found(m.start(), m.end(), earlier=True)


def _same_of_year(m: re.Match[str], r: Resolver) -> Found | None:
    """ "in the same quarter of 2025": the period the sentence is about, in that year."""
    return Found(m.start(), m.end(), earlier=True, of_year=int(m.group("y")))


_SPANS_BACK = {"month": 1, "quarter": 3, "year": 12}


def _time_before(m: re.Match[str], r: Resolver) -> Found | None:
    """ "three months earlier", "two years ago": the period or date that much before the one the sentence is
    about."""
    n = small_number(m.group("n"))
    if n is None:
        return None
    return Found(m.start(), m.end(), earlier=True, months_back=n * _SPANS_BACK[m.group("unit").lower().rstrip("s")])


SPAN_PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (
        re.compile(
            r"\b(?:in|for|during)\s+the\s+(?P<ord>first|second|third|fourth)\b(?=\s*(?:[,.;:)]|and\b|or\b|to\b|$))",
            re.I,
        ),
        _elided_part,
    ),
    (
        re.compile(
            r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?P<unit>quarter|half)\s+of\s+"
            + _WHOSE
            + r"(?:current\s+)?(?:fiscal|financial)\s+year\s+(?:that\s+|which\s+)?(?:ends|ending|ended|to|through)\s+"
            r"(?:on\s+|in\s+)?(?P<month>" + _MONTH_RE + r")\.?(?:\s+(?P<day>\d{1,2})(?!\d))?,?\s+" + _YEAR
        ),
        _part_of_year_ending,
    ),
    (
        re.compile(
            r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?(?P<unit>quarter|half)\s+of\s+"
            + _WHOSE
            + r"?(?:fiscal\s+(?:year\s+)?|financial\s+year\s+|FY\s?)(?P<fy>(?:19|20)?\d{2})\b"
        ),
        _part_of_fiscal_year,
    ),
    (
        re.compile(
            r"\b(?:fiscal|financial)\s+(?:year\s+)?(?P<fy>(?:19|20)\d{2})\s+(?P<ord>first|second|1st|2nd)\s+"
            r"(?P<unit>half)\b",
            re.I,
        ),
        _part_of_fiscal_year,
    ),
    (
        re.compile(
            r"\b(?:fiscal|financial)\s+(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?P<unit>quarter|half)\b"
            r"(?!\s+of\b)(?!,?\s+(?:of\s+)?(?:fiscal\s+)?(?:19|20)\d{2})",
            re.I,
        ),
        _latest_fiscal_part,
    ),
    (  # "between June and September": the months from one to the other
        re.compile(
            r"\b[Bb]etween\s+(?P<m1>" + _MONTH_RE + r")\.?\s+and\s+(?P<m2>" + _MONTH_RE + r")\b\.?"
            r"(?:(?:,|\s+of)?\s+" + _YEAR + r")?"
        ),
        _month_range,
    ),
    (
        re.compile(
            r"\b(?P<m1>" + _MONTH_RE + r")\.?\s*(?:-|–|—|to|through|until)\s*(?P<m2>" + _MONTH_RE + r")\b\.?"
            r"(?:\s+(?:period|quarter|months))?(?:(?:,|\s+of)?\s+" + _YEAR + r")?"
        ),
        _month_range,
    ),
    (
        re.compile(
            r"\b(?P<n>three|six|nine|twelve|3|6|9|12)\s+months\s+(?:that\s+)?(?:ended|ending|to|through)\s+(?:on\s+)?"
            r"(?P<month>" + _MONTH_RE + r")\.?(?:\s+(?P<day>\d{1,2})(?!\d))?(?:,?\s+" + _YEAR + r")?",
            re.I,
        ),
        _months_ended,
    ),
    (
        re.compile(
            r"\bfirst\s+(?P<n>three|six|nine|3|6|9)\s+months\s+of\s+(?:the\s+|its\s+)?(?P<fiscal>fiscal\s+(?:year\s+)?)?"
            + _YEAR,
            re.I,
        ),
        _first_months_of,
    ),
    (
        re.compile(
            r"\b(?:(?:in|during|for|over)\s+)?(?:the\s+)?same\s+(?:quarter|period|three\s+months|six\s+months|"
            r"nine\s+months|half|months)\s+(?:of\s+|in\s+)?(?:a\s+year\s+(?:earlier|ago|before)|the\s+(?:previous|prior)\s+"
            r"year|last\s+year|the\s+year\s+before)\b"
            r"|\b(?:(?:in|during|for)\s+)?the\s+year[-\s](?:earlier|ago)\s+(?:quarter|period|months)\b"
            r"|\ba\s+year\s+(?:earlier|ago|before)\b",
            re.I,
        ),
        _year_before,
    ),
    (
        re.compile(
            r"\b(?:(?:in|during|for|over)\s+)?(?:the\s+)?same\s+(?:quarter|period|three\s+months|six\s+months|"
            r"nine\s+months|half|months)\s+(?:of|in)\s+" + _YEAR + r"\b",
            re.I,
        ),
        _same_of_year,
    ),
    (
        re.compile(
            r"\b(?P<n>a|an|one|two|three|four|six|nine|twelve|\d{1,2})\s+(?P<unit>months?|quarters?|years?)\s+"
            r"(?:earlier|ago|before)\b",
            re.I,
        ),
        _time_before,
    ),
]


EVENT_BEFORE = re.compile(
    r"\b(?:end|ends|ended|ending|close|closes|closed|closing|launch|launched|release|released|unveil|unveiled|"
    r"announce|announced|found|founded|introduce|introduced|debut|debuted|start|started|began|begun|open|opened|"
    r"publish|published|sign|signed|list|listed|join|joined|born|appoint|appointed|"
    r"report|reported|disclose|disclosed|said|told|forecast|guided|predicted|projected|pledged|promised|committed|"
    r"approved|agreed)(?:\s+(?:it|them|this|that))?\s*$",
    re.I,
)


def month_and_year(m: re.Match[str], r: Resolver, day: int = 1) -> tuple[int, int] | None:
    """The month a match names and its year: the one written, else the latest such month (and day) by now; after a
    date the sentence states, a later month of its year that the article's date has reached ("at the end of June
    2025 … a further round followed in July" is July 2025)."""
    month = MONTHS[m.group("month").lower().rstrip(".")]
    if m.group("y"):
        return month, int(m.group("y"))
    now, _ = r.now
    if now is None:
        return None
    anchor, today = r.anchor, r.ctx.today
    if anchor is not None and today is not None and month > anchor.month and day_in(anchor.year, month, day) <= today:
        return month, anchor.year
    return month, latest_year(month, now, day)


# "by the middle of the year", "at the end of last year": a point of a calendar year named without its number
POINT_OF_YEAR = re.compile(
    r"\b(?:by|at|in|around|until)\s+(?:the\s+)?(?P<point>middle|end)\s+of\s+(?P<which>the|this|last)\s+year\b", re.I
)


def point_of_year(m: re.Match[str], r: Resolver) -> Found | None:
    """The middle (June 30) or end (December 31) of the article's year, or of the year before it ("last year")."""
    today = r.ctx.today
    if today is None:
        return None
    year = today.year - (m.group("which").lower() == "last")
    month = 6 if m.group("point").lower() == "middle" else 12
    return Found(m.start(), m.end(), as_of=month_end(year, month))


def by_end_of_month(m: re.Match[str], r: Resolver) -> Found | None:
    if (named := month_and_year(m, r)) is None:
        return None
    return Found(m.start(), m.end(), as_of=month_end(named[1], named[0]))


# "Its app, which topped the charts in April, has …", "which had 200,000 users in January, …": a date inside a
# relative clause dates that clause (a comma that groups digits does not close it).
RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whose|that|when|where)\b(?:[^,;]|,(?=\d))*$", re.I)


def _as_of_day(m: re.Match[str], r: Resolver) -> Found | None:
    """ "as of June 30" (with no year, the latest such day), "as of June 30, 2025"."""
    day = int(m.group("day"))
    if (named := month_and_year(m, r, day)) is None:
        return None
    return Found(m.start(), m.end(), as_of=day_in(named[1], named[0], day))


def _month_said(m: re.Match[str], r: Resolver) -> tuple[int, int] | None:
    """The month a match names and its year: with no year written, the latest one begun by now, or for a plan or a
    forecast the next one."""
    if (named := month_and_year(m, r)) is None:
        return None
    month, year = named
    now, _ = r.now
    if not m.group("y") and r.future and now is not None and (year, month) < (now.year, now.month):
        year += 1
    return month, year


def _in_month(m: re.Match[str], r: Resolver) -> Found | None:
    """ "in December", "in June 2025": that month; with no year, the latest one begun by now (for a plan or a
    forecast, the next one). A month that dates an event ("the phone it unveiled in May", "the year ending
    in June", a relative clause's "which topped the charts in April") is not when a figure held."""
    event = EVENT_BEFORE.search(m.string, 0, m.start())
    if event is not None and r.ctx.today is not None and _SINCE_EVENT.search(m.string, 0, event.start()):
        named = month_and_year(m, r)
        start = date(named[1], named[0], 1) if named else None
        return Found(m.start(), m.end(), Period(start, r.ctx.today, "since")) if start and start < r.ctx.today else None
    if event is not None or RELATIVE_CLAUSE.search(m.string, 0, m.start()):
        return None
    if (said := _month_said(m, r)) is None:
        return None
    month, year = said
    return Found(m.start(), m.end(), Period(date(year, month, 1), month_end(year, month), "month"))


def _by_month(m: re.Match[str], r: Resolver) -> Found | None:
    """ "by June", "by March 2027": the month's end; with no year, the latest one begun by now, or for a plan or a
    forecast the next one."""
    if (said := _month_said(m, r)) is None:
        return None
    return Found(m.start(), m.end(), as_of=month_end(said[1], said[0]))


def _since(m: re.Match[str], r: Resolver) -> Found | None:
    """ "since March 2023", "since 2023", "since January": a running total from then to the article's date."""
    today = r.ctx.today
    if today is None:
        return None
    month = MONTHS[m.group("month").lower().rstrip(".")] if m.group("month") else 1
    # "since January": the latest January begun by the article's date
    start = date(int(m.group("y")), month, 1) if m.group("y") else date(latest_year(month, today), month, 1)
    return Found(m.start(), m.end(), Period(start, today, "since")) if start < today else None


# "since its launch in 2024", "since the arm was launched in June 2022": the event a running total starts at
_SINCE_EVENT = re.compile(r"\bsince\s+(?:[^\W\d]+\s+){1,5}$", re.I)
# A company or a holding being formed or changing hands, a few words before the year: "the unit carved out of the
# group in 2022", "the stake it bought from a rival in 2023" (no number or comma between).
_FORMED_BEFORE = re.compile(
    r"\b(?:(?:carved|spun|split)\s+(?:out|off)|set\s+up|formed|created|established|incorporated|merged|floated|"
    r"acquired|bought)(?:\s+[^\d\s;,.]+){0,4}\s*$",
    re.I,
)


def in_year(m: re.Match[str], r: Resolver) -> Found | None:
    """ "in 2024": that year; after an event ("launched in 2024") it dates the event, and "since its launch in
    2024" runs from then to the article's date."""
    y = int(m.group("y"))
    before = m.string[: m.start()]
    event = EVENT_BEFORE.search(before) or _FORMED_BEFORE.search(before)
    if m.group(0)[:2].lower() == "in" and event is not None:
        today = r.ctx.today
        if today is not None and _SINCE_EVENT.search(before[: event.start()]):
            return Found(m.start(), m.end(), Period(date(y, 1, 1), today, "since")) if y <= today.year else None
        return None
    return Found(m.start(), m.end(), Period(date(y, 1, 1), date(y, 12, 31), "year"))


# A day or a month on its own: tried after every longer phrase of the grammar.
DAY_AND_MONTH_PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"\bsince\s+(?:(?P<month>" + _MONTH_RE + r")\.?\s+)?" + _YEAR + r"\b", re.I), _since),
    (re.compile(r"\bsince\s+(?P<month>" + _MONTH_RE + r")\b(?!\.?\s+\d)(?P<y>)", re.I), _since),
    (
        re.compile(
            r"\bas\s+of\s+(?P<month>" + _MONTH_RE + r")\.?\s+(?P<day>\d{1,2})(?!\d)(?:,?\s+" + _YEAR + r")?\b", re.I
        ),
        _as_of_day,
    ),
    (
        re.compile(r"\bat\s+the\s+end\s+of\s+(?P<month>" + _MONTH_RE + r")\.?(?:\s+" + _YEAR + r")?\b", re.I),
        by_end_of_month,
    ),
    (re.compile(r"\bby\s+(?P<month>" + _MONTH_RE + r")\.?(?:\s+" + _YEAR + r")?\b(?!\s*\d)", re.I), _by_month),
    (
        re.compile(
            r"\b(?:in|during)\s+(?P<month>" + _MONTH_RE + r")\.?(?:\s+" + _YEAR + r")?\b(?!\s*(?:-|–|—|to\s|\d))",
            re.I,
        ),
        _in_month,
    ),
]
