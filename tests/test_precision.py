"""Precision first: a question naming a measure gets no figure of another kind, and "in dollars" picks the
conversion stored beside the original amount. Articles written for these tests (fictional companies)."""

from __future__ import annotations

import pytest

from bot.answering import Answerer
from bot.answering.figure_select import asked_currency
from bot.rules import CatalogEntry
from tests.conftest import RULES, answerer_over

WIND = """Corvane Energy doubles its wind capacity as it opens in new markets
March 12, 2026

Corvane Energy said on Thursday that its installed wind capacity reached 4.2 gigawatts at the end of 2025.
The company now operates in 14 cities across northern Europe.
Corvane plans to spend €1.8 billion ($1.95 billion) on new turbines over the next two years.
"""
CLINICS = """Peloria Health signs up hospitals as its app gains patients
May 20, 2026

Peloria Health reported revenue of £420 million ($530 million) for 2025, up 31% from the year before.
Its booking app has 6.5 million monthly active users, the company said.
Peloria works with 210 hospitals in Britain and Ireland.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    catalog = (
        CatalogEntry("Corvane Energy", "company", ("Corvane",), focus=True),
        CatalogEntry("Peloria Health", "company", ("Peloria",)),
    )
    articles = {"corvane_2026-03-12.txt": WIND, "peloria_2026-05-20.txt": CLINICS}
    return answerer_over(tmp_path_factory.mktemp("precision"), articles, catalog)


def _lead(answer):  # type: ignore[no-untyped-def]
    return (answer.claims[0].lead.value, answer.claims[0].lead.unit) if answer.claims else None


@pytest.mark.parametrize(
    ("query", "code", "rest"),
    [
        ("Peloria revenue in dollars", "USD", "Peloria revenue"),
        ("how much in Swiss francs did it raise", "CHF", "how much did it raise"),
        ("sales in EUR for 2025", "EUR", "sales for 2025"),
        ("revenue in pounds", "GBP", "revenue"),
        ("what is in the pipeline", None, "what is in the pipeline"),
    ],
)
def test_the_currency_a_question_asks_in(query: str, code: str | None, rest: str) -> None:
    found, words = asked_currency(query, RULES)
    assert found == code
    assert " ".join(words.split()) == rest


def test_a_count_is_no_answer_to_how_much_revenue(answerer: Answerer) -> None:
    answer = answerer.ask("how much revenue did Corvane make")
    assert not answer.claims


def test_money_is_no_answer_to_how_many(answerer: Answerer) -> None:
    assert _lead(answerer.ask("how many gigawatts of capacity does Corvane have")) == (4.2, "gigawatts")
    assert not answerer.ask("how many gigawatts of capacity does Peloria have").claims  # no count of hospitals
    assert _lead(answerer.ask("how many hospitals does Peloria work with")) == (210, "hospitals")


@pytest.mark.parametrize(
    ("query", "lead"),
    [
        ("Peloria revenue in dollars", (530e6, "USD")),
        ("Peloria revenue in pounds", (420e6, "GBP")),
        ("Peloria revenue", (420e6, "GBP")),
        ("how much does Corvane plan to spend in dollars", (1.95e9, "USD")),
        ("Corvane spending in euros", (1.8e9, "EUR")),
    ],
)
def test_in_dollars_leads_with_the_conversion(answerer: Answerer, query: str, lead: tuple[float, str]) -> None:
    answer = answerer.ask(query)
    assert answer.kind == "figure", answer.text
    assert _lead(answer) == (pytest.approx(lead[0]), lead[1])
