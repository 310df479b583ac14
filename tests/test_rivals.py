"""Rivals kept apart and fiscal years named for their start: an article about several companies, each with its own
fiscal calendar, read and answered company by company."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from bot.answering import Answerer
from bot.answering.questions import asked_whose
from bot.reading.analysis import analyse
from bot.reading.ingest import Ingestor
from bot.reading.nlp import get_nlp
from bot.reading.period_model import FiscalCalendar
from bot.rules import CatalogEntry, FiscalRules, FiscalYear, Rules, load_rules
from bot.settings import Settings
from bot.store.db import migrate
from tests.conftest import RULES, make_settings

# Halvard's fiscal year starts April 1 and is named for that year; Ormond's ends June 30 and is named for that year.
ARTICLE = """Halvard outpaces Ormond as both chase office software buyers
December 3, 2025

Halvard Systems said on Wednesday that net sales for FY2025 Q2 rose 9% to 640 billion yen.

In FY2025 Q1, Halvard Systems booked net sales of 600 billion yen.

Ormond Labs reported FY2026 Q1 revenue of $8.4 billion, up 14% from a year earlier.
Ormond Labs spent $3.3 billion on capital expenditure in FY2026 Q1.

Halvard's Vela app has 21 million daily active users. Ormond's office app, Pinto, has 57 million daily active users.

Tarrow Software, a smaller competitor, did not comment.
"""
PUBLISHED = date(2025, 12, 3)


def _rules() -> Rules:
    catalog = (
        CatalogEntry("Halvard Systems", "company", ("Halvard",), focus=True),
        CatalogEntry("Ormond Labs", "company", ("Ormond",)),
        CatalogEntry("Vela", "product", ("Vela app",)),
        CatalogEntry("Pinto", "product", ("Pinto app",)),
    )
    halvard = FiscalYear(3, 31, 60, "start")
    ormond = FiscalYear(6, 30, 45, "end")
    fiscal = FiscalRules(
        FiscalYear(), {"Halvard Systems": halvard, "Vela": halvard, "Ormond Labs": ormond, "Pinto": ormond}
    )
    return dataclasses.replace(RULES, catalog=catalog, fiscal=fiscal)


@pytest.fixture(scope="module")
def rival_rules() -> Rules:
    return _rules()


def test_a_fiscal_year_named_for_its_start_or_its_end() -> None:
    start_named = FiscalCalendar(3, 31, named_for_start=True)
    assert start_named.year(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    assert start_named.quarter(2025, 1) == (date(2025, 4, 1), date(2025, 6, 30))
    assert start_named.quarter(2025, 4) == (date(2026, 1, 1), date(2026, 3, 31))
    assert start_named.year_of(date(2026, 2, 1)) == 2025
    end_named = FiscalCalendar(3, 31)
    assert end_named.quarter(2025, 1) == (date(2024, 4, 1), date(2024, 6, 30))
    assert end_named.year_of(date(2026, 2, 1)) == 2026
    july = FiscalCalendar(6, 30)
    assert july.quarter(2026, 2) == (date(2025, 10, 1), date(2025, 12, 31))
    # A calendar year is the same year whichever way it is named.
    assert FiscalCalendar(named_for_start=True).year(2025) == FiscalCalendar().year(2025)


def test_the_company_file_says_how_each_year_is_named(tmp_path: Path) -> None:
    (tmp_path / "company.yml").write_text(
        "name: Halvard Systems\nfiscal_year_end: '03-31'\nfiscal_year_named_for: start\ncurrency: JPY\n"
        "rivals:\n  - {name: Ormond Labs, fiscal_year_end: '06-30', currency: USD}\n",
        encoding="utf-8",
    )
    fiscal = load_rules(tmp_path).fiscal
    assert fiscal.by_name["Halvard Systems"].named_for == "start"
    assert fiscal.by_name["Ormond Labs"].named_for == "end"
    assert (fiscal.by_name["Ormond Labs"].end_month, fiscal.by_name["Ormond Labs"].end_day) == (6, 30)


def _records(rules: Rules, text: str) -> dict[str, tuple[str | None, date | None, date | None]]:
    nlp = get_nlp(Settings.from_env().spacy_model, rules)
    analysis = analyse(nlp(text), rules, PUBLISHED, published=PUBLISHED)
    return {
        f.text: (m.subject, m.period.start if m.period else None, m.period.end if m.period else None)
        for row in analysis.sentences
        for f, m in zip(row.figures, row.measures, strict=True)
    }


def test_each_company_s_fiscal_labels_by_its_own_calendar(rival_rules: Rules) -> None:
    found = _records(rival_rules, ARTICLE)
    assert found["640 billion yen"] == ("Halvard Systems", date(2025, 7, 1), date(2025, 9, 30))
    assert found["600 billion yen"] == ("Halvard Systems", date(2025, 4, 1), date(2025, 6, 30))
    assert found["$8.4 billion"] == ("Ormond Labs", date(2025, 7, 1), date(2025, 9, 30))
    assert found["$3.3 billion"] == ("Ormond Labs", date(2025, 7, 1), date(2025, 9, 30))


def test_a_rival_app_s_users_are_that_app_s(rival_rules: Rules) -> None:
    found = _records(rival_rules, ARTICLE)
    subjects = {text: subject for text, (subject, _, _) in found.items()}
    assert subjects["21 million daily active users"] == "Vela"
    assert next(s for t, s in subjects.items() if t.startswith("57 million")) == "Pinto"


def test_a_period_label_is_never_whose_a_figure_is(rival_rules: Rules) -> None:
    found = _records(rival_rules, "Ormond Labs posted FY2026 Q2 revenue of $9.1 billion.")
    assert found["$9.1 billion"][0] == "Ormond Labs"


@pytest.mark.parametrize(
    ("query", "whose"),
    [
        ("how much revenue did Tarrow make last quarter?", "Tarrow"),
        ("how many daily users does Pinto have", "Pinto"),
        ("how much has Ormond spent on data centres", "Ormond"),
        ("how much did the company spend on capex", None),
        ("how many people does it employ", None),
        ("ormond revenue", None),
    ],
)
def test_whose_figure_a_question_asks_for(query: str, whose: str | None) -> None:
    assert asked_whose(query) == whose


@pytest.fixture(scope="module")
def rival_answerer(rival_rules: Rules, tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    folder = tmp_path_factory.mktemp("rivals")
    (folder / "halvard-ormond_2025-12-03.txt").write_text(ARTICLE, encoding="utf-8")
    settings = make_settings(folder / "bot.db")
    migrate(settings.database_url)
    results = Ingestor(settings, rival_rules).ingest_paths([folder / "halvard-ormond_2025-12-03.txt"], progress=False)
    assert [r.status for r in results] == ["new"]
    return Answerer(settings, rival_rules)


def _values(answer) -> list[float]:  # type: ignore[no-untyped-def]
    return [c.lead.value for c in answer.claims]


def test_a_rival_s_figure_is_answered_as_the_rival_s(rival_answerer: Answerer) -> None:
    assert _values(rival_answerer.ask("ormond capex"))[:1] == [3.3e9]
    assert _values(rival_answerer.ask("ormond revenue FY2026 Q1"))[:1] == [8.4e9]
    assert _values(rival_answerer.ask("halvard net sales FY2025 Q1"))[:1] == [600e9]
    assert _values(rival_answerer.ask("ormond revenue in the july-september quarter of 2025"))[:1] == [8.4e9]
    assert _values(rival_answerer.ask("halvard net sales in the april-june quarter of 2025"))[:1] == [600e9]
    assert _values(rival_answerer.ask("how many daily active users does Pinto have"))[:1] == [57e6]
    assert _values(rival_answerer.ask("Vela daily active users"))[:1] == [21e6]


def test_the_followed_company_s_figure_is_never_a_rival_s(rival_answerer: Answerer) -> None:
    answer = rival_answerer.ask("how much revenue did Tarrow make?")
    assert not answer.claims
    assert "Tarrow" in answer.text
