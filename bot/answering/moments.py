"""The moment a question asks about, read from its words, and the question without them:

- "capex as of March 2025", "cloud growth as of 2025-03-01": the state of things at that date (figures whose
  period ended, or whose as-of held, by then), whenever it was reported;
- "what did we know about Qwen on June 1", "revenue as reported by 2025-06-01": only articles published by then;
- "since June", "what changed since 2025-06-01": the changes reported after that date;
- "now", "latest", "currently": the newest period first.

Dates are read by `bot.reading.dates` and `bot.reading.periods`; a month without a day is its last day (its first
after "since"); a date without a year is the latest such date not after the newest article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.reading.dates import leading_date
from bot.reading.period_model import latest_year
from bot.reading.periods import CALENDAR_YEAR, Resolver, TimeContext, find_periods


@dataclass
class Moment:
    """When a question asks about: at most one of `as_of`, `known_by`, `since`; `recent` for "now"/"latest"."""

    rest: str  # the question without its time words: what is searched for
    as_of: date | None = None
    known_by: date | None = None
    since: date | None = None
    recent: bool = False
    written: str = ""  # the time phrase as the question wrote it
    notes: list[str] = field(default_factory=list)

    @property
    def when(self) -> date | None:
        return self.as_of or self.known_by or self.since

    @property
    def changes(self) -> bool:
        """The question asks what changed ("since June", "what changed since …")."""
        return self.since is not None


# A date starts with a digit or a capital ("2025-03-01", "March 2025", "Q4 2024"), or names a quarter in words.
_DATE_START = (
    r"(?=(?:the\s+)?(?:end\s+of\s+|start\s+of\s+|beginning\s+of\s+)?(?-i:[A-Z0-9])|"
    r"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)\s)"
)
# "what did we know about X on D", "what was known about X by D": the known-by form that wraps its topic.
_KNEW = re.compile(
    r"^(?:what|how\s+much)\s+(?:did|do)\s+(?:we|you|i|the\s+articles|people)\s+know\s+(?:about\s+|of\s+)?"
    r"(?P<topic>.+?)\s+(?:on|by|as\s+of|at|before|in)\s+" + _DATE_START,
    re.I,
)
_KNOWN_WAS = re.compile(
    r"^what\s+(?:was|were|had\s+been)\s+(?:known|reported|said)\s+(?:about\s+|of\s+)?(?P<topic>.+?)\s+"
    r"(?:on|by|as\s+of|at|before|in)\s+" + _DATE_START,
    re.I,
)
_KNOWN_BY = re.compile(
    r"\b(?:as\s+|when\s+|what\s+was\s+)?(?:known|reported|published|written)\s+(?:by|before|until|up\s+to|as\s+of)\s+"
    + _DATE_START,
    re.I,
)
_SINCE = re.compile(r"\b(?:since|after)\s+" + _DATE_START, re.I)
_AS_OF = re.compile(r"\b(?:as\s+(?:of|at)|at\s+the\s+end\s+of|by\s+the\s+end\s+of|by|on)\s+" + _DATE_START, re.I)
# "what changed", "what has changed in", "changes to": the words that ask for changes, dropped from the topic.
_CHANGED = re.compile(
    r"^(?:what(?:'s|’s|\s+has|\s+have|\s+is)?\s+(?:changed|new|different)|(?:any\s+)?changes?)"
    r"(?:\s+(?:in|to|for|about|on|with))?\s*",
    re.I,
)
_NOW = re.compile(
    r"\b(?:as\s+of\s+(?:now|today)|right\s+now|at\s+(?:present|the\s+moment)|currently|nowadays|now|today|"
    r"(?:the\s+)?(?:latest|most\s+recent|newest))\b",
    re.I,
)


def read_moment(query: str, newest: date | None, today: date) -> Moment:
    """The moment `query` asks about; dates without a year are read against `newest` (the newest article's date,
    else `today`)."""
    reference = newest or today
    for form, pattern in (("known_by", _KNEW), ("known_by", _KNOWN_WAS)):
        m = pattern.match(query)
        if m:
            found = _read_date(query[m.end() :], form, reference)
            if found is not None:
                when, length, note = found
                written = query[m.end("topic") : m.end() + length].strip()
                moment = Moment(m.group("topic").strip(), known_by=when, written=written)
                return _with(moment, note, query[m.end() + length :])
    for form, pattern in (("known_by", _KNOWN_BY), ("since", _SINCE), ("as_of", _AS_OF)):
        for m in pattern.finditer(query):
            found = _read_date(query[m.end() :], form, reference)
            if found is None:
                continue
            when, length, note = found
            if _target(m.group(0), when, reference):
                continue
            rest = query[: m.start()] + " " + query[m.end() + length :]
            if form == "since":
                rest = _CHANGED.sub("", rest.strip())
            moment = Moment(" ".join(rest.split()), written=query[m.start() : m.end() + length].strip())
            setattr(moment, form, when)
            return _with(moment, note, "")
    recent = _NOW.search(query)
    if recent:
        return Moment(" ".join(_NOW.sub(" ", query).split()) or query, recent=True, written=recent.group(0))
    return Moment(query)


def _target(trigger: str, when: date, reference: date) -> bool:
    """ "by 2030", "by the end of 2026", "on March 1, 2027" after the newest article: a target a plan is set for,
    not a moment to look back from; only "as of" looks past the newest article."""
    return trigger.split()[0].lower() in ("by", "on", "at") and when > reference


def _with(moment: Moment, note: str, tail: str) -> Moment:
    if tail.strip(" ?!.,"):
        moment.rest = f"{moment.rest} {tail.strip()}"
    if note:
        moment.notes.append(note)
    return moment


_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\b(?!-)")
_EDGE = re.compile(r"(?:the\s+)?(?P<edge>end|start|beginning)\s+of\s+", re.I)


def _read_date(text: str, form: str, reference: date) -> tuple[date, int, str] | None:
    """The date `text` starts with, for a question of `form`: (the date, the length of its words, a note saying
    which year a date without one was read in)."""
    start_of = form == "since"
    lead = 0
    edge = _EDGE.match(text)
    if edge:
        start_of, lead = edge.group("edge").lower() != "end", edge.end()
    tail = text[lead:]
    written = leading_date(tail)
    if written is not None:
        year = written.year
        if year is None:
            probe = written.resolved(reference.year, start_of)
            year = latest_year(written.month, reference, probe.day if probe else 1)
        when = written.resolved(year, start_of)
        if when is None:
            return None
        note = ""
        if written.year is None:
            note = f"Read “{tail[: written.end]}” as {when.isoformat()}, the latest such date the articles reach."
        return when, lead + written.end, note
    m = _YEAR.match(tail)
    if m:
        y = int(m.group("y"))
        return (date(y, 1, 1) if start_of else date(y, 12, 31)), lead + m.end(), ""
    resolver = Resolver(TimeContext(today=reference, dated=True), CALENDAR_YEAR, anchor=None)
    stripped = re.match(r"(?:the\s+)?", tail, re.I)
    skip = stripped.end() if stripped else 0
    for found in find_periods(tail, resolver):
        period = found.period
        if found.start > skip or period is None or period.start is None or period.end is None or period.weak:
            continue
        return (period.start if start_of else period.end), lead + found.end, ""
    return None
