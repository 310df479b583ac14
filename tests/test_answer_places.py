"""What a question asks of a figure beyond its words: a figure confined to a place is that place's part of the
whole ("employs 9,000 people in Spain" answers a question about Spain, not one about the whole company); a metric
named outright is answered in its own kind (a margin in percent), by the figure that says when it held. Articles
written for these tests (fictional company)."""

from __future__ import annotations

import pytest

from bot.answering import Answerer
from bot.rules import CatalogEntry
from tests.conftest import answerer_over

ARTICLE = """Tarnwell grows its Spanish site
May 5, 2026

Tarnwell Systems employs about 9,000 people in Spain, its largest site outside Germany.
Tarnwell had 41,000 employees at the end of March, the company said.
In April Tarnwell paid €40 million for a 15% stake in Velora Labs, a robotics start-up in Valencia.
By June Tarnwell had booked a gain of €85 million on its Velora Labs holding.
In the three months to March 31, operating profit rose to €120 million, and the operating margin widened to 14.5%
from 8.1%.
Tarnwell's shares rose 4% to €38.50 on the day, and have gained 22% so far this year.
A private placement in February had valued Tarnwell at €2.9 billion.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    tarnwell = (CatalogEntry("Tarnwell Systems", "company", ("Tarnwell",), focus=True),)
    return answerer_over(tmp_path_factory.mktemp("places"), {"tarnwell_2026-05-05.txt": ARTICLE}, tarnwell)


def _lead(answer):  # type: ignore[no-untyped-def]
    return answer.claims[0].lead.value if answer.claims else None


def test_a_place_in_the_question_narrows_it_and_is_not_its_subject(answerer: Answerer) -> None:
    answer = answerer.ask("how many people does tarnwell employ in spain")
    assert answer.kind == "figure" and _lead(answer) == 9000, answer


def test_a_places_figure_does_not_answer_for_the_whole_company(answerer: Answerer) -> None:
    answer = answerer.ask("how many employees does tarnwell have")
    assert answer.kind == "figure" and _lead(answer) == 41000, answer


def test_a_possessor_in_the_question_is_whose_figure_is_asked(answerer: Answerer) -> None:
    answer = answerer.ask("how much did tarnwell's stake in velora labs cost")
    assert answer.kind == "figure" and _lead(answer) == 40e6, answer


def test_a_name_said_as_held_is_not_whose_figure_is_asked(answerer: Answerer) -> None:
    # the gain on a holding is its holder's: the company held is what it is on, not whose it is
    answer = answerer.ask("how much has tarnwell gained on velora labs")
    assert answer.kind == "figure" and _lead(answer) == 85e6, answer


def test_a_metric_named_outright_is_answered_in_its_own_kind_by_the_dated_figure(answerer: Answerer) -> None:
    answer = answerer.ask("tarnwell operating margin")
    assert answer.kind == "figure" and _lead(answer) == 14.5, answer


def test_a_price_asked_is_the_price_not_its_change(answerer: Answerer) -> None:
    assert _lead(answerer.ask("tarnwell share price")) == 38.5
    changed = answerer.ask("how has tarnwell's share price changed")
    assert changed.claims and changed.claims[0].lead.unit == "%", changed


def test_a_metric_asked_is_found_however_the_sentence_words_it(answerer: Answerer) -> None:
    answer = answerer.ask("tarnwell valuation")  # the sentence says "valued … at", never "valuation"
    assert answer.kind == "figure" and _lead(answer) == 2.9e9, answer
