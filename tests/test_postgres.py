"""PostgreSQL: the one migration history, the tsvector search, the pool, and the shared-database guarantees that
several replicas rely on (event ids, digest claims, uploads), each on a fresh database of a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import func, make_url, select, text

from bot.settings import PROJECT_ROOT
from bot.store import search
from bot.store.db import RANDOM_PAGE_COST, alembic_config, engine_for, make_engine, migrate, session_scope
from bot.store.models import Article, Sentence
from tests.conftest import SEEDS


def test_models_and_migrations_do_not_drift_on_postgresql(postgres_url: str) -> None:
    migrate(postgres_url)
    command.check(alembic_config(postgres_url))  # raises when autogenerate would produce operations


def test_downgrade_and_upgrade_again_on_postgresql(postgres_url: str) -> None:
    migrate(postgres_url)
    command.downgrade(alembic_config(postgres_url), "base")
    with engine_for(postgres_url).connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))}
    assert names <= {"alembic_version"}
    migrate(postgres_url)
    with engine_for(postgres_url).connect() as conn:
        index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname='ix_sentences_search_vector'"))
        assert "gin" in index.scalar_one().lower()


def _add_article(session, title: str, sentences: list[str]) -> list[int]:  # type: ignore[no-untyped-def]
    article = Article(title=title, text_hash=title.ljust(64, "x")[:64], added_at=datetime(2026, 1, 1))
    session.add(article)
    session.flush()
    rows = [Sentence(article_id=article.id, position=i, start=0, end=len(s), text=s) for i, s in enumerate(sentences)]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'search.db'}"
    migrate(url)
    return url


def test_search_stems_phrases_and_boolean_groups_alike_on_both_backends(store_url: str) -> None:
    with session_scope(store_url) as s:
        ids = _add_article(
            s,
            "one",
            [
                "Cloud revenues climbed in the quarter.",  # 0: stems (revenues -> revenue)
                "The company said revenue of the cloud unit fell.",  # 1: both words, not as a phrase
                "Spending on data centres rose.",  # 2
                'A "quoted" OR clause AND (brackets) are only words here.',  # 3: would be syntax if not quoted
            ],
        )
        phrase = search.match_expression([search.Group("q", ("cloud revenue",))])
        assert phrase is not None
        assert search.candidate_sentences(s, phrase) == [ids[0]]
        both = search.match_expression([search.Group("a", ("cloud",)), search.Group("b", ("revenue",))])
        assert both is not None
        assert search.candidate_sentences(s, both) == [ids[1], ids[0]]  # newest first
        either = search.match_expression([search.Group("a", ("spending",)), search.Group("b", ("climbed",))], "OR")
        assert either is not None
        assert sorted(search.candidate_sentences(s, either)) == [ids[0], ids[2]]
        hostile = search.match_expression([search.Group("h", ('"quoted" OR clause AND (brackets)',))])
        assert hostile is not None
        assert search.candidate_sentences(s, hostile) == [ids[3]]


def test_the_window_is_ranked_by_bm25_with_rare_words_weighing_more(store_url: str) -> None:
    with session_scope(store_url) as s:
        ids = _add_article(
            s,
            "two",
            [
                "Margins widened as cloud demand grew.",
                "Cloud cloud cloud, and more cloud.",
                "Margins and cloud margins.",
            ],
        )
        # Document counts as ingest keeps them: "cloud" is everywhere, "margins" rare.
        s.execute(text("INSERT INTO terms(term, df) VALUES ('cloud', 1000), ('margins', 3)"))
        s.execute(
            text(
                "INSERT INTO articles(title, text_hash, added_at) "
                "SELECT 'filler ' || n, 'h' || n, '2026-01-01' FROM "
                + (
                    "generate_series(1, 999) AS n"
                    if store_url.startswith("postgresql")
                    else "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 999) "
                    "SELECT n FROM c)"
                )
            )
        )
        expression = search.match_expression([search.Group("a", ("cloud",)), search.Group("b", ("margins",))])
        assert expression is not None
        ranked = search.ranked_window(s, expression, limit=10)
        assert [sid for sid, _ in ranked] == [ids[2], ids[0]]  # two rare words beat one
        assert ranked[0][1] < ranked[1][1] < 0  # lower is better, as FTS5's bm25


def test_expressions_that_match_expression_cannot_write_are_refused() -> None:
    for bad in ('"a" AND', 'cloud OR "b"', '("a"', '"a" NEAR "b"', '"a")'):
        with pytest.raises(search.ExpressionError):
            search.parse(bad)
    tree = search.parse('("a b" OR "c") AND "d"')
    assert tree.op == "AND" and tree.parts[0].op == "OR" and tree.phrases() == ["a b", "c", "d"]


def test_the_pool_is_sized_for_listener_threads_and_replaces_lost_connections(postgres_url: str) -> None:
    migrate(postgres_url)
    engine = engine_for(postgres_url)
    assert engine.pool.size() >= 8  # type: ignore[attr-defined]
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    # The server drops the pooled connection (a restart, a proxy timeout): the next session still works.
    with engine_for(postgres_url.rsplit("/", 1)[0] + "/postgres").connect() as admin:
        assert admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
    with session_scope(postgres_url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0
    engine_for(postgres_url.rsplit("/", 1)[0] + "/postgres").dispose()


def test_the_planner_prices_cached_reads_unless_the_operator_set_a_price(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        assert float(conn.execute(text("SHOW random_page_cost")).scalar_one()) == RANDOM_PAGE_COST
        conn.execute(text(f'ALTER DATABASE "{make_url(postgres_url).database}" SET random_page_cost = 2.5'))
        conn.commit()
    engine.dispose()
    engine = make_engine(postgres_url)
    with engine.connect() as conn:  # a setting for the database is the operator's: it stands
        assert float(conn.execute(text("SHOW random_page_cost")).scalar_one()) == 2.5
    engine.dispose()


def test_many_threads_share_the_pool_at_once(postgres_url: str) -> None:
    migrate(postgres_url)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                with session_scope(postgres_url) as s:
                    s.execute(text("SELECT pg_sleep(0.01)"))
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=url, LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        cwd=PROJECT_ROOT,
    )


def test_the_commands_run_on_a_postgresql_url(postgres_url: str) -> None:
    """migrate, ingest, ask, figures, digest and console, given only DATABASE_URL=postgresql+psycopg://…"""
    migrated = _cli(postgres_url, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    first = _cli(postgres_url, "ingest", str(SEEDS), "--json")
    assert first.returncode == 0, first.stderr
    assert [json.loads(line)["status"] for line in first.stdout.splitlines()] == ["new"] * 4
    again = _cli(postgres_url, "ingest", str(SEEDS / "000_0b5bb6ea946f3403.txt"))
    assert "duplicate" in again.stdout and "already indexed" in again.stdout
    asked = _cli(postgres_url, "ask", "--json", "capex", "Eddie Wu", "Tesla deliveries")
    assert asked.returncode == 0, asked.stderr
    assert [json.loads(line)["kind"] for line in asked.stdout.splitlines()] == ["figure", "entity", "none"]
    figures = _cli(postgres_url, "figures", "--json", "--subject", "Alibaba Group")
    assert figures.returncode == 0, figures.stderr
    assert figures.stdout.strip() and all(json.loads(line)["text"] for line in figures.stdout.splitlines())
    digest = _cli(postgres_url, "digest", "--since", "2025-01-01", "--json")
    assert digest.returncode == 0, digest.stderr
    assert json.loads(digest.stdout)
    console = _cli(postgres_url, "console", stdin="/alibaba capex\nstatus\nquit\n")
    assert console.returncode == 0, console.stderr
    assert "380 billion yuan" in console.stdout and "4 articles" in console.stdout
    # The URL as hosting providers write it selects the same driver.
    short = _cli("postgresql://" + postgres_url.split("://", 1)[1], "ask", "capex")
    assert short.returncode == 0 and "380 billion yuan" in short.stdout, short.stderr


def test_insert_ignore_says_whether_the_row_is_new(store_url: str) -> None:
    from bot.store.db import insert_ignore
    from bot.store.models import ProcessedEvent

    for expected in (True, False):
        with session_scope(store_url) as s:
            assert (
                insert_ignore(s, ProcessedEvent, {"event_id": "Ev1", "received_at": datetime(2026, 1, 1)}) is expected
            )
    with session_scope(store_url) as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def test_replicas_migrating_at_once_all_succeed(postgres_url: str) -> None:
    env = dict(os.environ, DATABASE_URL=postgres_url, LOG_LEVEL="WARNING")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "migrate"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outputs]
    command.check(alembic_config(postgres_url))
