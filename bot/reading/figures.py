"""Finding figures in a sentence: money, percentages and counts, with unit, qualifier, period and subject."""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Span

from bot.reading.amounts import FoundFigure, MentionSpan, read_amounts
from bot.reading.dates import mentioned_dates
from bot.reading.periods import clause_end, figure_phrase
from bot.rules import Rules


def _is_conversion(between: str) -> bool:
    return bool(
        re.fullmatch(
            r"\s*\(\s*(?:approximately|approx\.?|about|around|roughly|some|or|~|equivalent to)?\s*", between, re.I
        )
        or re.fullmatch(r"\s*,?\s*or\s+(?:about\s+|roughly\s+|around\s+|approximately\s+)?", between, re.I)
        # "9 billion yuan, about $1.3 billion, came from …": an amount in another currency set off with a hedge
        or re.fullmatch(
            r"\s*[,—–]\s*(?:about|roughly|around|approximately|some|nearly|almost|equal to)\s*", between, re.I
        )
    )


def extract_figures(
    sent: Span,
    mentions: list[MentionSpan],
    rules: Rules,
    *,
    default_date: date | None = None,
    text: str | None = None,
) -> list[FoundFigure]:
    """Every money amount, percentage and count in `sent` (whose text is `text` when the caller has it).

    "pledged over 380 billion yuan ($53 billion) over three years" gives 380e9 CNY with the qualifier "over" and the
    period "over three years", then 53e9 USD converting it (tests/test_figures.py reads such sentences).
    """
    text = sent.text if text is None else text
    base = sent.start_char
    amounts = read_amounts(sent, mentions, rules, text)
    found, spans = amounts.figures, amounts.spans
    for fig in found:
        index = next((i for i, (s, _) in enumerate(spans) if base + s == fig.start), None)
        fig.period = figure_phrase(text, fig.start - base, fig.end - base, _clause_end(text, spans, index))
    _link(found, text, base, mentions)
    _date(found, text, base, default_date)
    return found


def _clause_end(text: str, spans: list[tuple[int, int]], index: int | None) -> int:
    if index is None:
        return len(text)
    converts = index + 1 < len(spans) and _is_conversion(text[spans[index][1] : spans[index + 1][0]])
    return clause_end(text, spans, index, conversion_next=converts)


def _link(found: list[FoundFigure], text: str, base: int, mentions: list[MentionSpan]) -> None:
    """Conversions in brackets belong to the amount before them; each figure gets the entity it is about."""
    for i, fig in enumerate(found):
        if i and fig.kind == "money" and found[i - 1].kind == "money" and fig.unit != found[i - 1].unit:
            between = text[found[i - 1].end - base : fig.start - base]
            if _is_conversion(between):
                fig.conversion_of = i - 1
                fig.period = fig.period or found[i - 1].period
        if fig.conversion_of is not None:
            fig.mention = found[fig.conversion_of].mention
            continue
        candidates = [(k, m) for k, m in enumerate(mentions) if not m.is_place]
        # The name said before an amount is what it is about; a name after it is usually a comparison.
        before = [(fig.start - m.end, k) for k, m in candidates if m.end <= fig.start]
        if before:
            fig.mention = min(before)[1]


_SINCE_BEFORE = re.compile(r"\bsince\b[^,;:]*$", re.I)


def _dates_an_event(text: str, offset: int) -> bool:
    """A date in a "since" clause ("since the arm was launched in June 2022") starts a running total; it
    is not when a figure held."""
    return _SINCE_BEFORE.search(text, 0, offset) is not None


def _date(found: list[FoundFigure], text: str, base: int, default: date | None) -> None:
    """A date the sentence gives ("by the end of January") dates its figures; without one, `as_of` stays empty
    and the article's date stands for it."""
    year = default.year if default else None
    dates = [
        (base + offset, d)
        for offset, d in mentioned_dates(text, year, months_only=True)
        if not _dates_an_event(text, offset)
    ]
    if default:
        dates = [(o, d) for o, d in dates if d <= default]
    # A date dates a figure in the same stretch between commas, or from the sentence's opening phrase ("By the
    # end of January, …"); not from a clause set off beside it ("the app, which topped the charts in January,
    # has 30 million users").
    cuts = [base + m.start() for m in re.finditer(r"[,;:](?=\s)|\s[—–]\s|—", text)]
    opening_end = cuts[0] if cuts else base + len(text)

    def stretch(offset: int) -> int:
        return sum(1 for c in cuts if c < offset)

    for fig in found:
        near = [(o, d) for o, d in dates if stretch(o) == stretch(fig.start) or o < opening_end]
        if near:
            fig.as_of = min(near, key=lambda od: abs(od[0] - fig.start))[1]
