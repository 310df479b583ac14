"""The grammar that reads amounts off a sentence's text: money, percentages and counts as written, before
`bot.reading.amounts` decides which are figures.

The text is cut into tokens (numbers, the words and marks of `currencies.yml` and
`figure_rules.yml`, other words, punctuation), and amounts are read off them:

    amount   := [sign] [currency] number [scale...] [currency [scale...] | minor | percent]
    number   := digits (`bot.reading.number_forms`: "2,350.00", "1.299,00", "2'350", "1 414 021", ".85")
              | number words (`bot.reading.number_words`: "forty-five", "five and a half", "two point nine")

Ranges and lists ("from 5 to 7 per cent") are read in `bot.reading.amount_lists`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Token

from bot.reading.number_forms import (
    NUMBER,
    needs_unit,
    not_amounts,
    number_value,
    sign_start,
    thousands_after_sign,
)
from bot.reading.number_words import WordNumber, read_words
from bot.reading.shared_currency import settle_shared
from bot.rules import AmountRules, Lexeme, lexeme_key

_NUM = NUMBER


# ---------------------------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, lex, word, other
    text: str
    start: int  # offsets in the sentence text
    end: int
    lexeme: Lexeme | None = None
    glued: bool = False  # touches the token before it

    def is_lex(self, *kinds: str) -> bool:
        return self.lexeme is not None and self.lexeme.kind in kinds


def _form_pattern(form: str, folded: bool, no_space: frozenset[str]) -> str:
    """One known form as a regex: spaces stretch, a space may stand before "$" ("HK $"), names end at a word edge."""
    dollar = re.fullmatch(r"([A-Za-z.]+)\$(.*)", form)
    if dollar:
        letters, rest = dollar.groups()
        gap = "" if letters.lower().replace(".", "") in no_space else r"\s?"
        # dots in the letters may be left out: "U.S$", "US$"
        body = re.escape(letters).replace(r"\.", r"\.?") + gap + r"\$" + re.escape(rest)
    else:
        body = re.escape(form).replace(r"\ ", r"\s+")
    if folded:
        body = f"(?i:{body})"
    left = r"(?<![^\W\d_'’])" if form[0].isalpha() else ""  # not the "s" of "music's $5"
    right = r"(?![^\W\d_])" if form[-1].isalpha() else ""
    return left + body + right


@lru_cache(maxsize=4)
def _lexer(ar: AmountRules) -> re.Pattern[str]:
    forms = [(f, False) for f in ar.exact] + [(f, True) for f in ar.folded]
    forms.sort(key=lambda fc: len(fc[0]), reverse=True)
    # grouped by first character, so each position tries only the forms that can start there
    groups: dict[str, list[str]] = {}
    for form, folded in forms:
        groups.setdefault(form[0].lower(), []).append(_form_pattern(form, folded, ar.not_dollar_prefixes))
    lex = "|".join(f"(?=(?i:{re.escape(first)}))(?:{'|'.join(alts)})" for first, alts in sorted(groups.items()))
    return re.compile(rf"(?P<num>{_NUM})|(?P<lex>{lex})|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)?)|(?P<other>\S)")


_WORDS_IN_AMOUNTS = ("number", "fraction", "scale")


@lru_cache(maxsize=4)
def _may_hold_amount(ar: AmountRules) -> re.Pattern[str]:
    """Digits, or a number, fraction or scale word where the lexer would read one. An amount starts at digits or
    at a number or fraction word, and one said in words alone needs a scale ("a million"): a sentence with none
    of them holds no amount and is not lexed."""
    forms = [(f, False) for f, x in ar.exact.items() if x.kind in _WORDS_IN_AMOUNTS]
    forms += [(f, True) for f, x in ar.folded.items() if x.kind in _WORDS_IN_AMOUNTS]
    # Words (most forms) share their edges: one look behind and ahead for all of them, as `_form_pattern` puts them.
    words = [f"(?i:{re.escape(f)})" if folded else re.escape(f) for f, folded in forms if f.isalpha()]
    others = [_form_pattern(f, folded, ar.not_dollar_prefixes) for f, folded in forms if not f.isalpha()]
    edged = rf"(?<![^\W\d_'’])(?:{'|'.join(words)})(?![^\W\d_])" if words else ""
    return re.compile("|".join([r"\d", *([edged] if edged else []), *others]))


_TOKENS_SEEN: dict[tuple[int, str], list[_Tok]] = {}


def _tokens(text: str, ar: AmountRules) -> list[_Tok]:
    """The sentence's tokens, kept for the last few sentences: reading a sentence's figures and then its amounts'
    spans lexes it twice otherwise (a fifth of an article's analysis). Tokens are frozen; callers only read the
    list."""
    key = (id(ar), text)
    cached = _TOKENS_SEEN.get(key)
    if cached is None:
        if len(_TOKENS_SEEN) >= 64:
            _TOKENS_SEEN.clear()
        cached = _TOKENS_SEEN[key] = _lex(text, ar)
    return cached


def _lex(text: str, ar: AmountRules) -> list[_Tok]:
    tokens: list[_Tok] = []
    masked = not_amounts(text) if re.search(r"[/@+(-]|\d\.\s", text) else []
    for m in _lexer(ar).finditer(text):
        if masked and any(s <= m.start() < e for s, e in masked):
            continue  # a link's, an address's or a timestamp's digits
        kind = m.lastgroup or "other"
        lexeme = None
        if kind == "lex":
            key = lexeme_key(m.group())
            lexeme = ar.exact.get(key) or ar.folded.get(key.lower())
            if lexeme is None:
                kind = "word"
        glued = bool(tokens) and tokens[-1].end == m.start()
        tokens.append(_Tok(kind, m.group(), m.start(), m.end(), lexeme, glued))
    return tokens


# ---------------------------------------------------------------------------------------------- grammar


@dataclass
class Amount:
    first: int  # token indexes, inclusive
    last: int
    start: int  # offsets in the sentence text
    end: int
    num_first: int  # token index where the number itself starts
    mantissa: float
    digits: str  # the number as written ("2,000"), empty when spelled out
    scale: float = 1.0
    scaled: bool = False
    currency: str | None = None
    minor: bool = False
    percent: str | None = None
    factor: float = 1.0
    noun: list[Token] = field(default_factory=list)
    noun_own: bool = False  # the noun follows this amount (not carried from a range partner)
    subject: bool = False  # the subject of its clause ("... and 32 is the quantity"): not a list member

    @property
    def value(self) -> float:
        return self.mantissa * self.scale * self.factor

    @property
    def bare(self) -> bool:
        return not (self.currency or self.percent or self.scaled)


def _spelled(toks: list[_Tok], i: int) -> tuple[WordNumber, int] | None:
    """A number in words from token i ("two", "forty-five", "two hundred and five", "half a", "five and a half"),
    read by `bot.reading.number_words`, and the index of the token after it; a scale at its end is left to the
    caller."""
    words: list[str] = []
    for t in toks[i : i + 24]:
        if t.text == "-" and t.glued and words:
            words.append("-")
        elif t.kind in ("lex", "word"):
            words.append(t.text.lower())
        else:
            break
    number = read_words(words)
    if number is None or (words[number.words - 1 : number.words] == ["-"]):
        return None
    return number, i + number.words


def _identifier(toks: list[_Tok], i: int) -> bool:
    """Digits that are part of a name, version, date or ratio: "Qwen2.5", "GPT-4", "2025Q3", "05/14", "16:10"."""
    t = toks[i]
    prev = toks[i - 1] if i > 0 else None
    prev2 = toks[i - 2] if i > 1 else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    nxt2 = toks[i + 2] if i + 2 < len(toks) else None
    if t.glued and prev is not None:
        if prev.kind == "word" or (prev.kind == "lex" and not prev.is_lex("currency")):
            return True
        if prev.text in "#№":
            return True
        if (
            prev.text == "-"
            and prev.glued
            and prev2 is not None
            and (
                (prev2.kind in ("word", "lex") and not prev2.is_lex("currency", "scale", "percent"))
                or (prev2.kind == "num" and _identifier(toks, i - 2))
            )
        ):
            return True  # "GPT-4", "COVID-19", "Qwen3-235B"
        if prev.text in "/:." and prev.glued and prev2 is not None and prev2.kind == "num":
            return True
    if nxt is not None and nxt.glued:
        if nxt.kind == "word" or nxt.text in "°′″":
            return True  # "3rd", "5G", "2025Q3", "40°C"
        if nxt.text in "/:." and nxt2 is not None and nxt2.glued and nxt2.kind == "num":
            return True
        if nxt.text == "-" and nxt2 is not None and nxt2.glued and nxt2.kind == "word":
            return True  # "5-year", "32-bit": a modifier, not an amount
    return False


def _gap_ok(text: str, a: _Tok, b: _Tok) -> bool:
    """Nothing but (at most a little) space between two tokens."""
    gap = text[a.end : b.start]
    return gap.strip() == "" and len(gap) <= 2


def _scale_here(toks: list[_Tok], k: int, text: str) -> Lexeme | None:
    if k >= len(toks) or not toks[k].is_lex("scale") or not _gap_ok(text, toks[k - 1], toks[k]):
        return None
    lexeme = toks[k].lexeme
    if lexeme is not None and lexeme.where == "glued" and not toks[k].glued:
        return None
    return lexeme


def _after_hyphen(toks: list[_Tok], k: int) -> int:
    """Skip a hyphen between a number and its unit: "one-yen", "10-billion", "a 10-percent rise"."""
    if (
        k + 1 < len(toks)
        and toks[k].text == "-"
        and toks[k].glued
        and toks[k + 1].glued
        and toks[k + 1].is_lex("currency", "scale", "minor", "percent")
        and len(toks[k + 1].text) > 2  # "10-K" is a form's name, "4-B" a seat's
    ):
        return k + 1
    return k


def _spaced_groups(toks: list[_Tok], i: int, text: str) -> int:
    """The index after a number whose groups of three are split by single spaces ("1 414 021"): two groups or more
    after the first, or one before a currency, scale or lower-case word ("10 000 dollars", "2 500 jobs"); else the
    index after token i."""
    run = i + 1
    while (
        run < len(toks)
        and toks[run].kind == "num"
        and re.fullmatch(r"\d{3}(?:[.,]\d{1,2})?", toks[run].text)  # the last may have cents: "1 290,00"
        and text[toks[run - 1].end : toks[run].start] in (" ", "\u00a0", "\u202f")
        and re.fullmatch(r"\d{1,3}", toks[run - 1].text)
    ):
        run += 1
    unit_after = run < len(toks) and toks[run].is_lex("currency", "scale") and _gap_ok(text, toks[run - 1], toks[run])
    return run if run - i > 2 or (run - i == 2 and (unit_after or _word_after(toks, run))) else i + 1


def _word_after(toks: list[_Tok], k: int) -> bool:
    """A word follows (the counted noun, "2 500 jobs"), not a number or a mark."""
    return k < len(toks) and toks[k].kind in ("word", "lex") and toks[k].text[:1].islower()


def _amount_at(toks: list[_Tok], i: int, text: str, ar: AmountRules, used: set[int]) -> Amount | None:
    t = toks[i]
    big = False
    if t.kind == "num":
        if _identifier(toks, i):
            return None
        digits = t.text
        k = _spaced_groups(toks, i, text)
        if k > i + 1:
            digits = text[t.start : toks[k - 1].end]
        mantissa = number_value(digits)
    else:
        spelled = _spelled(toks, i)
        if spelled is None:
            return None
        number, k = spelled
        mantissa, digits, big = number.value, "", number.big
    amt = Amount(first=i, last=k - 1, start=t.start, end=toks[k - 1].end, num_first=i, mantissa=mantissa, digits=digits)
    amt.scaled = big  # "one thousand two hundred"

    def scales(k: int) -> int:
        while (lexeme := _scale_here(toks, k, text)) is not None:
            amt.scale *= lexeme.factor
            amt.scaled = True
            k += 1
        return k

    k = scales(_after_hyphen(toks, k) if k < len(toks) and toks[k].text == "-" else k)
    # a currency before the number: "$5", "USD 5", "HK $5", "AUD1.5m", "MAUD 60", "dollar 22.5 million"
    p = i - 1
    before = toks[p].lexeme if p >= 0 and p not in used and _gap_ok(text, toks[p], t) else None
    dollar = False  # a bare "$", which a code after the number overrides: "$12 million CAD"
    if before is not None and before.kind == "currency" and before.where != "after" and (not before.word or amt.scaled):
        amt.currency, amt.first, amt.start = before.unit, p, toks[p].start
        dollar = toks[p].text == "$"
        if before.factor != 1.0:
            amt.scale *= before.factor
            amt.scaled = True
    # after the number: a currency (and a scale after it: "75 USD million"), a minor unit, or a percent mark
    q = _after_hyphen(toks, k) if k < len(toks) else k
    after = toks[q].lexeme if q < len(toks) and _gap_ok(text, toks[q - 1], toks[q]) else None
    if after is None:
        pass
    elif after.kind == "currency" and (amt.currency in (None, after.unit) or dollar) and not _leads(toks, q, text):
        if amt.currency is None and not after.word and not amt.scaled and (grouped := thousands_after_sign(digits)):
            amt.mantissa = grouped  # "1.499 €"
        amt.currency = after.unit
        if after.factor != 1.0:
            amt.scale *= after.factor
            amt.scaled = True
        k = scales(q + 1)
        k = _minor_part(toks, k, text, amt, ar, after)
    elif after.kind == "minor" and amt.currency is None and not amt.scaled:
        amt.currency, amt.factor, amt.minor = after.unit, after.factor, True
        k = q + 1
    elif after.kind == "percent" and amt.currency is None:
        amt.percent, amt.factor = after.unit, after.factor
        k = q + 1
    amt.last = k - 1
    amt.end = toks[k - 1].end
    if (
        not (amt.currency or amt.percent)
        and k + 1 < len(toks)
        and toks[k].text == "-"
        and toks[k].glued
        and toks[k + 1].glued
        and (toks[k + 1].kind == "word" or toks[k + 1].is_lex("scale"))
    ):
        return None  # "235B-A22B", "10-K": a name's part
    if (sign := sign_start(text, amt.start)) is not None and amt.first > 0 and toks[amt.first - 1].start == sign:
        amt.mantissa, amt.start, amt.first = -amt.mantissa, sign, amt.first - 1  # "minus five percent", "-4.5%"
    if digits and needs_unit(digits) and not (amt.currency or amt.percent):
        return None  # "4,5" and "1.2.3" are a list and a version without a currency or percent mark
    if not digits and not (amt.currency or amt.percent or amt.scaled) and amt.mantissa < 10:
        return None  # "three companies": small numbers in words (the ones style guides spell out) are no amount
    return amt


def _leads(toks: list[_Tok], q: int, text: str) -> bool:
    """A symbol or code right before another number is that number's, not the one before: "$5 $7", "3 USD50"."""
    lexeme = toks[q].lexeme
    return (
        lexeme is not None
        and not lexeme.word
        and q + 1 < len(toks)
        and toks[q + 1].kind == "num"
        and _gap_ok(text, toks[q], toks[q + 1])
    )


def _minor_part(toks: list[_Tok], k: int, text: str, amt: Amount, ar: AmountRules, major: Lexeme) -> int:
    """ "thirteen dollars forty-five cents", "3 dollars 50 cents": the minor part added to the major one."""
    minor_names = ar.minor_of.get(amt.currency or "")
    if not major.word or amt.scaled or not minor_names or amt.mantissa != int(amt.mantissa) or k >= len(toks):
        return k
    start = k
    if toks[k].text.lower() == "and" and k + 1 < len(toks):
        k += 1  # "5 dollars and 50 cents"
    t = toks[k]
    if t.kind == "num" and re.fullmatch(r"\d{1,2}", t.text):
        value, after = float(t.text), k + 1
    elif t.is_lex("number"):
        spelled = _spelled(toks, k)
        if spelled is None:
            return k
        value, after = spelled[0].value, spelled[1]
    else:
        return start
    if value >= 100 or not _gap_ok(text, toks[k - 1], t):
        return start
    if after < len(toks) and toks[after].is_lex("minor") and toks[after].text.lower() in minor_names:
        amt.mantissa += value / 100
        return after + 1
    if t.kind != "num" and k == start and (after >= len(toks) or toks[after].kind == "other"):
        amt.mantissa += value / 100  # "thirteen dollars forty five"
        return after
    return start


def _may_start(t: _Tok, ar: AmountRules) -> bool:
    """Whether an amount can start at this token: digits, a number or fraction word, or a word that stands for
    one before a scale ("a million"). Any other token starts none (`_amount_at` would find none there)."""
    return t.kind == "num" or t.is_lex("number", "fraction") or (t.kind == "word" and t.text.lower() in ar.one_words)


def parse(text: str, ar: AmountRules) -> list[Amount]:
    """The amounts in a sentence's text, fresh objects each call (callers fill them in)."""
    if _may_hold_amount(ar).search(text) is None:
        return []
    return _read_amounts(text, ar)


def _settle(found: list[Amount], text: str, ar: AmountRules) -> None:
    """What the currency says of its amount: a sign several currencies write is the one whose place the sentence
    names ("¥" near "Japan", "Japanese" or "Tokyo" is yen, near "China" yuan; with none or both named, the followed
    company's currency or the first listed); in a currency without a minor unit, a dot before three digits groups
    thousands ("Rp 250.000", "¥1.200 in Tokyo")."""
    for amt in found:
        if ar.shared:
            settle_shared(amt, found, text, ar)
        if amt.currency in ar.whole and not amt.scaled and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", amt.digits):
            amt.mantissa = float(amt.digits.replace(".", ""))


def _read_amounts(text: str, ar: AmountRules) -> list[Amount]:
    toks = _tokens(text, ar)
    found: list[Amount] = []
    used: set[int] = set()
    i = 0
    while i < len(toks):
        amt = _amount_at(toks, i, text, ar, used) if _may_start(toks[i], ar) else None
        if amt is None:
            i += 1
            continue
        found.append(amt)
        used.update(range(amt.first, amt.last + 1))
        i = amt.last + 1
    _settle(found, text, ar)
    return found
