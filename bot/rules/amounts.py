"""The amount reader's word table: currencies, scales, percent marks and number words, from `figure_rules.yml`
and `currencies.yml`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# Every currency in use, with its English names and signs, from the Unicode CLDR (made by scripts/make_currencies.py)
CLDR_CURRENCIES = Path(__file__).resolve().parent / "data" / "cldr_currencies.json"


@dataclass(frozen=True)
class Lexeme:
    """One word or mark the amount reader knows: a currency, a scale, a percent mark or a number word."""

    kind: str  # currency, minor, scale, percent, number, fraction
    unit: str | None = None  # ISO 4217 code for currency and minor, "%" or "pp" for percent
    factor: float = 1.0  # scale multiplier, number word value, 1/per for a minor unit, 0.01 for basis points
    where: str = "any"  # any | after (only after the number) | glued (only touching the number)
    word: bool = False  # a currency said in words ("dollars"), not a symbol or code


@dataclass(frozen=True, eq=False)
class AmountRules:
    exact: dict[str, Lexeme]  # forms matched as written
    folded: dict[str, Lexeme]  # forms matched in any case, keyed lower-cased
    one_words: frozenset[str]
    list_joiners: frozenset[str]
    reference_words: frozenset[str]
    not_counted: frozenset[str]
    year_words: frozenset[str]
    not_dollar_prefixes: frozenset[str]
    minor_of: dict[str, frozenset[str]]  # currency code -> names of its minor unit
    shared: dict[str, tuple[str, ...]]  # a sign several currencies write ("¥") -> their codes
    places: dict[str, tuple[str, ...]]  # such a currency's code -> the places it is the money of ("Japan", "Japanese")
    whole: frozenset[str]  # codes of currencies without a minor unit (JPY, IDR): "¥1.200" is twelve hundred
    reporting: str = ""  # the followed company's currency: a shared name alone ("crowns") is it when it can be


def lexeme_key(text: str) -> str:
    """How a written form is looked up: single spaces, no space or dots before "$" ("HK $" is "HK$")."""
    key = re.sub(r"(?<=[A-Za-z.]) \$", "$", re.sub(r"\s+", " ", text.strip()))
    dollar = re.fullmatch(r"([A-Za-z.]+)\$(.*)", key)
    return f"{dollar[1].replace('.', '')}${dollar[2]}" if dollar else key  # "U.S.$" is "US$"


def load_amount_rules(fig: dict[str, Any], cur: dict[str, Any], reporting: str = "") -> AmountRules:
    """Builds the amount reader's word table from figure_rules.yml and currencies.yml; a sign several currencies
    share is the `reporting` currency when it is one of them (the followed company's), else the first listed; a
    sentence that names one of their places says which (`bot.reading.amount_grammar`).

    >>> shared = {"currencies": {"CNY": {}, "JPY": {}}, "shared_symbols": {"¥": ["CNY", "JPY"]}}
    >>> words = {k: {} for k in ("scales", "scale_letters", "number_words", "fraction_words", "percent_marks")}
    >>> fig = {**words, "list_joiners": []}
    >>> load_amount_rules(fig, shared).folded["¥"].unit, load_amount_rules(fig, shared, "JPY").folded["¥"].unit
    ('CNY', 'JPY')
    """
    exact: dict[str, Lexeme] = {}
    folded: dict[str, Lexeme] = {}

    def add(form: str, lexeme: Lexeme, *, case: bool = False, first_wins: bool = False) -> None:
        table, key = (exact, lexeme_key(form)) if case else (folded, lexeme_key(form).lower())
        if key in table and table[key] != lexeme:
            if first_wins:
                return
            raise ValueError(f"currencies.yml/figure_rules.yml: {form!r} means both {table[key]} and {lexeme}")
        table[key] = lexeme

    minor_of: dict[str, frozenset[str]] = {}
    word_codes = {str(c) for c in cur.get("word_codes", [])}
    for code, c in cur["currencies"].items():
        code = str(code)
        money = Lexeme("currency", code)
        add(code, Lexeme("currency", code, where="after") if code in word_codes else money, case=True)
        if c.get("lowercase", True):
            add(code.lower(), money)
        for letter, factor in cur.get("code_scales", {}).items():
            add(f"{letter}{code}", Lexeme("currency", code, float(factor)), case=True)
        for symbol in c.get("symbols", []):
            add(str(symbol), money)
        name = c.get("name")
        if name:
            plural = str(c.get("plural", f"{name}s"))
            named, named_after = Lexeme("currency", code, word=True), Lexeme("currency", code, where="after", word=True)
            for adjective in c.get("adjectives", []):
                add(f"{adjective} {name}", named)
                if plural != name:
                    add(f"{adjective} {plural}", named_after)
            bare = c.get("bare")
            if bare:  # `bare: after`: the name alone is this currency only after the number ("9,000 won")
                add(str(name), named_after if bare == "after" else named)
                if plural != name:
                    add(plural, named_after)
        for other in c.get("also", []):
            add(str(other), Lexeme("currency", code, word=True))
        minor = c.get("minor")
        if minor:
            per = float(minor["per"])
            names = {str(minor["name"]), str(minor.get("plural", f"{minor['name']}s"))}
            minor_of[code] = frozenset(n.lower() for n in names)
            for n in names:
                add(n, Lexeme("minor", code, 1 / per, where="after", word=True), first_wins=True)
    shared: dict[str, tuple[str, ...]] = {}
    for symbol, codes in (cur.get("shared_symbols") or {}).items():
        codes = [str(c) for c in codes]
        add(str(symbol), Lexeme("currency", reporting if reporting in codes else codes[0]))
        shared[str(symbol)] = tuple(codes)
    for name, codes in (cur.get("shared_names") or {}).items():  # "4.2 billion crowns": only after a number
        codes = [str(c) for c in codes]
        code = reporting if reporting in codes else codes[0]
        add(str(name), Lexeme("currency", code, where="after", word=True))
        shared[str(name)] = tuple(codes)
    places = {code: tuple(_cldr_currencies().get(code, {}).get("places", [])) for c in shared.values() for code in c}
    for name, codes in (cur.get("shared_names") or {}).items():  # "9 billion Norwegian crowns": the place says which
        for code in codes:
            for place in places[str(code)]:
                if place.isalpha():
                    add(f"{place} {name}", Lexeme("currency", str(code), where="after", word=True), first_wins=True)
    for code, c in _cldr_currencies().items():
        # what currencies.yml says of a form stands; CLDR adds every other code, name and sign
        add(code, Lexeme("currency", code, where="after" if code in word_codes else "any"), case=True, first_wins=True)
        for symbol in c["symbols"]:
            add(symbol, Lexeme("currency", code), first_wins=True)
        for name in c["names"]:
            add(name, Lexeme("currency", code, word=True), first_wins=True)
    for form, factor in fig["scales"].items():
        add(str(form), Lexeme("scale", factor=float(factor)))
    spaced = {str(s) for s in fig.get("spaced_scale_letters", [])}
    for form, factor in fig["scale_letters"].items():
        add(str(form), Lexeme("scale", factor=float(factor), where="any" if form in spaced else "glued"), case=True)
    for form, value in fig["number_words"].items():
        add(str(form), Lexeme("number", factor=float(value)))
    for form, value in fig["fraction_words"].items():
        add(str(form), Lexeme("fraction", factor=float(value)))
    for form, mark in fig["percent_marks"].items():
        lexeme = Lexeme("percent", str(mark["unit"]), float(mark.get("factor", 1.0)), where="after")
        add(str(form), lexeme, case=mark.get("case") == "exact")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in fig.get(key, []))

    return AmountRules(
        exact=exact,
        folded=folded,
        one_words=words("one_words"),
        list_joiners=frozenset(lexeme_key(str(w)).lower() for w in fig["list_joiners"]),
        reference_words=words("reference_words"),
        not_counted=words("not_counted"),
        year_words=words("year_words"),
        not_dollar_prefixes=frozenset(str(w).lower() for w in cur.get("not_dollar_prefixes", [])),
        minor_of=minor_of,
        shared=shared,
        places=places,
        whole=frozenset(code for code, c in _cldr_currencies().items() if c.get("whole")),
        reporting=reporting,
    )


@lru_cache(maxsize=1)
def _cldr_currencies() -> dict[str, dict[str, Any]]:  # code -> names, places, symbols, whole
    data: dict[str, dict[str, Any]] = json.loads(CLDR_CURRENCIES.read_text("utf-8"))
    return data
