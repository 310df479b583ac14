"""Dates in article text: datelines ("August 28, 2025", "05/14 2025") and dates a sentence refers to."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")\.?"

# Full dates, as datelines write them.
_FULL_DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})", re.I),
    re.compile(r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})", re.I),
    re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?P<mnum>\d{1,2})/(?P<day>\d{1,2})(?:/|\s+)(?P<year>(?:19|20)\d{2})"),
]

# Partial dates a sentence may mention: "February 2025", "end of January", "second quarter of 2025". The look
# ahead at a month's first letter spares trying every month name at every word.
_MONTH_YEAR = re.compile(
    r"\b(?=["
    + "".join(sorted({m[0] for m in MONTHS}))
    + "])"
    + _MONTH
    + r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b",
    re.I,
)
_QUARTER = re.compile(
    r"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+of\s+(?:fiscal\s+(?:year\s+)?)?(?P<year>(?:19|20)\d{2})",
    re.I,
)
_QUARTER_NUM = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_YEAR = re.compile(r"\b(?:in|since|of|during|early|mid|late|end of)\s+(?P<year>(?:19|20)\d{2})\b", re.I)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_full_date(text: str) -> tuple[date, re.Match[str]] | None:
    """The first full date in `text` ("August 28, 2025", "2025-08-28", "05/14 2025"), with its match."""
    best: tuple[date, re.Match[str]] | None = None
    for pattern in _FULL_DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["mnum"])
        d = _safe_date(int(groups["year"]), month, int(groups["day"]))
        if d and (best is None or m.start() < best[1].start()):
            best = (d, m)
    return best


@dataclass(frozen=True)
class WrittenDate:
    """A date as a person wrote it, the parts left out left None: "March 2025" has no day, "June 1" no year."""

    month: int
    day: int | None
    year: int | None
    end: int  # where the written date ends in the text

    def resolved(self, year: int, month_start: bool = False) -> date | None:
        """The date in `year` when none was written; a month without a day is its last day (its first with
        `month_start`)."""
        y = self.year or year
        day = self.day or (1 if month_start else calendar.monthrange(y, self.month)[1])
        return _safe_date(y, self.month, day)


def leading_date(text: str) -> WrittenDate | None:
    """The date `text` starts with, by the same patterns as `parse_full_date` and `mentioned_dates`: a full date,
    or a capitalised month with or without its day and year.

    >>> leading_date("2025-03-01 please")
    WrittenDate(month=3, day=1, year=2025, end=10)
    >>> leading_date("June 1 for Qwen")
    WrittenDate(month=6, day=1, year=None, end=6)
    >>> leading_date("may grow") is None
    True
    """
    for pattern in _FULL_DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            groups = m.groupdict()
            month = MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["mnum"])
            if _safe_date(int(groups["year"]), month, int(groups["day"])):
                return WrittenDate(month, int(groups["day"]), int(groups["year"]), m.end())
    m = _MONTH_YEAR.match(text)
    if m is None or not m.group(0)[0].isupper():
        return None
    day = int(m.group("day")) if m.group("day") else None
    year = int(m.group("year")) if m.group("year") else None
    written = WrittenDate(MONTHS[m.group("month").lower().rstrip(".")], day, year, m.end())
    return written if written.resolved(year or 2000) is not None else None


def parse_iso(text: str) -> date:
    """A YYYY-MM-DD date given by a person; raises ValueError with a readable message."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text)
    d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    if d is None:
        raise ValueError(f"not a date in the form YYYY-MM-DD: {text!r}")
    return d


def mentioned_dates(text: str, default_year: int | None, months_only: bool = False) -> list[tuple[int, date]]:
    """Dates a text refers to, each with its character offset; month-only dates take the month's end.

    >>> mentioned_dates("by the end of January, it surpassed 90,000", 2025)
    [(14, datetime.date(2025, 1, 31))]
    """
    found: list[tuple[int, date]] = []
    for m in _MONTH_YEAR.finditer(text):
        word = m.group("month").lower().rstrip(".")
        if word in {"may", "mar", "jan", "jun", "dec", "aug", "sep", "oct", "nov", "feb", "apr", "jul"} and not (
            m.group("year") or m.group("day") or m.group(0)[0].isupper()
        ):
            continue  # "may" the verb, "mar" the verb...
        if not m.group(0)[0].isupper():
            continue
        year = int(m.group("year")) if m.group("year") else default_year
        if year is None:
            continue
        month = MONTHS[word]
        day = int(m.group("day")) if m.group("day") else calendar.monthrange(year, month)[1]
        d = _safe_date(year, month, day)
        if d:
            found.append((m.start(), d))
    for m in _QUARTER.finditer(text):
        q = _QUARTER_NUM[m.group("q").lower()]
        year = int(m.group("year"))
        found.append((m.start(), date(year, q * 3, calendar.monthrange(year, q * 3)[1])))
    for m in () if months_only else _YEAR.finditer(text):
        # A bare year only says the text is from that year or later: take its earliest plausible day.
        word = m.group(0).lower()
        year = int(m.group("year"))
        if "end of" in word:
            found.append((m.start(), date(year, 12, 31)))
        elif not re.search(r"quarter\s+of\s+(?:fiscal\s+(?:year\s+)?)?$", text[: m.start() + len(word) - 4].lower()):
            month = 6 if "mid" in word else 9 if "late" in word else 1
            found.append((m.start(), date(year, month, 1)))
    return sorted(found)
