"""PostgreSQL search at the sizes where plans differ: words that are each common but seldom meet, matches spread
over the newest rows and far below them, and the limit; always the ids SQLite gives for the same rows. The corpus
here is small, so the search's row counts are scaled down with it (the same steps, on fewer rows)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store import search
from bot.store.db import engine_for, migrate, session_scope
from bot.store.models import Article, Sentence
from bot.store.packed import unpack
from tests.conftest import create_postgres_database, drop_postgres_database

ROWS = 3000
# Sentences with both words, the rest with one of them: each word is in about half the rows, together in few.
BOTH_FAR = {40, 900, 1700}  # all far below the newest rows
BOTH_SPREAD = {*range(ROWS - 10, ROWS, 3), *range(ROWS - 400, ROWS - 300, 25), 1200, 610, 12}


def _corpus(url: str, both: set[int]) -> list[int]:
    """ROWS sentences in one article; returns their ids in order."""
    with session_scope(url) as s:
        article = Article(title="t", text_hash="h" * 64, added_at=datetime(2026, 1, 1))
        s.add(article)
        s.flush()
        rows = []
        for i in range(ROWS):
            words = "harbor cloud margins" if i in both else ("harbor tides" if i % 2 else "cloud margins")
            rows.append(Sentence(article_id=article.id, position=i, start=0, end=10, text=f"The {words} line {i}."))
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


@pytest.fixture()
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search's window and walk, scaled to this corpus as they are to a large one."""
    monkeypatch.setattr(search.TsvectorSearch, "RECENT_ROWS", 200)
    monkeypatch.setattr(search.TsvectorSearch, "MAX_WALK", 600)


@pytest.fixture()
def both_urls(postgres_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    sqlite = f"sqlite:///{tmp_path / 'search.db'}"
    for url in (postgres_url, sqlite):
        migrate(url)
    yield postgres_url, sqlite


def _search(url: str, expression: str, limit: int) -> list[int]:
    with session_scope(url) as s:
        return search.candidate_sentences(s, expression, limit=limit)


def _reference(url: str, expression: str, limit: int) -> list[int]:
    """The plain statement: every match in id order, the newest `limit` of them."""
    tsquery = " && ".join(f"phraseto_tsquery('english', '{p}')" for p in search.parse(expression).phrases())
    with engine_for(url).connect() as conn:
        sql = f"SELECT id FROM sentences WHERE search_vector @@ ({tsquery}) ORDER BY id DESC LIMIT {limit}"
        return [int(r[0]) for r in conn.execute(text(sql))]


HARBOR_AND_MARGINS = search.match_expression([search.Group("a", ("harbor",)), search.Group("b", ("margins",))])


@pytest.mark.usefixtures("small_steps")
def test_common_words_that_never_meet_in_the_newest_rows_find_the_old_matches(both_urls: tuple[str, str]) -> None:
    postgres, sqlite = both_urls
    ids = _corpus(postgres, BOTH_FAR)
    assert _corpus(sqlite, BOTH_FAR) == ids
    assert HARBOR_AND_MARGINS is not None
    expected = [ids[i] for i in sorted(BOTH_FAR, reverse=True)]
    assert _search(postgres, HARBOR_AND_MARGINS, 150) == expected
    assert _search(sqlite, HARBOR_AND_MARGINS, 150) == expected
    assert _search(postgres, HARBOR_AND_MARGINS, 2) == expected[:2]
    never = search.match_expression([search.Group("a", ("tides",)), search.Group("b", ("margins",))])
    assert never is not None
    assert _search(postgres, never, 150) == [] == _search(sqlite, never, 150)


@pytest.mark.usefixtures("small_steps")
def test_newest_first_and_the_limit_across_the_window_the_walk_and_the_index(both_urls: tuple[str, str]) -> None:
    postgres, sqlite = both_urls
    ids = _corpus(postgres, BOTH_SPREAD)
    assert _corpus(sqlite, BOTH_SPREAD) == ids
    assert HARBOR_AND_MARGINS is not None
    everything = [ids[i] for i in sorted(BOTH_SPREAD, reverse=True)]
    # Limits met in the window, in the walk below it, from the index far below, and never.
    for limit in (1, 3, 4, 6, 8, 9, 11, 12, 100):
        found = _search(postgres, HARBOR_AND_MARGINS, limit)
        assert found == everything[:limit] == _reference(postgres, HARBOR_AND_MARGINS, limit), limit
        assert _search(sqlite, HARBOR_AND_MARGINS, limit) == found, limit
    common = search.match_expression([search.Group("a", ("cloud",))])
    assert common is not None
    assert _search(postgres, common, 120) == _reference(postgres, common, 120) == _search(sqlite, common, 120)


def test_the_statement_keeps_the_planner_settings_of_the_transaction(postgres_url: str) -> None:
    migrate(postgres_url)
    _corpus(postgres_url, BOTH_FAR)
    assert HARBOR_AND_MARGINS is not None
    with session_scope(postgres_url) as s:
        s.execute(text("SET LOCAL enable_seqscan = on"))
        s.execute(text("SET LOCAL jit = on"))
        search.TsvectorSearch._older(s, "CAST(:q AS tsquery)", {"q": "harbor & margin"}, 10**9, 0, 5)
        assert s.execute(text("SELECT current_setting('enable_seqscan'), current_setting('jit')")).one() == ("on", "on")


def test_alternatives_that_stem_alike_are_searched_once() -> None:
    tree = search.parse('("quarter" OR "quarters" OR "the") AND ("capital expenditure" OR "capex")')
    queries = {
        "quarter": "'quarter'",
        "quarters": "'quarter'",
        "the": "",
        "capital expenditure": "'capit' <-> 'expenditur'",
        "capex": "'capex'",
    }
    assert search.tsquery_text(tree, queries) == "(('quarter') & (('capit' <-> 'expenditur') | ('capex')))"
    assert search.tsquery_text(search.parse('"the" OR "a"'), {"the": "", "a": ""}) == ""


def _plain(value: object) -> str:
    """A value as text: floats to 6 digits, and a sentence as its text (SQLite stores it packed)."""
    if isinstance(value, bytes):
        return str(unpack(value))
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def test_grown_corpora_hold_the_same_rows_on_both_backends(
    seeded_db: Path, tmp_path: Path, seeded_postgres: str
) -> None:
    import shutil

    from bench.lookups import grow_corpus

    sqlite = tmp_path / "grown.db"
    shutil.copy(seeded_db, sqlite)
    postgres = create_postgres_database(template=seeded_postgres)
    try:
        urls = (f"sqlite:///{sqlite}", postgres)
        for url in urls:
            assert grow_corpus(url, 30) == 30
        queries = [
            'SELECT a.title, a.text_hash, s.position, s.start, s."end", s.text FROM sentences s '
            "JOIN articles a ON a.id = s.article_id ORDER BY s.id",
            'SELECT a.title, m.sentence_id, m.entity_id, m.start, m."end" FROM mentions m '
            "JOIN articles a ON a.id = m.article_id ORDER BY a.id, m.sentence_id, m.start",
            "SELECT f.id, a.title, f.sentence_id, f.conversion_of_id, f.value, f.text, "
            "f.metric, f.status, f.period_start, f.placed_on, f.entity_id FROM figures f "
            "JOIN articles a ON a.id = f.article_id ORDER BY f.id",
            "SELECT count(*) FROM articles",
        ]
        rows = []
        for url in urls:
            with engine_for(url).connect() as conn:
                rows.append([[tuple(_plain(v) for v in r) for r in conn.execute(text(q))] for q in queries])
        assert rows[0][3] == [("30",)]
        assert rows[0] == rows[1]
        assert any("copy-" in r[1] for r in rows[1][0])
        with session_scope(postgres) as s:  # the copied ids leave the sequences past them: new rows can be added
            s.add(Article(title="after", text_hash="a" * 64, added_at=datetime(2026, 1, 2)))
    finally:
        drop_postgres_database(postgres)
