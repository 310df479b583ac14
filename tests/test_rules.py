"""Settings and rules are built once: settings from a mapping of the environment, every rule file read once."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

import bot.rules.load
from bot.reading.files import Limits
from bot.reading.measures import vocabulary_of
from bot.reading.periods import CALENDAR_YEAR, calendars_of
from bot.rules import RULE_FILES, FiscalYear, load_rules
from bot.settings import PROJECT_ROOT, Settings
from tests.conftest import RULES, SEEDS


def test_an_empty_environment_gives_the_defaults() -> None:
    assert Settings.from_env({}) == Settings()
    assert Settings.from_env({"PORT": "  ", "SEMANTIC_SEARCH": ""}) == Settings()


def test_settings_are_read_from_the_mapping_given() -> None:
    s = Settings.from_env(
        {
            "PORT": "8_080",
            "SEMANTIC_SEARCH": "no",
            "SEEDS_DIR": "elsewhere",
            "ANSWERS_AT_ONCE": "0",
            "DATABASE_URL": "sqlite:///data/x.db",
            "ADMIN_USER_IDS": " U1 ,U2",
        }
    )
    assert (s.port, s.semantic_search, s.answers_at_once) == (8080, False, 1)
    assert s.seeds_dir == Path.cwd() / "elsewhere"
    assert s.database_url == f"sqlite:///{PROJECT_ROOT / 'data' / 'x.db'}"
    assert s.admin_user_ids == frozenset({"U1", "U2"})
    with pytest.raises(SystemExit, match="PORT must be a whole number"):
        Settings.from_env({"PORT": "eighty"})


def test_file_limits_have_no_defaults_of_their_own() -> None:
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(Limits))
    limits = Limits.of(Settings.from_env({"MAX_PDF_PAGES": "7"}))
    assert (limits.max_pdf_pages, limits.max_bytes) == (7, Settings().max_article_bytes)


def test_every_rule_file_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = bot.rules.load.read_rule_file

    def counting(folder: Path, name: str) -> Any:
        read.append(name)
        return real(folder, name)

    monkeypatch.setattr(bot.rules.load, "read_rule_file", counting)
    rules = load_rules(SEEDS)
    assert sorted(read) == sorted(RULE_FILES)
    assert rules.catalog and rules.concepts and rules.metrics.metrics and rules.questions.roles
    assert rules.fiscal.by_name["Alibaba Cloud"] == FiscalYear(3, 31, 60)


def test_a_company_that_names_no_fiscal_year_uses_the_calendar_year(tmp_path: Path) -> None:
    (tmp_path / "company.yml").write_text("name: Alibaba Group\n")
    rules = load_rules(tmp_path)
    assert calendars_of(rules.fiscal).of("Alibaba Group") == CALENDAR_YEAR


def test_the_metric_vocabulary_is_derived_from_the_one_read_of_metrics() -> None:
    vocabulary = vocabulary_of(RULES.metrics)
    assert [m.name for m in vocabulary.metrics] == [m.name for m in RULES.metrics.metrics]
    assert vocabulary_of(RULES.metrics) is vocabulary
    assert "capital expenditure" in RULES.metrics.words
