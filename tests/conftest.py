"""Shared fixtures: settings on a real SQLite file under tmp_path, migrated by the real migrations."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.reading.ingest import Ingestor
from bot.reading.nlp import get_nlp
from bot.reading.rules import Rules, rules_for
from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import engine_for, migrate

SEEDS = PROJECT_ROOT / "seeds"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
UPLOAD = FIXTURES / "upload_2025-08-29_cloud_results.txt"


def make_settings(db_path: Path, **changes: object) -> Settings:
    base = Settings.from_env()
    return dataclasses.replace(base, database_url=f"sqlite:///{db_path}", seeds_dir=SEEDS, **changes)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return rules_for(str(SEEDS))


@pytest.fixture(scope="session")
def nlp(rules: Rules):  # type: ignore[no-untyped-def]
    return get_nlp(Settings.from_env().spacy_model, rules)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    s = make_settings(tmp_path / "bot.db")
    migrate(s.database_url)
    return s


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the four seed articles; copied per test that writes."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    s = make_settings(path)
    migrate(s.database_url)
    results = Ingestor(s).ingest_paths([SEEDS], progress=False)
    assert [r.status for r in results] == ["new"] * 4
    with engine_for(s.database_url).connect() as conn:  # everything into the main file, so a copy is whole
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return path


@pytest.fixture(scope="session")
def seeded(seeded_db: Path) -> Settings:
    """Read-only settings on the seeded database."""
    return make_settings(seeded_db)


@pytest.fixture()
def seeded_copy(seeded_db: Path, tmp_path: Path) -> Settings:
    """A private copy of the seeded database, for tests that add to it."""
    target = tmp_path / "copy.db"
    shutil.copy(seeded_db, target)
    return make_settings(target)
