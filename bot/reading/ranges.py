"""The two ends of a range of amounts ("$9 billion to $9.5 billion", "from 2 million to 6 million units"): what one
end's clause says of how sure it is and when it holds, the other shares."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from bot.reading.amounts import FoundFigure
from bot.reading.period_model import Period


class Said(Protocol):
    """What a range's end shares with the other: how sure it is and when it holds (a figure record)."""

    status: str
    period: Period | None
    as_of: date | None


_SAID_AHEAD = ("plan", "forecast", "estimate")


def range_ends(figures: list[FoundFigure], measures: Sequence[Said], text: str, base: int) -> None:
    """ "grow from 2 million to 6 million units": in a plan or forecast, the start of the range is where things are;
    "a forecast of $9 billion to $9.5 billion": the range's two ends are forecast alike, and for the period the
    clause after the last end says."""
    for i in range(len(figures) - 1):
        a, b = figures[i], figures[i + 1]
        if a.kind != b.kind:
            continue
        if not re.fullmatch(r"\s*(?:to|-|–)\s*", text[a.end - base : b.start - base]):
            continue
        before = text[max(0, a.start - base - 6) : a.start - base].lower()
        ahead_b = measures[i + 1].status in _SAID_AHEAD  # as its own clause says, read for a time ahead
        if "from" in before and measures[i].status in ("plan", "forecast"):
            measures[i].status = "actual"
        elif measures[i].status in _SAID_AHEAD and measures[i + 1].status == "actual":
            measures[i + 1].status = measures[i].status
        elif "from" not in before and measures[i].status == "actual" and measures[i + 1].status in _SAID_AHEAD:
            measures[i].status = measures[i + 1].status
        if "from" in before or not measures[i].status == measures[i + 1].status in _SAID_AHEAD:
            continue
        if ahead_b and measures[i + 1].period:
            # the range's last end reads the clause both ends share
            measures[i].period, measures[i].as_of = measures[i + 1].period, measures[i + 1].as_of
        elif not ahead_b and measures[i].period:  # the last end was read as reported: the first end's time
            measures[i + 1].period, measures[i + 1].as_of = measures[i].period, measures[i].as_of
