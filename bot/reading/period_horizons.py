"""Horizons and windows: "over three years", "in the next five years", "over seven years starting in fiscal 2027",
"in the four years to the end of 2031", "over the past 12 months"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.reading.number_words import small_number
from bot.reading.period_model import Found, Period, Resolver, add_months

_STARTING = re.compile(
    r",?\s+(?:starting|beginning|from)\s+(?:in\s+)?(?P<fiscal>fiscal\s+(?:year\s+)?)?(?P<y>(?:19|20)\d{2})\b", re.I
)
# "in the four years to the end of 2031", "over five years through fiscal 2032": up to that year's end
_TO_YEAR_END = re.compile(
    r"\s+(?:to|through|until|ending)\s+(?:the\s+end\s+of\s+)?(?P<fiscal>fiscal\s+(?:year\s+)?)?(?P<y>(?:19|20)\d{2})\b",
    re.I,
)


def horizon(m: re.Match[str], r: Resolver) -> Found | None:
    n = small_number(m.group("n") or "one") if m.groupdict().get("n") is not None else 1
    unit = m.group("unit").lower()
    if n is None:
        return None
    now, weak = r.now
    if now is None:
        return None
    months = n * (12 if unit.startswith("year") else 3 if unit.startswith("quarter") else 1)
    start = _STARTING.match(m.string, m.end())  # "over seven years starting in fiscal 2027": from that year's start
    if start is not None:
        y = int(start.group("y"))
        begin = r.cal.year(y)[0] if start.group("fiscal") else date(y, 1, 1)
        return Found(m.start(), m.end(), Period(begin, add_months(begin, months) - timedelta(days=1), "horizon"))
    if (to := _TO_YEAR_END.match(m.string, m.end())) is not None:
        y = int(to.group("y"))
        end = r.cal.year(y)[1] if to.group("fiscal") else date(y, 12, 31)
        return Found(m.start(), to.end(), Period(add_months(end + timedelta(days=1), -months), end, "horizon"))
    backward = (m.groupdict().get("dir") or "").lower() in {"past", "last", "previous", "prior"}
    if backward:
        return Found(m.start(), m.end(), Period(add_months(now, -months), now, "window", approx=True, weak=weak))
    return Found(m.start(), m.end(), Period(now, add_months(now, months), "horizon", approx=True, weak=weak))
