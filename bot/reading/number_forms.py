"""How numbers are written in digits: thousands grouped by commas, dots, spaces or apostrophes, decimals after a dot
or a comma, a leading decimal point; and the stretches of text (links, e-mail addresses, timestamps) whose digits are
never amounts.

A grouping is read only where it cannot be mistaken: "1.299,00" (dot groups, then a comma with cents), "2'350.00",
"12,34,567" (lakh and crore), "1 414 021" (single spaces between groups of three, see `bot.reading.amount_grammar`).
Forms that English writes otherwise ("24,50", ".85", "1.234.567") are amounts only with a currency or a percent mark
beside them (`needs_unit`).
"""

from __future__ import annotations

import re

# In the order tried: the longest reading of the digits wins.
NUMBER = "|".join(
    [
        r"\d{1,3}(?:['’.]\d{3})*[.,][-–—](?![\w-])",  # "2’490.–", "1.299,-": a whole price, no cents
        r"\d{1,3}(?:\.\d{3})+,\d{1,2}(?!\d)",  # "1.299,00": dot thousands, comma decimals
        r"\d{1,3}(?:['’]\d{3})+(?:\.\d+)?(?!['’]?\d)",  # "2'350.00": apostrophe thousands
        r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?![\d,])",  # "12,34,567": lakh and crore grouping
        r"\d{1,3}(?:,\d{3})+(?:\.\d+)?",  # "2,350.00"
        r"\d{1,3}(?:\.\d{3}){2,}(?![\d.,])",  # "1.234.567"
        r"\d{1,3},\d{1,2}(?![\d,])",  # "24,50"
        r"(?<![\w.,])\.\d+",  # ".85"
        r"\d+(?:\.\d+)?",
    ]
)

_COMMA_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{3})*,\d{1,2}")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_NEEDS_UNIT = re.compile(r"\d{1,3},\d{1,2}|\d{1,3}(?:\.\d{3}){2,}|\.\d+|.*[-–—]")
_WHOLE = re.compile(r"[\d'’.]+[.,][-–—]")


def number_value(digits: str) -> float:
    """The value of a number written in digits, in any grouping `NUMBER` reads.

    >>> [number_value(d) for d in ("1.299,00", "24,50", "2'350.00", "2,350.5", "1.234.567", ".85", "1 414 021")]
    [1299.0, 24.5, 2350.0, 2350.5, 1234567.0, 0.85, 1414021.0]
    >>> [number_value(d) for d in ("1 290,00", "2’490.–", "1.299,-", "15,-", "12,34,567.50")]
    [1290.0, 2490.0, 1299.0, 15.0, 1234567.5]
    """
    if _WHOLE.fullmatch(digits):
        return float(re.sub(r"\D", "", digits[:-2]))
    digits = re.sub(r"[\s'’]", "", digits)
    if _COMMA_DECIMAL.fullmatch(digits) or re.fullmatch(r"\d+,\d{1,2}", digits):
        return float(digits.replace(".", "").replace(",", "."))
    if _DOT_GROUPS.fullmatch(digits):
        return float(digits.replace(".", ""))
    return float(digits.replace(",", ""))


def needs_unit(digits: str) -> bool:
    """Whether the digits are an amount only beside a currency or percent mark: a comma decimal ("24,50", also a
    list "4,5" in English), dot groups ("1.234.567", also a version or an address) or a leading point (".85").

    >>> [needs_unit(d) for d in ("24,50", "1.299,00", "1.234.567", ".85", "2,350", "3.5", "15,-")]
    [True, False, True, True, False, False, True]
    """
    return bool(_NEEDS_UNIT.fullmatch(digits))


def thousands_after_sign(digits: str) -> float | None:
    """ "1.499 €": one dot and three digits before a sign written after the number is a thousands dot, the way
    the languages that put the sign after the number group thousands (a price has two decimals, not three).

    >>> thousands_after_sign("1.499"), thousands_after_sign("1.49"), thousands_after_sign("21.500")
    (1499.0, None, 21500.0)
    """
    return float(digits.replace(".", "")) if re.fullmatch(r"\d{1,3}\.\d{3}", digits) else None


_SIGN = re.compile(r"(?:^|(?<=[\s(]))(?:(?i:minus)\s+|[-−])$")


def sign_start(text: str, start: int) -> int | None:
    """Where a minus sign before the amount starting at `start` begins, or None: "minus five percent", "-4.5%",
    "(−3%)"; a hyphen between two numbers ("5-6%") is a range's, not a sign.

    >>> [sign_start(t, len(t)) for t in ("fell minus ", "returned -", "5-", "(−")]
    [5, 9, None, 1]
    """
    m = _SIGN.search(text[:start])
    return m.start() if m else None


# Links, e-mail addresses, timestamps and telephone numbers: their digits are never amounts ("/price-199-usd",
# "2024-11-02", "+44 20 7946 0000", "(555) 010-2030").
_NOT_AMOUNTS = re.compile(
    r"(?i:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w./])(?:[a-z0-9-]+\.)+[a-z]{2,}/\S*"
    r"|\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
    r"|(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\w.,]?\d)"
    r"|\(\d{3,4}\)\s?\d{3}[-.\s]\d{3,4}\b"
    r"|\b\d{3,4}-\d{3}-\d{3,4}\b"
)
# The numbers of a numbered list: "1. Markets rally 2. Oil slips".
_LIST_MARK = re.compile(r"(?:^|(?<=\s))\d{1,2}\.(?=\s+[A-Z])")


def not_amounts(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` whose digits are never amounts.

    >>> t = "See shop.example.com/a?p=25 or mail desk9@example.net, filed 2024-11-02T16:45:00Z, at $5."
    >>> [t[s:e] for s, e in not_amounts(t)]
    ['shop.example.com/a?p=25', 'desk9@example.net', '2024-11-02T16:45:00Z']
    >>> t = "1. Stocks gain 2% 2. Call +1 212 555 0100 or (212) 555-0199"
    >>> [t[s:e] for s, e in not_amounts(t)]
    ['+1 212 555 0100', '(212) 555-0199', '1.', '2.']
    """
    spans = [(m.start(), m.end()) for m in _NOT_AMOUNTS.finditer(text)]
    marks = [(m.start(), m.end()) for m in _LIST_MARK.finditer(text)]
    if len(marks) > 1 or (marks and marks[0][0] == 0):
        spans += marks
    return spans
