"""What a period is while reading: the span of dates a figure holds for (`Period`), a company's fiscal calendar,
"now" while reading one article (`TimeContext`, `Resolver`), and one period or as-of phrase found in a sentence
(`Found`: its span, phrase, dates and role). The phrases themselves are read by `bot.reading.periods`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    kind: str  # quarter, year, ytd, horizon, window, range
    approx: bool = False
    weak: bool = False  # anchored on the article's date (or its estimate), not on a date the text states


@dataclass(frozen=True)
class FiscalCalendar:
    """A company's fiscal year: the day it ends, and whether a year is named for the calendar year it ends in (a
    year ending March 31, 2025 is fiscal 2025) or, with `named_for_start`, the one it starts in (a year starting
    April 1, 2025 is fiscal 2025)."""

    end_month: int = 12
    end_day: int = 31
    lag_days: int = 45
    named_for_start: bool = False

    def year(self, fiscal_year: int) -> tuple[date, date]:
        ending = fiscal_year
        if self.named_for_start and self._ending_in(fiscal_year)[0].year < fiscal_year:
            ending += 1  # the year that starts in `fiscal_year` ends in the next calendar year
        return self._ending_in(ending)

    def _ending_in(self, year: int) -> tuple[date, date]:
        """The fiscal year that ends in calendar year `year`."""
        end = day_in(year, self.end_month, self.end_day)
        start = day_in(year - 1, self.end_month, self.end_day) + timedelta(days=1)
        return start, end

    def year_of(self, day: date) -> int:
        """The name of the fiscal year `day` falls in."""
        for label in (day.year - 1, day.year, day.year + 1):
            start, end = self.year(label)
            if start <= day <= end:
                return label
        return day.year

    def quarter(self, fiscal_year: int, q: int) -> tuple[date, date]:
        start, _ = self.year(fiscal_year)
        q_start = add_months(start, 3 * (q - 1))
        return q_start, add_months(q_start, 3) - timedelta(days=1)

    def quarter_holding(self, day: date) -> tuple[date, date]:
        """The fiscal quarter `day` falls in."""
        fiscal_year = self.year_of(day)
        quarters = [self.quarter(fiscal_year, n) for n in range(1, 5)]
        return next((q for q in quarters if q[0] <= day <= q[1]), quarters[-1])

    @property
    def is_calendar(self) -> bool:
        return (self.end_month, self.end_day) == (12, 31)


CALENDAR_YEAR = FiscalCalendar()


@dataclass(frozen=True)
class Calendars:
    default: FiscalCalendar
    by_name: dict[str, FiscalCalendar]

    def of(self, name: str | None) -> FiscalCalendar:
        return self.known(name) or self.default

    def known(self, name: str | None) -> FiscalCalendar | None:
        """The calendar listed for `name` (case aside), or None when it has none of its own."""
        if not name:
            return None
        found = self.by_name.get(name)
        if found is None:
            folded = name.casefold()
            found = next((c for n, c in self.by_name.items() if n.casefold() == folded), None)
        return found


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
    before: tuple[date, date] | None = None  # the last quarter the sentence before named: "the quarter before" it
    opening: date | None = None  # the date a sentence opens on ("On December 26, …"), and that sentence
    opening_at: int = -10


@dataclass(frozen=True)
class Found:
    """A period or as-of phrase at [start, end) of the sentence, with its dates and its role.

    Roles: "measured" (the period a figure covers), "as_of" (the date a level holds at), "comparison" (a base a
    figure is compared with: "than last year", "year-on-year"), "rate" (what an amount is per:
    "per share", "a year"), "same" ("within the same time frame": the period of the figure before), "earlier"
    ("a year earlier": the period that long before the one the sentence is about).
    """

    start: int
    end: int
    period: Period | None = None
    as_of: date | None = None
    comparison: bool = False  # a comparison base ("than last year"), not the figure's own period
    same_as_previous: bool = False  # "within the same time frame"
    phrase: str = ""  # the words as written
    rate: bool = False  # what an amount is per ("per share", "annually"), not when it holds
    earlier: bool = False  # "a year earlier": the period `months_back` months before the one the sentence is about
    months_back: int = 12  # "three months earlier" is 3
    of_year: int | None = None  # "the same quarter of 2025": the earlier period is in that year

    @property
    def role(self) -> str:
        if self.comparison:
            return "comparison"
        if self.same_as_previous:
            return "same"
        if self.rate:
            return "rate"
        if self.earlier:
            return "earlier"
        return "as_of" if self.as_of is not None else "measured"


def day_in(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return day_in(d.year + m // 12, m % 12 + 1, d.day)


def month_end(year: int, month: int) -> date:
    return day_in(year, month, 31)


def quarter_of(d: date) -> tuple[date, date]:
    q = (d.month - 1) // 3
    start = date(d.year, 3 * q + 1, 1)
    return start, add_months(start, 3) - timedelta(days=1)


def previous_quarter(q: tuple[date, date], n: int = 1) -> tuple[date, date]:
    start = add_months(q[0], -3 * n)
    return start, add_months(start, 3) - timedelta(days=1)


def last_completed_quarter(today: date) -> tuple[date, date]:
    return previous_quarter(quarter_of(today))


def part_of_year(cal: FiscalCalendar, fiscal_year: int, n: int, months: int) -> tuple[date, date]:
    """The `n`-th part of `months` months (a quarter, a half) of fiscal year `fiscal_year` of `cal`."""
    start = add_months(cal.year(fiscal_year)[0], months * (n - 1))
    return start, add_months(start, months) - timedelta(days=1)


def latest_part(cal: FiscalCalendar, n: int, months: int, now: date, *, begun: bool) -> tuple[date, date]:
    """The latest `n`-th part of `months` months of a year of `cal` that has ended by `now`. With `begun` (a
    plan's or a forecast's), the earliest that is not over: under way, ahead, or ended so lately that its results
    are still to come ("analysts expect fourth-quarter sales of …" in early January)."""
    if begun:
        fy = cal.year_of(now) - 1
        while True:
            start, end = part_of_year(cal, fy, n, months)
            if end + timedelta(days=cal.lag_days) >= now:
                return start, end
            fy += 1
    fy = cal.year_of(now) + 1
    while True:
        start, end = part_of_year(cal, fy, n, months)
        if (start <= now) if begun else (end <= now):
            return start, end
        fy -= 1


def latest_year(month: int, now: date, day: int = 1) -> int:
    """The year of the latest `month` (and `day`) not after `now`: "June 30" read in May 2025 is June 30, 2024."""
    return now.year if (month, day) <= (now.month, now.day) else now.year - 1


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
        return last_completed_quarter(today) if today else None
