"""The currency vocabulary from the Unicode CLDR: every code in use, its English names and its own signs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from bot.reading.amount_grammar import parse

ROOT = Path(__file__).resolve().parent.parent

CASES = [
    ("The co-op paid 5,000 Ugandan shillings per bag.", 5000, "UGX"),
    ("Fees rose to 80 Georgian laris.", 80, "GEL"),
    ("The grant was JMD 2 million.", 2e6, "JMD"),
    ("The toll is ₴25.", 25, "UAH"),
    ("A ticket costs 49 zł.", 49, "PLN"),
    ("A room is 120 Czech korunas.", 120, "CZK"),
    ("Rooms start at TTD$400.", 400, "TTD"),
    ("Bonds raised 3 billion Kazakhstani tenges.", 3e9, "KZT"),
    ("The bill was 9,000 won.", 9000, "KRW"),
]


@pytest.mark.parametrize(("sentence", "value", "unit"), CASES, ids=[c[0][:40] for c in CASES])
def test_any_currency_in_use_is_read_by_code_name_or_sign(sentence: str, value: float, unit: str, rules) -> None:  # type: ignore[no-untyped-def]
    (amount,) = parse(sentence, rules.amounts)
    assert (amount.value, amount.currency) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "sentence",
    [
        "The team won 5 million fans.",  # "won" before a number is the verb
        "TOP 10 picks for the weekend.",  # a code that is a word is no code before the number
        "ALL 3 winners were local.",
        "The site moved to PHP 8 last year.",
    ],
)
def test_a_currency_word_that_is_also_a_word_is_money_only_after_the_number(sentence: str, rules) -> None:  # type: ignore[no-untyped-def]
    assert [a.currency for a in parse(sentence, rules.amounts)] == [None]


@pytest.mark.skipif(importlib.util.find_spec("babel") is None, reason="Babel (the `currencies` extra) is not installed")
def test_the_currency_file_is_what_the_script_makes() -> None:
    proc = subprocess.run([sys.executable, "scripts/make_currencies.py", "--check"], cwd=ROOT)
    assert proc.returncode == 0, "bot/rules/data/cldr_currencies.json is stale: run scripts/make_currencies.py"
