"""Ranges and lists of amounts: "from 5 to 7 per cent", "8 or $9", "$40 million, 25 million and 12 million". A unit,
currency or scale said once holds for the members that lack it (`carry`), once `bot.reading.amount_grammar` has read
each amount as written.
"""

from __future__ import annotations

import re

from bot.reading.amount_grammar import Amount
from bot.rules import AmountRules, lexeme_key


def joiner(text: str, end: int, start: int, ar: AmountRules) -> str | None:
    """The word or mark that makes the amounts ending at `end` and starting at `start` one range or list ("to",
    "and", "-", ","), or None: the one range rule."""
    between = lexeme_key(text[end:start]).lower()
    return between if between in ar.list_joiners else None


def _joined(text: str, a: Amount, b: Amount, ar: AmountRules) -> str | None:
    return joiner(text, a.end, b.start, ar)


def carry(found: list[Amount], text: str, ar: AmountRules) -> None:
    """A unit said once in a range or list holds for its other members.

    "from 5 to 7 per cent" -> 5%, 7%; "8 or $9" -> $8, $9; "3 to 4 billion yuan" -> both in billions of yuan;
    "from 1000 to 2000 hires" -> both count hires; "$5, 10 and 20" -> all in dollars.
    """
    for idx in range(len(found) - 2, -1, -1):
        a, b = found[idx], found[idx + 1]
        between = _joined(text, a, b, ar)
        if between is None or a.noun_own:
            continue
        if _year_shaped(a) and b.scaled:
            continue  # "in the year to March 2024, and $7.3 billion in …": a year, not a first amount
        if not a.currency and not a.percent and not a.minor:
            if b.currency and not b.minor:
                a.currency = b.currency
            elif b.percent:
                a.percent, a.factor = b.percent, b.factor
            elif b.noun:
                a.noun = b.noun  # "from 1000 to 2000 hires"
        # "$1.5-2 billion": the second end takes the first's currency below, and gives it its scale here
        takes_currency = a.currency and not (b.currency or b.percent or b.noun_own) and between != ","
        if (
            ((a.currency, a.percent) == (b.currency, b.percent) or takes_currency)
            and not a.scaled
            and b.scaled
            and (a.mantissa <= b.mantissa)
        ):
            a.scale, a.scaled = b.scale, True
    for idx in range(len(found) - 1):
        a, b = found[idx], found[idx + 1]
        joiner = _joined(text, a, b, ar)
        if joiner is None or not a.currency or a.minor or b.currency or b.percent or b.noun_own or b.subject:
            continue
        if a.scaled and _year_shaped(b):
            continue  # "$3 billion through 2028": the end of a period, not a second amount
        if joiner == ",":
            following = found[idx + 2] if idx + 2 < len(found) else None
            if not (b.scaled or (following is not None and _joined(text, b, following, ar))):
                continue  # "$5 billion, 2 more than ..." is not a list
        b.currency = a.currency


# Just before an amount, the words that make it what another is compared with ("up from $6 billion", "than the
# $3 billion …", "up from about 410,000"), though not a hedge ("more than $5 billion")
COMPARED_WITH = re.compile(
    r"(?<!\bmore )(?<!\bless )(?<!\bfewer )"
    r"\b(?:than|from|compared\s+(?:with|to)|versus|against)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:(?:about|around|roughly|some|nearly|almost|approximately|just|an\s+estimated)\s+)?$",
    re.I,
)


# Just before a bare amount, the words that make it money: a verb that spends or pays it, or the word that sets it
# against another amount ("had spent about 2.1 billion by …", "rose to $5 billion from 4.2 billion").
_MONEY_BEFORE = re.compile(
    r"\b(?:spent|spend|spends|spending|invested|invest|invests|paid|pay|pays|cost|costs|from|against|versus)\s+"
    r"(?:about|around|roughly|nearly|almost|some|over|under|just|more\s+than|less\s+than)?\s*$",
    re.I,
)


def carry_currency(found: list[Amount], text: str) -> None:
    """A scaled amount with no currency, percent or noun of its own ("3.3 billion"), that a verb of spending or a
    comparison makes money, is in the currency of the sentence's amounts before it when they share one."""
    for b in found:
        if b.currency or b.percent or b.noun or b.minor or not b.scaled:
            continue
        before = {a.currency for a in found if a.end <= b.start and a.currency and not a.minor}
        if len(before) == 1 and _MONEY_BEFORE.search(text[: b.start]):
            b.currency = next(iter(before))


def _year_shaped(amount: Amount) -> bool:
    """A bare four-digit number that reads as a year ("2028")."""
    return not amount.scaled and len(amount.digits) == 4 and 1900 <= amount.mantissa <= 2100
