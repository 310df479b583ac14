"""Ingest on a real SQLite file: atomic articles, duplicates, failures that store nothing, interrupted runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.reading.ingest import Ingestor, Overrides
from bot.store.db import session_scope
from bot.store.models import Article, Entity, Figure, Mention, Sentence
from tests.conftest import SEEDS, UPLOAD
from tests.docs_factory import ARTICLE_LINES, pdf_bytes


def table_counts(settings) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (Article, Sentence, Mention, Figure)}


def test_seeds_are_indexed_with_sentences_mentions_and_figures(seeded) -> None:  # type: ignore[no-untyped-def]
    counts = table_counts(seeded)
    assert counts["articles"] == 4
    assert counts["sentences"] > 100 and counts["mentions"] > 100 and counts["figures"] > 30
    with session_scope(seeded.database_url) as s:
        fts = s.execute(text("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'yuan'")).scalar_one()
        assert fts >= 5  # the FTS index follows the sentences table
        spans = s.execute(select(Figure.start, Figure.end, Figure.text, Article.text)
                          .join(Article, Article.id == Figure.article_id)).all()
    for start, end, written, body in spans:
        assert body[start:end] == written  # every figure points at its exact place in the article


@pytest.mark.both_backends
def test_reingesting_adds_nothing_and_says_so(seeded_copy) -> None:  # type: ignore[no-untyped-def]
    before = table_counts(seeded_copy)
    results = Ingestor(seeded_copy).ingest_paths([SEEDS], progress=False)
    assert [r.status for r in results] == ["duplicate"] * 4
    assert all("already indexed on" in r.reason for r in results)
    assert table_counts(seeded_copy) == before


@pytest.mark.both_backends
def test_a_bad_file_fails_alone_and_stores_nothing(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("   \n")
    (tmp_path / "in" / "scan.pdf").write_bytes(pdf_bytes([]))
    (tmp_path / "in" / "good.pdf").write_bytes(pdf_bytes(ARTICLE_LINES))
    (tmp_path / "in" / "photo.png").write_bytes(b"\x89PNG")  # skipped inside a folder: not an article type
    results = Ingestor(settings).ingest_paths([tmp_path / "in", tmp_path / "missing.txt"], progress=False)
    by_name = {Path(r.name).name: r for r in results}
    assert by_name["good.pdf"].status == "new"
    assert by_name["empty.txt"].status == by_name["scan.pdf"].status == "failed"
    assert "no text layer" in by_name["scan.pdf"].reason
    assert by_name["missing.txt"].status == "failed" and "cannot read" in by_name["missing.txt"].reason
    assert "photo.png" not in by_name
    assert table_counts(settings)["articles"] == 1


def test_one_article_is_one_transaction(settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A failure after sentences and mentions were written leaves no trace of the article."""
    from bot.reading import ingest

    real_insert = ingest.insert

    def failing_insert(model):  # type: ignore[no-untyped-def]
        if model is Figure:
            raise RuntimeError("disk full")
        return real_insert(model)

    monkeypatch.setattr(ingest, "insert", failing_insert)
    result = Ingestor(settings).ingest_paths([SEEDS / "002_d0da5e0f1d435268.txt"], progress=False)[0]
    assert result.status == "failed" and "could not be indexed" in result.reason
    assert table_counts(settings) == {"articles": 0, "sentences": 0, "mentions": 0, "figures": 0}
    with session_scope(settings.database_url) as s:
        assert s.execute(text("SELECT count(*) FROM sentences_fts")).scalar_one() == 0


def test_killed_run_leaves_a_consistent_database_and_a_rerun_finishes(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    base = (SEEDS / "003_893f16c0d21005b9.txt").read_text()
    for i in range(24):
        (folder / f"a{i:03}.txt").write_text(base.replace("Alibaba", f"Alibaba{i}", 3) + f"\nVariant {i}.")
    env = dict(os.environ, DATABASE_URL=settings.database_url, LOG_LEVEL="WARNING")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "ingest", str(folder)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and table_counts(settings)["articles"] < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = table_counts(settings)
    assert 0 < partial["articles"] < 24
    with session_scope(settings.database_url) as s:
        orphans = s.execute(text(
            "SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)")).scalar_one()
        empty = s.execute(text(
            "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sentences)")).scalar_one()
        assert orphans == 0 and empty == 0
        assert s.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    results = Ingestor(settings).ingest_paths([folder], progress=False)
    assert sum(r.status == "duplicate" for r in results) == partial["articles"]
    assert sum(r.status == "new" for r in results) == 24 - partial["articles"]
    assert table_counts(settings)["articles"] == 24


@pytest.mark.both_backends
def test_overrides_and_who_added(settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    result = Ingestor(settings).ingest_paths(
        [UPLOAD], Overrides(title="Q2 results", published=date(2025, 8, 30), source="Wire", added_by="U123"),
        progress=False)[0]
    with session_scope(settings.database_url) as s:
        article = s.get(Article, result.article_id)
        assert (article.title, article.published, article.source, article.added_by) == (
            "Q2 results", date(2025, 8, 30), "Wire", "U123")


@pytest.mark.both_backends
def test_names_resolve_to_one_entity_and_ner_noise_is_dropped(seeded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(seeded.database_url) as s:
        def entity_of(surface: str) -> str:
            return s.execute(select(Entity.name).join(Mention, Mention.entity_id == Entity.id)
                             .where(Mention.text == surface).limit(1)).scalar_one()

        assert entity_of("Wu Yongming") == entity_of("Eddie Wu") == "Eddie Wu"
        assert entity_of("Joseph Tsai") == entity_of("Joe Tsai") == "Joe Tsai"
        assert entity_of("Tongyi Qianwen") == entity_of("Qwen") == "Qwen"
        assert entity_of("Wu") == "Eddie Wu"  # a surname alone, in an article that names him in full
        types = {name: kind for name, kind in s.execute(select(Entity.name, Entity.type))}
        assert types["Qwen"] == "model" and types["Alibaba Group"] == "company"
        names = set(types)
        for noise in ("AI", "Alibaba's", "Alibaba’s", "Strategic Monetization", "Cloud Infrastructure", "HKD"):
            assert noise not in names
