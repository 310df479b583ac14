"""The phrases an answer shows for when an amount holds, each with its role: the period measured ("over the next
three years"), a comparison base ("year-on-year"), a rate ("per share"). Read through `bot.reading.periods`
(`figure_phrase`, `read_periods`), beside the dated grammar of `bot.reading.period_grammar`."""

from __future__ import annotations

import re

# Phrases that place an amount in time as answers show it, with their role, tried after the amount first, then
# before it ("$53 billion over three years", "growth of 26% year-on-year", "a dividend of $1 per share").
PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), role)
    for p, role in [
        (
            r"over (?:the )?(?:next |past |last |coming |previous )?(?:\w+ )?(?:years?|quarters?|months?|decades?)",
            "measured",
        ),
        (r"in (?:the )?(?:next|past|last|coming) (?:\w+ )?(?:years?|quarters?|months?)", "measured"),
        (r"(?:within|during) (?:the )?(?:next |same )?(?:\w+ )?(?:years?|quarters?|months?|time frame)", "measured"),
        (r"in the (?:\w+ )?quarter(?: ended \w+ \d{1,2})?(?: alone)?", "measured"),
        (
            r"in the (?:first|second|third|fourth|latest|previous|same) quarter(?: of (?:fiscal (?:year )?)?\d{4})?",
            "measured",
        ),
        (r"in (?:the )?\d{4}Q\d(?: reporting period)?", "measured"),
        (r"(?:for|over) the \w+ consecutive quarters?", "measured"),
        (r"for the \w+ quarter in a row", "measured"),
        (r"year[- ]on[- ]year", "comparison"),
        (r"year[- ]over[- ]year", "comparison"),
        (r"quarter[- ]on[- ]quarter", "comparison"),
        (r"this year", "measured"),
        (r"last year", "measured"),
        (r"so far this year", "measured"),
        (r"per share", "rate"),
        (r"per year", "rate"),
        (r"a year", "rate"),
        (r"annually", "rate"),
        (r"by (?:the end of )?(?:\d{4}|[A-Z][a-z]+ \d{4})", "as_of"),
        (
            r"by the end of (?:January|February|March|April|May|June|July|August|September|October|November|December)",
            "as_of",
        ),
        (r"(?:\w+-)?year plan", "measured"),
        (r"in (?:fiscal (?:year )?)?\d{4}", "measured"),
    ]
]
