"""The grammar of period and as-of phrases: each pattern with what it means in dates ("the quarter ended June
30", "fiscal 2025 Q3", "this year", "over the next three years", "the previous quarter", "by the end of January").
The phrases that say how an amount relates to time without dating it are in `bot.reading.period_phrases`.

Read through `bot.reading.periods`, which finds them in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.reading.dates import MONTHS
from bot.reading.number_words import ORDINALS, small_number
from bot.reading.period_horizons import horizon
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
    previous_quarter,
)
from bot.reading.period_spans import (
    DAY_AND_MONTH_PATTERNS,
    POINT_OF_YEAR,
    SPAN_PATTERNS,
    by_end_of_month,
    in_year,
    kind_of,
    month_and_year,
    point_of_year,
)

MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

# "the final quarter" of a year is its fourth
_ORDINALS = {**ORDINALS, "final": 4}
_FINAL = r"|final(?=\s+(?:fiscal\s+|calendar\s+)?quarter\b)"


Handler = Callable[[re.Match[str], Resolver], Found | None]


def _fiscal_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    fy = int(m.group("fy")) if m.groupdict().get("fy") else None
    q = int(m.group("q")) if m.groupdict().get("q") else _ORDINALS[m.group("ord").lower()]
    if fy is None:
        today = r.ctx.today
        if today is None:
            return None
        fy = r.cal.year_of(today)
    if fy < 100:
        fy += 2000
    start, end = r.cal.quarter(fy, q)
    return Found(m.start(), m.end(), Period(start, end, "quarter"))


def _label_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    """ "2025Q3": a fiscal label where the article speaks of fiscal years, else a calendar quarter."""
    year, q = int(m.group("y")), int(m.group("q"))
    cal = r.cal if r.ctx.fiscal_text else CALENDAR_YEAR
    start, end = cal.quarter(year, q)
    return Found(m.start(), m.end(), Period(start, end, "quarter"))


def _calendar_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    q = int(m.group("q")) if m.groupdict().get("q") else _ORDINALS[m.group("ord").lower()]
    start, end = CALENDAR_YEAR.quarter(int(m.group("y")), q)
    return Found(m.start(), m.end(), Period(start, end, "quarter"))


def _half_year(m: re.Match[str], r: Resolver) -> Found | None:
    year = int(m.group("y") or m.group("y2"))
    first = (m.group("h") or "").lower() in ("first", "1st") or m.group("hn") == "1"
    start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
    return Found(m.start(), m.end(), Period(start, end, "half"))


def _latest_quarter_or_half(m: re.Match[str], r: Resolver) -> Found | None:
    """ "in the third quarter", "in the first half" with no year: the latest such period that has ended by now
    (for a plan or forecast, that has begun), in the calendar year ("in the second fiscal quarter": the company's
    fiscal year). Weak: the year is a guess."""
    now, weak = r.now
    if now is None:
        return None
    # News writes calendar periods unless it says "fiscal" or names a company's own ("second-quarter profit").
    cal = r.cal if m.group("fiscal") or "-" in m.group(0) else CALENDAR_YEAR
    n, kind = _ORDINALS[m.group("ord").lower()], m.group("unit").lower()
    start, end = latest_part(cal, n, 3 if kind == "quarter" else 6, now, begun=r.future)
    return Found(m.start(), m.end(), Period(start, end, kind, weak=weak))


def _ended_on(m: re.Match[str], r: Resolver, months: int, kind: str) -> Found | None:
    """`months` months to the day a match names ("ended March 31, 2025"); with no year, the latest such day."""
    day = int(m.group("day")) if m.group("day") else 31
    if (named := month_and_year(m, r, day)) is None:
        return None
    end = day_in(named[1], named[0], day)
    now, _ = r.now
    if r.future and now is not None and end < now and not m.group("y") and "ending" in m.group(0).lower():
        end = day_in(named[1] + 1, named[0], day)  # a forecast for "the quarter ending December 31": the coming one
    return Found(m.start(), m.end(), Period(add_months(end + timedelta(days=1), -months), end, kind))


def _year_ended(m: re.Match[str], r: Resolver) -> Found | None:
    """ "the fiscal year ended March 31, 2025", "the twelve months to June 30": the twelve months to that day."""
    return _ended_on(m, r, 12, "year")


def _quarter_ended(m: re.Match[str], r: Resolver) -> Found | None:
    return _ended_on(m, r, 3, "quarter")


def _month_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    """ "the June quarter": the quarter ending in that month, the latest one before now (for a plan or forecast,
    the first one not over)."""
    month = MONTHS[m.group("month").lower()]
    now, _ = r.now
    if now is None:
        return None
    year = latest_year(month, now)
    end = month_end(year, month)
    if r.future and end < now:
        end = month_end(year + 1, month)
    return Found(m.start(), m.end(), Period(add_months(end + timedelta(days=1), -3), end, "quarter"))


def _relative_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    word = (m.group("rel") or "").lower()
    current = r.current_quarter()
    if current is None:
        return None
    if word in {"previous", "prior", "preceding", "sequential", "before", "earlier"}:
        # "In January-March it lost $1 billion. It had earned $2 billion in the quarter before.": before the
        # quarter the sentence before named
        start, end = previous_quarter(r.ctx.before or current)
    elif word in {"year-ago", "year ago"}:
        start, end = previous_quarter(current, 4)
    elif word == "current" and r.ctx.today is not None:
        # the quarter under way when the text was written ("this quarter" in a results story is often the one it
        # reports)
        start, end = r.cal.quarter_holding(r.ctx.today)
    else:
        start, end = current
    return Found(m.start(), m.end(), Period(start, end, "quarter", weak=r.ctx.quarter is None))


def _trailing_quarters(m: re.Match[str], r: Resolver) -> Found | None:
    n = small_number(m.group("n")) or 4
    current = r.current_quarter()
    if current is None:
        return None
    start = add_months(current[1] + timedelta(days=1), -3 * n)
    return Found(m.start(), m.end(), Period(start, current[1], "window", weak=r.ctx.quarter is None))


def _fiscal_year(m: re.Match[str], r: Resolver) -> Found | None:
    fy = int(m.group("fy"))
    fy += 2000 if fy < 100 else 0
    start, end = r.cal.year(fy)
    return Found(m.start(), m.end(), Period(start, end, "year"))


def _year_range(m: re.Match[str], r: Resolver) -> Found | None:
    y1, y2 = int(m.group("y1") or m.group("y1b")), int(m.group("y2"))
    if not 1900 < y1 <= y2 < 2200:
        return None
    return Found(m.start(), m.end(), Period(date(y1, 1, 1), date(y2, 12, 31), "range"))


def _relative_year(m: re.Match[str], r: Resolver) -> Found | None:
    now, weak = r.now
    if now is None:
        return None
    rel = m.group("rel").lower()
    offset = {"this": 0, "the current": 0, "last": -1, "the previous": -1, "next": 1, "the coming": 1}[rel]
    year = now.year + offset
    before = m.string[max(0, m.start() - 30) : m.start()].lower()
    comparison = offset != 0 and bool(re.search(r"\b(?:than|from|over|versus|vs\.?|compared (?:with|to))\s*$", before))
    if offset == 0 and not r.future:  # "has risen 90% this year": the year so far
        return Found(
            m.start(),
            m.end(),
            Period(date(year, 1, 1), now if not weak or r.ctx.dated else None, "ytd", weak=weak),
            comparison=comparison,
        )
    return Found(
        m.start(), m.end(), Period(date(year, 1, 1), date(year, 12, 31), "year", weak=weak), comparison=comparison
    )


def _full_year(m: re.Match[str], r: Resolver) -> Found | None:
    """ "full-year revenue", "for the full year": the company's fiscal year that holds the quarter the story is
    about, else the article's date."""
    quarter = r.ctx.quarter
    day = quarter[1] if quarter is not None else r.ctx.today
    if day is None:
        return None
    start, end = r.cal.year(r.cal.year_of(day))
    return Found(m.start(), m.end(), Period(start, end, "year", weak=quarter is None))


def _year_to_date(m: re.Match[str], r: Resolver) -> Found | None:
    now, weak = r.now
    year = int(m.group("y")) if m.groupdict().get("y") else (now.year if now else None)
    if year is None:
        return None
    end = now if now is not None and now.year == year and (not weak or r.ctx.dated) else None
    return Found(m.start(), m.end(), Period(date(year, 1, 1), end, "ytd", weak=weak))


def _the_months(m: re.Match[str], r: Resolver) -> Found | None:
    """ "over the nine months": the months up to the end of the quarter the story reports, else up to now."""
    n = small_number(m.group("n"))
    now, weak = r.now
    end = r.ctx.quarter[1] if r.ctx.quarter is not None else now
    if n is None or end is None or r.future:
        return None
    return Found(m.start(), m.end(), Period(add_months(end + timedelta(days=1), -n), end, kind_of(n), weak=weak))


def _not_a_period(m: re.Match[str], r: Resolver) -> Found | None:
    return Found(m.start(), m.end(), comparison=True)


def _by_end_of_year(m: re.Match[str], r: Resolver) -> Found | None:
    return Found(m.start(), m.end(), as_of=date(int(m.group("y")), 12, 31))


def _as_of(m: re.Match[str], r: Resolver) -> Found | None:
    y = int(m.group("y"))
    part = (m.group("part") or "").lower()
    month = {"early": 2, "mid": 6, "late": 10}.get(part)
    if m.groupdict().get("month") and m.group("month"):
        month = MONTHS[m.group("month").lower().rstrip(".")]
    return Found(m.start(), m.end(), as_of=month_end(y, month) if month else date(y, 12, 31))


def _same_frame(m: re.Match[str], r: Resolver) -> Found | None:
    return Found(m.start(), m.end(), same_as_previous=True)


YEAR_RE = r"(?P<y>(?:19|20)\d{2})"
_N = r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    *SPAN_PATTERNS,
    (
        re.compile(r"\b(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)?\d{2})\s*(?:,\s*)?Q(?P<q>[1-4])\b", re.I),
        _fiscal_quarter,
    ),
    (
        re.compile(r"\bQ(?P<q>[1-4])\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)?\d{2})\b", re.I),
        _fiscal_quarter,
    ),
    (
        re.compile(
            r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th"
            + _FINAL
            + r")\s+(?:fiscal\s+)?quarter\s+of\s+(?:the\s+)?"
            r"(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)\d{2})\b",
            re.I,
        ),
        _fiscal_quarter,
    ),
    (
        re.compile(
            r"\bfiscal\s+(?:year\s+)?(?P<fy>(?:19|20)\d{2})\s+(?P<ord>first|second|third|fourth)\s+quarter\b", re.I
        ),
        _fiscal_quarter,
    ),
    (re.compile(r"\bfiscal\s+Q(?P<q>[1-4])\b", re.I), _fiscal_quarter),
    (re.compile(r"\b" + YEAR_RE + r"\s?Q(?P<q>[1-4])\b"), _label_quarter),
    (
        re.compile(
            r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th"
            + _FINAL
            + r")\s+(?:calendar\s+)?quarter\s+(?:of\s+)?"
            + YEAR_RE,
            re.I,
        ),
        _calendar_quarter,
    ),
    (re.compile(r"\bQ(?P<q>[1-4])\s+" + YEAR_RE, re.I), _calendar_quarter),
    (
        re.compile(
            r"\b(?:the\s+)?(?P<h>first|second|1st|2nd)\s+half\s+(?:of\s+)?"
            + YEAR_RE
            + r"|\bH(?P<hn>[12])\s+(?P<y2>(?:19|20)\d{2})",
            re.I,
        ),
        _half_year,
    ),
    (
        re.compile(
            r"\b(?:in|during|for|over|by)\s+the\s+(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th" + _FINAL + r")\s+"
            r"(?P<fiscal>fiscal\s+)?(?P<unit>quarter|half)\b(?!\s+(?:of|ended|ending)\b)"
            r"(?!\s+to\s+(?:the\s+end\b|(?:\d{1,2}\s+)?(?:" + MONTH_RE + r")\b))"
            r"(?!,?\s+(?:fiscal\s+)?(?:19|20)\d{2})",
            re.I,
        ),
        _latest_quarter_or_half,
    ),
    (  # "third-quarter revenue", "its first-half results": a company's own reporting period, with no year
        re.compile(
            r"\b(?P<ord>first|second|third|fourth)-(?P<fiscal>(?:fiscal-)?)(?P<unit>quarter|half)\b(?!-)"
            r"(?!,?\s+(?:fiscal\s+)?(?:19|20)\d{2})",
            re.I,
        ),
        _latest_quarter_or_half,
    ),
    (
        re.compile(
            r"\b(?:(?:fiscal|financial)\s+year|twelve\s+months|12\s+months)\s+(?:that\s+)?(?:ended|ending|to)\s+"
            r"(?:on\s+|in\s+)?(?P<month>" + MONTH_RE + r")\.?(?:\s+(?P<day>\d{1,2})(?!\d))?(?:,?\s+" + YEAR_RE + r")?",
            re.I,
        ),
        _year_ended,
    ),
    (
        re.compile(
            r"\b(?:three\s+months|quarter|period)\s+(?:that\s+)?(?:ended|ending|to)\s+(?:on\s+|in\s+)?"
            r"(?P<month>" + MONTH_RE + r")\.?(?:\s+(?P<day>\d{1,2})(?!\d))?(?:,?\s+" + YEAR_RE + r")?",
            re.I,
        ),
        _quarter_ended,
    ),
    (
        re.compile(r"\b(?:the\s+)?(?P<month>March|June|September|December)(?:-end(?:ed|ing)?)?\s+quarter\b", re.I),
        _month_quarter,
    ),
    (
        re.compile(
            r"\b(?:over|in|during|for)\s+the\s+(?:last|past|previous|trailing|latest)\s+" + _N + r"\s+quarters\b", re.I
        ),
        _trailing_quarters,
    ),
    (
        re.compile(
            r"\b(?:the\s+)?(?P<rel>previous|prior|preceding|sequential|latest|last|most\s+recent|current|same|"
            r"this|year-ago|year\s+ago)\s+(?:fiscal\s+)?(?:quarter|reporting\s+period)\b",
            re.I,
        ),
        _relative_quarter,
    ),
    (re.compile(r"\b(?:the|a)\s+quarter\s+(?P<rel>before|earlier)\b", re.I), _relative_quarter),
    (re.compile(r"\b(?P<rel>)(?:in|during|for)\s+the\s+quarter\b", re.I), _relative_quarter),
    (
        re.compile(
            r"\b(?:the\s+)?(?P<rel>latest|last|most\s+recent)\s+(?:earnings\s+|financial\s+|quarterly\s+)?"
            r"(?:report|results)\b",
            re.I,
        ),
        _relative_quarter,
    ),
    (re.compile(r"\b(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)\d{2}|\d{2})\b", re.I), _fiscal_year),
    (
        re.compile(
            r"\b(?:(?:between|from)\s+(?P<y1>(?:19|20)\d{2})\s+(?:and|to|through|-|–)|(?:across|over|throughout)\s+"
            r"(?P<y1b>(?:19|20)\d{2})\s+and)\s+(?P<y2>(?:19|20)\d{2})\b",
            re.I,
        ),
        _year_range,
    ),
    (
        re.compile(
            r"\b(?:so\s+far\s+this\s+year|year[-\s]to[-\s]date|since\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+"
            r"year|" + YEAR_RE + r"))\b",
            re.I,
        ),
        _year_to_date,
    ),
    # "over the nine months": the months a results story has reached, not a plan's horizon
    (
        re.compile(
            r"\b(?:over|in|during|for)\s+the\s+" + _N + r"\s+months\b(?!\s+(?:to|ended|ending|through)\b)", re.I
        ),
        _the_months,
    ),
    (
        re.compile(
            r"\b(?:over|in|within|during|for)\s+(?:the\s+)?(?P<dir>next|coming|following|past|last|previous|"
            r"prior)?\s*" + _N + r"\s+(?P<unit>years?|quarters?|months?)\b",
            re.I,
        ),
        horizon,
    ),
    (
        re.compile(
            r"\b(?:over|within|during)\s+the\s+(?P<dir>next|coming|following|past|previous)\s+(?P<n>)"
            r"(?P<unit>year|quarter|month)\b",
            re.I,
        ),
        horizon,
    ),
    # "set aside earlier this year": when something was said or done, not the period a figure covers
    (re.compile(r"\b(?:earlier|later)\s+(?:this|last)\s+(?:year|month|quarter)\b", re.I), _not_a_period),
    (POINT_OF_YEAR, point_of_year),
    (re.compile(r"\b(?P<rel>this|the\s+current|last|the\s+previous|next|the\s+coming)\s+year\b", re.I), _relative_year),
    (re.compile(r"\b(?:the\s+)?(?:full|whole|entire)[- ]year\b", re.I), _full_year),
    (
        re.compile(
            r"\b" + _N + r"-(?P<unit>year|quarter|month)\s+(?:plan|program(?:me)?|commitment|pledge|period)\b", re.I
        ),
        horizon,
    ),
    (
        re.compile(r"\bby\s+the\s+end\s+of\s+(?P<month>" + MONTH_RE + r")\.?(?:\s+" + YEAR_RE + r")?\b", re.I),
        by_end_of_month,
    ),
    (re.compile(r"\b(?:by|at|until|till)\s+(?:the\s+)?end\s+of\s+" + YEAR_RE + r"\b", re.I), _by_end_of_year),
    (
        re.compile(
            r"\bas\s+of\s+(?P<part>early|mid|late)?[-\s]*(?:(?P<month>" + MONTH_RE + r")\.?\s+)?" + YEAR_RE + r"\b",
            re.I,
        ),
        _as_of,
    ),
    (re.compile(r"\b(?:within|in|over|during)\s+the\s+same\s+(?:time\s*frame|period|timeframe)\b", re.I), _same_frame),
    (
        re.compile(
            r"\b(?:in|during|for|by|through|throughout)\s+(?:calendar\s+(?:year\s+)?)?" + YEAR_RE + r"\b(?!\s*Q)", re.I
        ),
        in_year,
    ),
    *DAY_AND_MONTH_PATTERNS,  # a day or a month on its own, where no longer phrase above holds it
]


# Every pattern above holds a digit or one of these words (case aside): a sentence with none of them names no
