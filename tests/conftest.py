"""Shared fixtures: settings on a real SQLite file under tmp_path, migrated by the real migrations; and, for tests
marked `both_backends`, the same on a fresh database of a real PostgreSQL server when one is reachable."""

from __future__ import annotations

import dataclasses
import inspect
import os
import shutil
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, make_url, text

from bot.answering.facing import facing_of
from bot.reading.ingest import Ingestor
from bot.reading.nlp import get_nlp
from bot.rules import CatalogEntry, Rules, load_rules
from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import engine_for, migrate

if TYPE_CHECKING:
    from bot.answering import Answerer
    from tests.slack_helpers import RunningBot
    from tests.slack_standin import SlackStandIn

SEEDS = PROJECT_ROOT / "seeds"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
UPLOAD = FIXTURES / "upload_2025-08-29_cloud_results.txt"
RULES = load_rules(SEEDS)  # the seed folder's rules, read once for the whole run
FACING = facing_of(Settings(), RULES.company)  # how the bot presents itself for the seed pack


DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def make_settings(db_path: Path | str, **changes: object) -> Settings:
    """Settings on a SQLite file, or on a database URL given as a string."""
    url = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    return dataclasses.replace(Settings.from_env(), database_url=url, seeds_dir=SEEDS, **changes)


def answerer_over(folder: Path, articles: dict[str, str], catalog: tuple[CatalogEntry, ...]) -> Answerer:
    """An Answerer over a fresh SQLite database in `folder` holding `articles` (file name -> text), read with the
    seed rules and `catalog` in place of the seed catalog."""
    from bot.answering import Answerer

    rules = dataclasses.replace(RULES, catalog=catalog)
    for name, text_ in articles.items():
        (folder / name).write_text(text_, encoding="utf-8")
    settings = make_settings(folder / "bot.db")
    migrate(settings.database_url)
    Ingestor(settings, rules).ingest_paths(sorted(folder.glob("*.txt")), progress=False)
    return Answerer(settings, rules)


# -- PostgreSQL: a server for the tests, a database per test --------------------------------------------------


@cache
def postgres_server() -> tuple[str | None, str]:
    """(the server's URL, "") when it answers, else (None, why not)."""
    url = os.environ.get("TEST_POSTGRES_URL", "").strip() or DEFAULT_POSTGRES_URL
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        return (
            None,
            f"no PostgreSQL at {make_url(url).render_as_string(hide_password=True)} "
            f"(set TEST_POSTGRES_URL): {exc.__class__.__name__}",
        )
    finally:
        engine.dispose()
    return url, ""


def create_postgres_database(template: str | None = None) -> str:
    """A new empty database on the test server (or a copy of `template`); its URL."""
    server, why = postgres_server()
    if server is None:
        pytest.skip(why)
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{make_url(template).database}"' if template else ""))
        )
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    engine_for(url).dispose()
    server, _ = postgres_server()
    assert server is not None
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run on SQLite and on PostgreSQL (when reachable)")
    config.addinivalue_line("markers", "slow: loads the spaCy pipeline, starts a server or a process (`-m 'not slow'`)")


# What makes a test slow: a fixture that loads the spaCy pipeline, indexes articles, makes a database on the
# PostgreSQL server or starts a server; or a module whose tests start `python -m bot`, servers or long fuzz runs.
SLOW_FIXTURES = {"nlp", "seeded_db", "seeded", "seeded_copy", "seeded_postgres", "postgres_url", "standin", "bot"}
SLOW_MODULES = {
    "test_cli",
    "test_digest",
    "test_docker",
    "test_fuzz_files",
    "test_fuzz_slack",
    "test_http_guard",
    "test_http_guard_downloads",
    "test_http_guard_fuzz",
    "test_ingest",
    "test_postgres",
    "test_postgres_replicas",
    "test_postgres_search",
    "test_project",
    "test_scale",
    "test_search_bounds",
    "test_semantic",
    "test_slack_conversation",
    "test_slack_feedback",
    "test_slack_hostile",
    "test_slack_http",
    "test_slack_socket_mode",
    "test_slack_stop",
}


# A test whose own code indexes articles (the pipeline loads), or starts a process or a server, is slow too.
SLOW_CALLS = ("Ingestor(", "ingest_paths(", "get_nlp(", "subprocess", "start_bot(", "SlackStandIn(")


def _source(function: object) -> str:
    """A test's or fixture's code, with the code of the helpers of its own module that it calls."""
    try:
        parts = [inspect.getsource(function)]  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""
    code, module = getattr(function, "__code__", None), getattr(function, "__globals__", {})
    for name in code.co_names if code else ():
        helper = module.get(name)
        if inspect.isfunction(helper) and helper.__module__ == getattr(function, "__module__", None):
            parts.append(inspect.getsource(helper))
    return "\n".join(parts)


def _is_slow(item: pytest.Item) -> bool:
    if item.path.stem in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("backend") == "postgresql":
        return True
    fixtures = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    functions = [getattr(item, "function", None), *(d.func for defs in fixtures.values() for d in defs)]
    return any(call in _source(f) for f in functions if f is not None for call in SLOW_CALLS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: SQLite unless the test is marked `both_backends`."""
    name = str(getattr(request, "param", "sqlite"))
    if name == "postgresql":
        server, why = postgres_server()
        if server is None:
            pytest.skip(why)
    return name


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped after it."""
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return RULES


@pytest.fixture(scope="session")
def nlp(rules: Rules):  # type: ignore[no-untyped-def]
    return get_nlp(Settings.from_env().spacy_model, rules)


@pytest.fixture()
def settings(tmp_path: Path, backend: str) -> Iterator[Settings]:
    """Settings on a fresh, migrated database."""
    if backend == "postgresql":
        url = create_postgres_database()
        s = make_settings(url)
        migrate(s.database_url)
        yield s
        drop_postgres_database(url)
        return
    s = make_settings(tmp_path / "bot.db")
    migrate(s.database_url)
    yield s


@pytest.fixture(scope="session")
def seeded_postgres() -> Iterator[str]:
    """A PostgreSQL database holding the four seed articles: the template the PostgreSQL copies are made from."""
    url = create_postgres_database()
    s = make_settings(url)
    migrate(s.database_url)
    results = Ingestor(s, RULES).ingest_paths([SEEDS], progress=False)
    assert [r.status for r in results] == ["new"] * 4
    engine_for(url).dispose()  # a template database must have no open connections
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the four seed articles; copied per test that writes."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    s = make_settings(path)
    migrate(s.database_url)
    results = Ingestor(s, RULES).ingest_paths([SEEDS], progress=False)
    assert [r.status for r in results] == ["new"] * 4
    with engine_for(s.database_url).connect() as conn:  # everything into the main file, so a copy is whole
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return path


@pytest.fixture(scope="session")
def seeded(backend: str, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Read-only settings on the seeded database."""
    if backend == "postgresql":
        url = create_postgres_database(template=request.getfixturevalue("seeded_postgres"))
        yield make_settings(url)
        drop_postgres_database(url)
        return
    yield make_settings(request.getfixturevalue("seeded_db"))


@pytest.fixture()
def seeded_copy(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """A private copy of the seeded database, for tests that add to it."""
    if backend == "postgresql":
        url = create_postgres_database(template=request.getfixturevalue("seeded_postgres"))
        yield make_settings(url)
        drop_postgres_database(url)
        return
    target = tmp_path / "copy.db"
    shutil.copy(request.getfixturevalue("seeded_db"), target)
    yield make_settings(target)


@pytest.fixture(scope="module")
def standin() -> Iterator[SlackStandIn]:
    """The local Slack stand-in, one per test module."""
    from tests.slack_standin import SlackStandIn

    server = SlackStandIn()
    yield server
    server.close()


@pytest.fixture(scope="module")
def bot(standin: SlackStandIn, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """The real `python -m bot serve` in HTTP mode on a copy of the seeded database, one per test module; a module
    that needs other settings defines its own `bot`."""
    from tests.slack_helpers import start_bot

    tmp = tmp_path_factory.mktemp("bot")
    db = tmp / "bot.db"
    shutil.copy(seeded_db, db)
    running = start_bot(standin, db, tmp)
    yield running
    running.stop()
