"""Lookups on the seed articles (and one upload): figures with sources, entities, passages, honest none."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.answering.answers import Answerer
from bot.reading.ingest import Ingestor
from bot.store.db import session_scope
from bot.store.models import Article
from tests.conftest import RULES, UPLOAD
from tests.docs_factory import ARTICLE_LINES, pdf_bytes

pytestmark = pytest.mark.both_backends  # and on PostgreSQL when one is reachable


@pytest.fixture(scope="module")
def answerer(seeded) -> Answerer:  # type: ignore[no-untyped-def]
    return Answerer(seeded, RULES)


def values(answer, n: int = 3) -> list[tuple[float, str | None]]:  # type: ignore[no-untyped-def]
    return [(f.value, f.unit) for f in answer.figures[:n]]


def test_capex_finds_the_investment_plan_with_its_sources(answerer: Answerer) -> None:
    answer = answerer.ask("capex")
    assert answer.kind == "figure"
    lead = answer.claims[0]
    assert (lead.lead.value, lead.lead.unit) == (380e9, "CNY")
    assert len(lead.articles) == 4  # one claim, four sources
    assert {c.text for f in lead.figures for c in f.conversions} == {"$53 billion", "$52.4 billion"}
    assert any("convert it differently" in n for n in answer.notes)
    assert "380 billion yuan" in answer.text and "three years" in answer.text


@pytest.mark.parametrize(
    ("query", "value", "unit"),
    [
        ("capital expenditure", 380e9, "CNY"),
        ("how much is alibaba investing in infrastructure", 380e9, "CNY"),
        ("capx", 380e9, "CNY"),  # typo
        ("staff", 200_000, "employees"),  # the user's word, not the article's
        ("headcount", 200_000, "employees"),
        ("emplyees", 200_000, "employees"),
        ("qwen downloads", 400e6, "downloads"),
        ("Tongyi Qianwen downloads", 400e6, "downloads"),  # alias of Qwen
        ("AI chip budget", 39e9, "CNY"),
        ("Amazon investment", 100e9, "USD"),
        ("Microsoft investment", 80e9, "USD"),
        ("QwQ-32B parameters", 32e9, "parameters"),
        ("cloud revenue", 31.742e9, "CNY"),
        ("taotian revenue", 136.091e9, "CNY"),
        ("ByteDance AI chip investment", 12e9, "USD"),
        ("DeepSeek R1 parameters", 671e9, "parameters"),
    ],
)
def test_paraphrases_find_the_figure_first(answerer: Answerer, query: str, value: float, unit: str) -> None:
    answer = answerer.ask(query)
    assert answer.kind == "figure", answer.text
    assert (answer.figures[0].value, answer.figures[0].unit) == (pytest.approx(value), unit), answer.text


def test_share_price_answers_with_the_price_or_its_change_newest_first(answerer: Answerer) -> None:
    answer = answerer.ask("share price")
    assert answer.kind == "figure"
    # the price, its rises, and the half of its market value it lost over 2020-2022
    allowed = {(140.9, "HKD"), (90.0, "%"), (70.0, "%"), (-50.0, "%")}
    assert {(f.value, f.unit) for f in answer.figures[:3]} <= allowed
    changes = [c.lead.value for c in answer.timeline]
    assert changes in ([], [90.0, 70.0])  # newest first by the date each change runs to


def test_a_growing_count_is_a_timeline_newest_first(answerer: Answerer) -> None:
    answer = answerer.ask("derivative models")
    assert [c.lead.value for c in answer.timeline] == [140_000, 100_000, 90_000]
    assert values(answer) == [(140_000, "derived models"), (100_000, "derivative models"), (90_000, "derivatives")]
    assert any(n.startswith("Changed over time") for n in answer.notes)


def test_entity_by_name_and_by_alias(answerer: Answerer) -> None:
    for query in ("Eddie Wu", "Wu Yongming", "who is eddie wu", "Edie Wu"):
        answer = answerer.ask(query)
        assert answer.kind == "entity" and answer.entity is not None
        assert answer.entity.name == "Eddie Wu" and "Wu Yongming" in answer.entity.aliases
        assert answer.entity.type == "person"
        assert "CEO" in answer.text or "Chief executive" in answer.text
        assert answer.entity.mention_count >= 10
        assert any(c.lead.value == 380e9 for c in answer.claims)  # the plan he announced


def test_entity_for_a_model_and_its_chinese_name(answerer: Answerer) -> None:
    assert answerer.ask("Tongyi Qianwen").entity.name == "Qwen"  # type: ignore[union-attr]
    assert answerer.ask("通义千问").entity.name == "Qwen"  # type: ignore[union-attr]


def test_unknown_things_get_none_and_no_figure(answerer: Answerer) -> None:
    for query in ("Tesla deliveries", "tesla deliveries", "Nvidia Blackwell shipments"):
        answer = answerer.ask(query)
        assert answer.kind == "none", answer.text
        assert answer.figures == [] and "found nothing" in answer.text


def test_known_name_with_an_unknown_topic_gives_the_card_and_says_so(answerer: Answerer) -> None:
    answer = answerer.ask("Eddie Wu salary")
    assert answer.kind == "entity" and "Nothing in the articles" in answer.text


def test_passages_when_no_figure_fits(answerer: Answerer) -> None:
    answer = answerer.ask("open source strategy")
    assert answer.kind == "passages"
    assert "open-source strategy" in answer.passages[0].sentence


def test_help(answerer: Answerer) -> None:
    for query in ("", "help", "  "):
        answer = answerer.ask(query)
        assert answer.kind == "help" and "/alibaba capex" in answer.text


STRANGE = [
    '"',
    '""',
    'capex"',
    "*",
    "capex*",
    "NEAR(capex revenue)",
    "capex AND OR NOT",
    "(((",
    ")",
    "NOT",
    "revenue OR 1=1",
    "'; DROP TABLE articles; --",
    "🚀🚀🚀",
    "阿里巴巴 资本开支",
    "^capex",
    "col:capex",
    "a" * 5000,
    "\x00\x07",
    "-capex",
    "capex + revenue",
    "{capex}",
    "capex; SELECT * FROM figures",
]


@pytest.mark.parametrize("query", STRANGE)
def test_strange_queries_are_safe(answerer: Answerer, seeded, query: str) -> None:  # type: ignore[no-untyped-def]
    answer = answerer.ask(query)
    assert answer.kind in {"figure", "entity", "passages", "none", "help"}
    assert answer.text
    with session_scope(seeded.database_url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 4


def test_upload_adds_newer_figures_which_come_first(seeded_copy) -> None:  # type: ignore[no-untyped-def]
    Ingestor(seeded_copy, RULES).ingest_paths([UPLOAD], progress=False)
    answerer = Answerer(seeded_copy, RULES)
    revenue = answerer.ask("cloud revenue")
    assert (revenue.figures[0].value, revenue.figures[0].unit) == (33.4e9, "CNY")
    assert [c.lead.value for c in revenue.timeline] == [33.4e9, 31.742e9]
    quarterly = answerer.ask("quarterly capex")
    assert quarterly.figures[0].value == 38.7e9
    capex = answerer.ask("capex")
    assert len(capex.claims[0].articles) == 5  # the three-year plan, now from five sources


def test_a_new_person_in_a_new_article_is_answerable(seeded_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "chief.pdf"
    path.write_bytes(pdf_bytes(ARTICLE_LINES))
    Ingestor(seeded_copy, RULES).ingest_paths([path], progress=False)
    answer = Answerer(seeded_copy, RULES).ask("Lin Haoran")
    assert answer.kind == "entity" and answer.entity is not None
    assert answer.entity.name == "Lin Haoran" and answer.entity.type == "person"
    assert "president of Alibaba Cloud" in answer.text
    assert any(c.lead.value == 12_000 for c in answer.claims)


def test_a_year_the_articles_never_mention_is_not_answered_with_other_years(answerer: Answerer) -> None:
    assert answerer.ask("cloud revenue 2030").kind == "none"
    answer = answerer.ask("AI chip budget 2025")  # a year the articles do mention narrows the search
    assert answer.kind == "figure" and answer.figures[0].value == 39e9


def test_no_more_answers_are_computed_at_once_than_the_setting_allows(seeded) -> None:  # type: ignore[no-untyped-def]
    """Fifty questions at once take turns, a few at a time, so that the threads acknowledging Slack's requests are
    not left waiting behind them all; every question is still answered."""
    import dataclasses
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    answerer = Answerer(dataclasses.replace(seeded, answers_at_once=2), RULES)
    inside, most, guard = 0, 0, threading.Lock()
    answer = answerer._answer

    def counted(session, query):  # type: ignore[no-untyped-def]
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.02)  # long enough that the twelve threads overlap on any machine
            return answer(session, query)
        finally:
            with guard:
                inside -= 1

    answerer._answer = counted  # type: ignore[method-assign]
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(answerer.ask, ["capex", "Eddie Wu", "qwen downloads", "cloud growth"] * 6))
    assert len(answers) == 24 and all(a.kind != "help" for a in answers)
    assert most == 2
