"""Which currency an amount is in when its sign or name is shared by several ("¥", "crowns"): the followed
company's for a name when it is one of them, a place its sentence names, or the place that qualifies the name
("Norwegian crowns"). The names and signs are in `currencies.yml` (`shared_symbols`, `shared_names`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from bot.rules import AmountRules


class _Amount(Protocol):
    start: int
    end: int
    digits: str
    currency: str | None


def settle_shared(amt: _Amount, found: Sequence[_Amount], text: str, ar: AmountRules) -> None:
    """Settle the currency of an amount written with a sign or a name several currencies share."""
    sign = _shared_sign(amt, text, ar)
    if sign is not None and sign.isalpha() and not amt.digits:  # "won two crowns": titles, not money
        amt.currency = None
        return
    if sign is not None and sign.isalpha() and ar.reporting in ar.shared[sign]:
        return  # a name alone ("2.3 billion crowns") is the followed company's crown, whatever place the sentence names
    # a place is a hint only when no amount of the sentence names one of the currencies outright: in "¥4 trillion,
    # against CN¥30 billion at its Shanghai unit", Shanghai is the yuan amount's
    outright = {a.currency for a in found if _shared_sign(a, text, ar) is None}
    if sign is not None and not outright & set(ar.shared[sign]):
        named = [c for c in ar.shared[sign] if any(re.search(rf"\b{re.escape(p)}\b", text) for p in ar.places[c])]
        if len(named) == 1:
            amt.currency = named[0]


def _shared_sign(amt: _Amount, text: str, ar: AmountRules) -> str | None:
    """The shared sign or name the amount is written with; None for one its place qualifies ("Norwegian crowns"),
    which the reader took as that place's currency outright."""
    written = text[amt.start : amt.end]
    sign = next((s for s in ar.shared if re.search(rf"(?<![^\W\d_]){re.escape(s)}", written)), None)
    if sign is None or not sign.isalpha():
        return sign
    words = written.lower().split()
    before = words[words.index(sign) - 1] if sign in words and words.index(sign) > 0 else ""
    return None if any(before == p.lower() for c in ar.shared[sign] for p in ar.places[c]) else sign
