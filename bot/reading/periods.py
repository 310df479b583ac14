"""When a figure holds: period phrases ("the quarter ended June 30", "fiscal 2025 Q3", "this year", "over the next
three years", "the previous quarter") and as-of phrases ("by the end of January") turned into dates.

Relative phrases are resolved against a date the sentence states, else the article's date (or its estimate), and
"the latest/previous quarter" against the reporting quarter the article named last. Fiscal labels go through the
company's fiscal calendar (`fiscal.yml`, read into `bot.rules.FiscalRules`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from bot.reading.dates import MONTHS
from bot.rules import FiscalRules, FiscalYear

_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_COUNT = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "twelve": 12, "a": 1, "an": 1}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    kind: str  # quarter, year, ytd, horizon, window, range
    approx: bool = False
    weak: bool = False  # anchored on the article's date (or its estimate), not on a date the text states


@dataclass(frozen=True)
class FiscalCalendar:
    end_month: int = 12
    end_day: int = 31
    lag_days: int = 45

    def year(self, fiscal_year: int) -> tuple[date, date]:
        end = _day(fiscal_year, self.end_month, self.end_day)
        start = _day(fiscal_year - 1, self.end_month, self.end_day) + timedelta(days=1)
        return start, end

    def quarter(self, fiscal_year: int, q: int) -> tuple[date, date]:
        start, _ = self.year(fiscal_year)
        q_start = _add_months(start, 3 * (q - 1))
        return q_start, _add_months(q_start, 3) - timedelta(days=1)

    @property
    def is_calendar(self) -> bool:
        return (self.end_month, self.end_day) == (12, 31)


CALENDAR_YEAR = FiscalCalendar()


@dataclass(frozen=True)
class Calendars:
    default: FiscalCalendar
    by_name: dict[str, FiscalCalendar]

    def of(self, name: str | None) -> FiscalCalendar:
        return self.by_name.get(name or "", self.default)


@lru_cache(maxsize=4)
def calendars_of(fiscal: FiscalRules) -> Calendars:
    """The fiscal calendars of the rules (`fiscal.yml`); kept per rules object."""

    def calendar(year: FiscalYear) -> FiscalCalendar:
        return FiscalCalendar(year.end_month, year.end_day, year.lag_days)

    return Calendars(calendar(fiscal.default), {name: calendar(y) for name, y in fiscal.by_name.items()})


@dataclass
class TimeContext:
    """What "now" is while reading one article, sentence by sentence."""

    today: date | None  # the article's date, or its estimate
    dated: bool  # the article states its date
    fiscal_text: bool = False  # the article speaks of fiscal years: "2025Q3" is then a fiscal label
    quarter: tuple[date, date] | None = None  # the reporting quarter the article named last
    quarter_at: int = -10  # sentence index where it was named
    sentence: int = 0
    named: list[tuple[date, date]] = field(default_factory=list)  # every quarter named, in order


@dataclass(frozen=True)
class Found:
    """A period or as-of phrase at [start, end) of the sentence."""

    start: int
    end: int
    period: Period | None = None
    as_of: date | None = None
    comparison: bool = False  # a comparison base ("than last year"), not the figure's own period
    same_as_previous: bool = False  # "within the same time frame"


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return _day(d.year + m // 12, m % 12 + 1, d.day)


def _month_end(year: int, month: int) -> date:
    return _day(year, month, 31)


def _quarter_of(d: date) -> tuple[date, date]:
    q = (d.month - 1) // 3
    start = date(d.year, 3 * q + 1, 1)
    return start, _add_months(start, 3) - timedelta(days=1)


def _previous_quarter(q: tuple[date, date], n: int = 1) -> tuple[date, date]:
    start = _add_months(q[0], -3 * n)
    return start, _add_months(start, 3) - timedelta(days=1)


def _last_completed_quarter(today: date) -> tuple[date, date]:
    return _previous_quarter(_quarter_of(today))


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _COUNT.get(word)


Handler = Callable[[re.Match[str], "Resolver"], Found | None]


@dataclass
class Resolver:
    ctx: TimeContext
    cal: FiscalCalendar
    anchor: date | None  # a date the sentence states, else None
    future: bool = False  # the figure is a plan or forecast: "this year" is the whole year

    @property
    def now(self) -> tuple[date | None, bool]:
        """The date relative phrases count from, and whether it is weak (the article's date, not the text's)."""
        if self.anchor is not None:
            return self.anchor, False
        return self.ctx.today, True

    def current_quarter(self) -> tuple[date, date] | None:
        if self.ctx.quarter is not None:
            return self.ctx.quarter
        today = self.ctx.today
        return _last_completed_quarter(today) if today else None


def _fiscal_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    fy = int(m.group("fy")) if m.groupdict().get("fy") else None
    q = int(m.group("q")) if m.groupdict().get("q") else _ORD[m.group("ord").lower()]
    if fy is None:
        today = r.ctx.today
        if today is None:
            return None
        fy = today.year + (1 if (today.month, today.day) > (r.cal.end_month, r.cal.end_day) else 0)
    if fy < 100:
        fy += 2000
    start, end = r.cal.quarter(fy, q)
    return Found(m.start(), m.end(), Period(start, end, "quarter"))


def _label_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    """"2025Q3": a fiscal label where the article speaks of fiscal years, else a calendar quarter."""
    year, q = int(m.group("y")), int(m.group("q"))
    cal = r.cal if r.ctx.fiscal_text else CALENDAR_YEAR
    start, end = cal.quarter(year, q)
    return Found(m.start(), m.end(), Period(start, end, "quarter"))


def _calendar_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    q = int(m.group("q")) if m.groupdict().get("q") else _ORD[m.group("ord").lower()]
    start, end = CALENDAR_YEAR.quarter(int(m.group("y")), q)
    return Found(m.start(), m.end(), Period(start, end, "quarter"))


def _half_year(m: re.Match[str], r: Resolver) -> Found | None:
    year = int(m.group("y") or m.group("y2"))
    first = (m.group("h") or "").lower() in ("first", "1st") or m.group("hn") == "1"
    start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
    return Found(m.start(), m.end(), Period(start, end, "half"))


def _latest_quarter_or_half(m: re.Match[str], r: Resolver) -> Found | None:
    """"in the third quarter", "in the first half" with no year: the latest such period that has ended by now
    (for a plan or forecast, that has begun), in the calendar year ("in the second fiscal quarter": the company's
    fiscal year). Weak: the year is a guess."""
    now, weak = r.now
    if now is None:
        return None
    cal = r.cal if m.group("fiscal") else CALENDAR_YEAR  # news writes calendar periods unless it says "fiscal"
    n, kind = _ORD[m.group("ord").lower()], m.group("unit").lower()
    months = 3 if kind == "quarter" else 6
    fy = now.year + 1
    while True:
        start = _add_months(cal.year(fy)[0], months * (n - 1))
        end = _add_months(start, months) - timedelta(days=1)
        if (start <= now) if r.future else (end <= now):
            break
        fy -= 1
    return Found(m.start(), m.end(), Period(start, end, kind, weak=weak))


def _ended_on(m: re.Match[str], r: Resolver, months: int, kind: str) -> Found | None:
    """`months` months to the day a match names ("ended March 31, 2025"); with no year, the latest such day."""
    month = MONTHS[m.group("month").lower().rstrip(".")]
    day = int(m.group("day")) if m.group("day") else 31
    if m.group("y"):
        year = int(m.group("y"))
    else:
        now, _ = r.now
        if now is None:
            return None
        year = now.year if (month, day) <= (now.month, now.day) else now.year - 1
    end = _day(year, month, day)
    return Found(m.start(), m.end(), Period(_add_months(end + timedelta(days=1), -months), end, kind))


def _year_ended(m: re.Match[str], r: Resolver) -> Found | None:
    """"the fiscal year ended March 31, 2025", "the twelve months to June 30": the twelve months to that day."""
    return _ended_on(m, r, 12, "year")


def _quarter_ended(m: re.Match[str], r: Resolver) -> Found | None:
    return _ended_on(m, r, 3, "quarter")


def _month_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    """"the June quarter": the quarter ending in that month, the latest one before now."""
    month = MONTHS[m.group("month").lower()]
    now, _ = r.now
    if now is None:
        return None
    year = now.year if month <= now.month else now.year - 1
    end = _month_end(year, month)
    return Found(m.start(), m.end(), Period(_add_months(end + timedelta(days=1), -3), end, "quarter"))


def _relative_quarter(m: re.Match[str], r: Resolver) -> Found | None:
    word = (m.group("rel") or "").lower()
    current = r.current_quarter()
    if current is None:
        return None
    if word in {"previous", "prior", "preceding", "sequential"}:
        start, end = _previous_quarter(current)
    elif word in {"year-ago", "year ago"}:
        start, end = _previous_quarter(current, 4)
    else:
        start, end = current
    return Found(m.start(), m.end(), Period(start, end, "quarter", weak=r.ctx.quarter is None))


def _trailing_quarters(m: re.Match[str], r: Resolver) -> Found | None:
    n = _number(m.group("n")) or 4
    current = r.current_quarter()
    if current is None:
        return None
    start = _add_months(current[1] + timedelta(days=1), -3 * n)
    return Found(m.start(), m.end(), Period(start, current[1], "window", weak=r.ctx.quarter is None))


def _fiscal_year(m: re.Match[str], r: Resolver) -> Found | None:
    fy = int(m.group("fy"))
    fy += 2000 if fy < 100 else 0
    start, end = r.cal.year(fy)
    return Found(m.start(), m.end(), Period(start, end, "year"))


def _year_range(m: re.Match[str], r: Resolver) -> Found | None:
    y1, y2 = int(m.group("y1")), int(m.group("y2"))
    if not 1900 < y1 <= y2 < 2200:
        return None
    return Found(m.start(), m.end(), Period(date(y1, 1, 1), date(y2, 12, 31), "range"))


def _year(m: re.Match[str], r: Resolver) -> Found | None:
    y = int(m.group("y"))
    return Found(m.start(), m.end(), Period(date(y, 1, 1), date(y, 12, 31), "year"))


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
        return Found(m.start(), m.end(), Period(date(year, 1, 1), now if not weak or r.ctx.dated else None,
                                                "ytd", weak=weak), comparison=comparison)
    return Found(m.start(), m.end(), Period(date(year, 1, 1), date(year, 12, 31), "year", weak=weak),
                 comparison=comparison)


def _year_to_date(m: re.Match[str], r: Resolver) -> Found | None:
    now, weak = r.now
    year = int(m.group("y")) if m.groupdict().get("y") else (now.year if now else None)
    if year is None:
        return None
    end = now if now is not None and now.year == year and (not weak or r.ctx.dated) else None
    return Found(m.start(), m.end(), Period(date(year, 1, 1), end, "ytd", weak=weak))


def _horizon(m: re.Match[str], r: Resolver) -> Found | None:
    n = _number(m.group("n") or "one") if m.groupdict().get("n") is not None else 1
    unit = m.group("unit").lower()
    if n is None:
        return None
    now, weak = r.now
    if now is None:
        return None
    months = n * (12 if unit.startswith("year") else 3 if unit.startswith("quarter") else 1)
    backward = (m.groupdict().get("dir") or "").lower() in {"past", "last", "previous", "prior"}
    if backward:
        return Found(m.start(), m.end(), Period(_add_months(now, -months), now, "window", approx=True, weak=weak))
    return Found(m.start(), m.end(), Period(now, _add_months(now, months), "horizon", approx=True, weak=weak))


def _not_a_period(m: re.Match[str], r: Resolver) -> Found | None:
    return Found(m.start(), m.end(), comparison=True)


def _by_end_of_month(m: re.Match[str], r: Resolver) -> Found | None:
    month = MONTHS[m.group("month").lower().rstrip(".")]
    if m.group("y"):
        year = int(m.group("y"))
    else:
        now, _ = r.now
        if now is None:
            return None
        year = now.year if month <= now.month else now.year - 1
    return Found(m.start(), m.end(), as_of=_month_end(year, month))


def _by_end_of_year(m: re.Match[str], r: Resolver) -> Found | None:
    return Found(m.start(), m.end(), as_of=date(int(m.group("y")), 12, 31))


def _as_of(m: re.Match[str], r: Resolver) -> Found | None:
    y = int(m.group("y"))
    part = (m.group("part") or "").lower()
    month = {"early": 2, "mid": 6, "late": 10}.get(part)
    if m.groupdict().get("month") and m.group("month"):
        month = MONTHS[m.group("month").lower().rstrip(".")]
    return Found(m.start(), m.end(), as_of=_month_end(y, month) if month else date(y, 12, 31))


def _same_frame(m: re.Match[str], r: Resolver) -> Found | None:
    return Found(m.start(), m.end(), same_as_previous=True)


_Y = r"(?P<y>(?:19|20)\d{2})"
_N = r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"\b(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)?\d{2})\s*(?:,\s*)?Q(?P<q>[1-4])\b", re.I),
     _fiscal_quarter),
    (re.compile(r"\bQ(?P<q>[1-4])\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)?\d{2})\b", re.I),
     _fiscal_quarter),
    (re.compile(r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter\s+of\s+(?:the\s+)?"
                r"(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)\d{2})\b", re.I), _fiscal_quarter),
    (re.compile(r"\bfiscal\s+(?:year\s+)?(?P<fy>(?:19|20)\d{2})\s+(?P<ord>first|second|third|fourth)\s+quarter\b",
                re.I), _fiscal_quarter),
    (re.compile(r"\bfiscal\s+Q(?P<q>[1-4])\b", re.I), _fiscal_quarter),
    (re.compile(r"\b" + _Y + r"\s?Q(?P<q>[1-4])\b"), _label_quarter),
    (re.compile(r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:calendar\s+)?quarter\s+(?:of\s+)?"
                + _Y, re.I), _calendar_quarter),
    (re.compile(r"\bQ(?P<q>[1-4])\s+" + _Y, re.I), _calendar_quarter),
    (re.compile(r"\b(?:the\s+)?(?P<h>first|second|1st|2nd)\s+half\s+(?:of\s+)?" + _Y
                + r"|\bH(?P<hn>[12])\s+(?P<y2>(?:19|20)\d{2})", re.I), _half_year),
    (re.compile(r"\b(?:in|during|for|over)\s+the\s+(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+"
                r"(?P<fiscal>fiscal\s+)?(?P<unit>quarter|half)\b(?!\s+(?:of|ended|ending|to)\b)"
                r"(?!,?\s+(?:fiscal\s+)?(?:19|20)\d{2})", re.I),
     _latest_quarter_or_half),
    (re.compile(r"\b(?:(?:fiscal|financial)\s+year|twelve\s+months|12\s+months)\s+(?:that\s+)?(?:ended|ending|to)\s+"
                r"(?:on\s+)?(?P<month>" + _MONTH_RE + r")\.?(?:\s+(?P<day>\d{1,2}))?(?:,?\s+" + _Y + r")?", re.I),
     _year_ended),
    (re.compile(r"\b(?:three\s+months|quarter|period)\s+(?:that\s+)?(?:ended|ending|to)\s+(?:on\s+)?"
                r"(?P<month>" + _MONTH_RE + r")\.?(?:\s+(?P<day>\d{1,2}))?(?:,?\s+" + _Y + r")?", re.I),
     _quarter_ended),
    (re.compile(r"\b(?:the\s+)?(?P<month>March|June|September|December)(?:-end(?:ed|ing)?)?\s+quarter\b", re.I),
     _month_quarter),
    (re.compile(r"\b(?:over|in|during|for)\s+the\s+(?:last|past|previous|trailing|latest)\s+" + _N
                + r"\s+quarters\b", re.I), _trailing_quarters),
    (re.compile(r"\b(?:the\s+)?(?P<rel>previous|prior|preceding|sequential|latest|last|most\s+recent|current|same|"
                r"this|year-ago|year\s+ago)\s+(?:fiscal\s+)?(?:quarter|reporting\s+period)\b", re.I),
     _relative_quarter),
    (re.compile(r"\b(?P<rel>)(?:in|during|for)\s+the\s+quarter\b", re.I), _relative_quarter),
    (re.compile(r"\b(?:the\s+)?(?P<rel>latest|last|most\s+recent)\s+(?:earnings\s+|financial\s+|quarterly\s+)?"
                r"(?:report|results)\b", re.I), _relative_quarter),
    (re.compile(r"\b(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>(?:19|20)\d{2}|\d{2})\b", re.I), _fiscal_year),
    (re.compile(r"\b(?:between|from)\s+(?P<y1>(?:19|20)\d{2})\s+(?:and|to|through|-|–)\s+(?P<y2>(?:19|20)\d{2})\b",
                re.I), _year_range),
    (re.compile(r"\b(?:so\s+far\s+this\s+year|year[-\s]to[-\s]date|since\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+"
                r"year|" + _Y + r"))\b", re.I), _year_to_date),
    (re.compile(r"\b(?:over|in|within|during|for)\s+(?:the\s+)?(?P<dir>next|coming|following|past|last|previous|"
                r"prior)?\s*" + _N + r"\s+(?P<unit>years?|quarters?|months?)\b", re.I), _horizon),
    (re.compile(r"\b(?:over|within|during)\s+the\s+(?P<dir>next|coming|following|past|previous)\s+(?P<n>)"
                r"(?P<unit>year|quarter|month)\b", re.I), _horizon),
    # "set aside earlier this year": when something was said or done, not the period a figure covers
    (re.compile(r"\b(?:earlier|later)\s+(?:this|last)\s+(?:year|month|quarter)\b", re.I), _not_a_period),
    (re.compile(r"\b(?P<rel>this|the\s+current|last|the\s+previous|next|the\s+coming)\s+year\b", re.I),
     _relative_year),
    (re.compile(r"\b" + _N + r"-(?P<unit>year|quarter|month)\s+(?:plan|program(?:me)?|commitment|pledge|period)\b",
                re.I), _horizon),
    (re.compile(r"\bby\s+the\s+end\s+of\s+(?P<month>" + _MONTH_RE + r")\.?(?:\s+" + _Y + r")?\b", re.I),
     _by_end_of_month),
    (re.compile(r"\bby\s+(?:the\s+)?end\s+of\s+" + _Y + r"\b", re.I), _by_end_of_year),
    (re.compile(r"\bas\s+of\s+(?P<part>early|mid|late)?[-\s]*(?:(?P<month>" + _MONTH_RE + r")\.?\s+)?" + _Y + r"\b",
                re.I), _as_of),
    (re.compile(r"\b(?:within|in|over|during)\s+the\s+same\s+(?:time\s*frame|period|timeframe)\b", re.I),
     _same_frame),
    (re.compile(r"\b(?:in|during|for|by|through|throughout)\s+(?:calendar\s+(?:year\s+)?)?" + _Y + r"\b(?!\s*Q)",
                re.I), _year),
]


# Every pattern above holds a digit or one of these words (case aside): a sentence with none of them names no
# period, and its patterns need not be tried one by one.
_MAY_NAME_PERIOD = re.compile(r"\d|quarter|half|period|report|result|year|month|time|end", re.I)
_MATCHES_SEEN: dict[str, list[list[re.Match[str]]]] = {}


def _pattern_matches(text: str) -> list[list[re.Match[str]]]:
    """Each pattern's matches in `text`, kept for the last few sentences: a sentence is searched for the quarters
    it names and again for each of its figures, with other resolvers but the same matches."""
    cached = _MATCHES_SEEN.get(text)
    if cached is None:
        if len(_MATCHES_SEEN) >= 64:
            _MATCHES_SEEN.clear()
        if _MAY_NAME_PERIOD.search(text) is None:
            cached = [[] for _ in _PATTERNS]
        else:
            cached = [list(pattern.finditer(text)) for pattern, _ in _PATTERNS]
        _MATCHES_SEEN[text] = cached
    return cached


def find_periods(text: str, resolver: Resolver) -> list[Found]:
    """Every period and as-of phrase in `text`, longest first where they overlap, in reading order.

    >>> # "revenue grew 26% in the quarter ended June 30" -> a quarter ending June 30 of the article's year
    """
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for (_, handler), matches in zip(_PATTERNS, _pattern_matches(text), strict=True):
        for m in matches:
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            hit = handler(m, resolver)
            if hit is not None:
                found.append(hit)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def quarters_named(text: str, resolver: Resolver) -> list[tuple[date, date]]:
    """Reporting quarters a sentence names explicitly (not relative ones): they set the article's current quarter."""
    out = []
    for f in find_periods(text, resolver):
        p = f.period
        if p is not None and p.kind == "quarter" and p.start and p.end and not p.weak and not f.comparison:
            phrase = text[f.start : f.end].lower()
            if not re.search(r"previous|prior|preceding|year-ago|year ago|latest|last|current|same|this", phrase):
                out.append((p.start, p.end))
    return out


def sentence_anchor(text: str, today: date | None) -> date | None:
    """A date the sentence sets its events on ("In February 2025, it pledged …", "On March 6, …")."""
    m = re.search(r"\b(?:in|on|since|during)\s+(?:early\s+|mid-?|late\s+)?(?P<month>" + _MONTH_RE
                  + r")\.?(?:\s+(?P<day>\d{1,2}))?(?:,?\s+" + _Y + r")?\b", text, re.I)
    if m and m.group("month")[0].isupper():
        month = MONTHS[m.group("month").lower().rstrip(".")]
        if m.group("y"):
            year = int(m.group("y"))
        elif today is not None:
            year = today.year if month <= today.month else today.year - 1
        else:
            return None
        return _day(year, month, int(m.group("day")) if m.group("day") else 15)
    m = re.search(r"\b(?:[Ii]n|[Oo]n)\s+(?P<month>" + _MONTH_RE + r")\.?\s+this\s+year\b", text)
    if m and today is not None:
        return _day(today.year, MONTHS[m.group("month").lower().rstrip(".")], 15)
    return None


REPORT_FOLLOWS_DAYS = 7  # an article that discusses a quarter's results is placed a week after they came out


def estimate_article_date(mentioned: list[date], quarters_reported: list[date], lag_days: int) -> date | None:
    """An undated article is placed at the latest date it mentions, and, when it reports a quarter's results,
    a week after those results could have been out (the company's reporting lag after the quarter's end)."""
    candidates = list(mentioned)
    candidates += [q + timedelta(days=lag_days + REPORT_FOLLOWS_DAYS) for q in quarters_reported]
    return max(candidates) if candidates else None
