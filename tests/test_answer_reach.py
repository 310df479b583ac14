"""Answers reach figures asked for in the articles' own words: a keyword naming what a figure measures asks for
that figure, and a company found under its bare name is the company already known under its legal name. Articles
written for these tests (fictional companies)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.answering import Answerer
from bot.rules import CatalogEntry
from tests.conftest import RULES, answerer_over, make_settings

RESULTS = """Tarnwell posts higher profit and plans a buyback
April 2, 2026

Tarnwell Systems said on Thursday that its board approved share buybacks of up to $3 billion through 2028.
Halden Group, its largest rival, grew cloud revenue 21% to $4.4 billion in the three months to December 31.
Halden's chief executive said demand was strong.
Tarnwell's revenue rose to €2.6 billion in 2025, the company said, and Tarnwell expects more revenue this year.
Tarnwell's chief executive, Ana Frost, spoke to investors in Madrid.
Frost did not back down. "Quantum chips are where we put everything," she told them, predicting a first product
in two years.
"""
EARLIER = """Tarnwell closes its year
March 3, 2025

Tarnwell Systems said its revenue was €2.0 billion ($2.2 billion) in 2024.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    articles = {"tarnwell_2026-04-02.txt": RESULTS, "tarnwell_2025-03-03.txt": EARLIER}
    tarnwell = (CatalogEntry("Tarnwell Systems", "company", ("Tarnwell",), focus=True),)
    return answerer_over(tmp_path_factory.mktemp("reach"), articles, tarnwell)


def _lead(answer):  # type: ignore[no-untyped-def]
    return (answer.claims[0].lead.value, answer.claims[0].lead.unit) if answer.claims else None


def test_a_keyword_naming_what_a_figure_measures_asks_for_it(answerer: Answerer) -> None:
    answer = answerer.ask("tarnwell buyback")
    assert answer.kind == "figure" and _lead(answer) == (3e9, "USD"), answer


def test_a_bare_company_name_is_the_company_known_under_its_legal_name(answerer: Answerer) -> None:
    answer = answerer.ask("halden cloud revenue")
    assert answer.kind == "figure" and _lead(answer) == (4.4e9, "USD"), answer


def test_a_company_name_followed_by_a_name_of_its_own_is_a_part_not_the_company() -> None:
    from bot.reading.entities import find_mentions
    from bot.reading.nlp import get_nlp

    company = dataclasses.replace(RULES, catalog=(CatalogEntry("Tarnwell Systems", "company", ("Tarnwell",)),))
    nlp = get_nlp(make_settings(Path("unused.db")).spacy_model, company)
    text = (
        "Tarnwell Chief Executive Ana Ruiz said the Tarnwell Cloud crossed $5 billion in sales, "
        "and Tarnwell Corp. would invest more."
    )
    names = [(m.name, m.from_catalog) for m in find_mentions(nlp(text), company)]
    assert ("Tarnwell Cloud", False) in names
    assert names.count(("Tarnwell Systems", True)) == 2  # a title and a legal suffix are no part


def test_a_speaker_named_by_one_part_of_their_name_and_a_quote_after_their_last_name(answerer: Answerer) -> None:
    answer = answerer.ask("what did frost say about quantum chips")
    assert (answer.lead or "").startswith("What Ana Frost said"), answer.lead
    assert any("put everything" in p.sentence for p in answer.passages), answer


def test_an_amount_in_the_currency_asked_for_leads_a_newer_one_that_would_need_converting(answerer: Answerer) -> None:
    answer = answerer.ask("tarnwell revenue in dollars")
    assert _lead(answer) == (2.2e9, "USD"), answer


def test_in_currency_puts_the_amounts_in_that_currency_first() -> None:
    from datetime import date

    from bot.answering.figure_select import in_currency
    from bot.answering.model import ArticleRef, FigureHit

    ref = ArticleRef(1, "t", date(2026, 1, 1), None, None, date(2026, 1, 1))

    def hit(i: int, value: float, unit: str, score: float, conversions=()) -> FigureHit:  # type: ignore[no-untyped-def]
        return FigureHit(
            i, "money", value, unit, f"{value}", None, None, None, "s", ref, None, score, list(conversions)
        )

    newer = hit(1, 2.6e9, "EUR", 13.0)
    older = hit(2, 2.0e9, "EUR", 12.0, [hit(3, 2.2e9, "USD", 0.0)])
    ranked = in_currency([newer, older], "USD")
    assert (ranked[0].value, ranked[0].unit) == (2.2e9, "USD") and ranked[0].score > newer.score


def test_capitalised_words_before_a_unit_noun_name_that_unit(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    from bot.reading.entities import find_mentions

    text = (
        "The company reported results on Tuesday. The Core Platforms segment, which houses the drone fleet, posted "
        "revenue of 4 billion yuan."
    )
    names = [m.name for m in find_mentions(nlp(text), rules)]
    assert "Core Platforms" in names, names
    # A heading is not read for names; a lowercase unit noun after a sentence's first word is no name.
    assert "Segment" not in " ".join(m.name for m in find_mentions(nlp("The segment grew fast."), rules))
