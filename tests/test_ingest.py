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
from tests import hostile
from tests.conftest import RULES, SEEDS, UPLOAD
from tests.docs_factory import ARTICLE_LINES, pdf_bytes


def table_counts(settings) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Article, Sentence, Mention, Figure)
        }


def test_seeds_are_indexed_with_sentences_mentions_and_figures(seeded) -> None:  # type: ignore[no-untyped-def]
    counts = table_counts(seeded)
    assert counts["articles"] == 4
    assert counts["sentences"] > 100 and counts["mentions"] > 100 and counts["figures"] > 30
    with session_scope(seeded.database_url) as s:
        fts = s.execute(text("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'yuan'")).scalar_one()
        assert fts >= 5  # the FTS index follows the sentences table
        spans = s.execute(
            select(Figure.start, Figure.end, Figure.text, Sentence.text, Sentence.start).join(
                Sentence, Sentence.id == Figure.sentence_id
            )
        ).all()
    for start, end, written, sentence, offset in spans:
        assert sentence[start - offset : end - offset] == written  # every figure points at its exact place


@pytest.mark.both_backends
def test_reingesting_adds_nothing_and_says_so(seeded_copy) -> None:  # type: ignore[no-untyped-def]
    before = table_counts(seeded_copy)
    results = Ingestor(seeded_copy, RULES).ingest_paths([SEEDS], progress=False)
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
    results = Ingestor(settings, RULES).ingest_paths([tmp_path / "in", tmp_path / "missing.txt"], progress=False)
    by_name = {Path(r.name).name: r for r in results}
    assert by_name["good.pdf"].status == "new"
    assert by_name["empty.txt"].status == by_name["scan.pdf"].status == "failed"
    assert "no text layer" in by_name["scan.pdf"].reason
    assert by_name["missing.txt"].status == "failed" and "cannot read" in by_name["missing.txt"].reason
    assert "photo.png" not in by_name
    assert table_counts(settings)["articles"] == 1


def test_one_article_is_one_transaction(settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A failure after sentences and mentions were written leaves no trace of the article."""
    from bot.store import article_writes

    real_insert = article_writes.insert

    def failing_insert(model):  # type: ignore[no-untyped-def]
        if model is Figure or model is Figure.__table__:  # the figures are written through their table
            raise RuntimeError("disk full")
        return real_insert(model)

    monkeypatch.setattr(article_writes, "insert", failing_insert)
    result = Ingestor(settings, RULES).ingest_paths([SEEDS / "002_d0da5e0f1d435268.txt"], progress=False)[0]
    assert result.status == "failed" and "could not be indexed" in result.reason
    assert table_counts(settings) == {"articles": 0, "sentences": 0, "mentions": 0, "figures": 0}
    with session_scope(settings.database_url) as s:
        # The article's words did not reach the search index either (it keeps no text to scan: ask it a word).
        found = s.execute(text("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'alibaba'")).scalar_one()
        assert found == 0


def _processes_reading(folder: Path) -> list[int]:
    """Live processes whose command line names `folder` (Linux /proc; empty where there is none)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if str(folder) in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_killed_run_leaves_a_consistent_database_and_a_rerun_finishes(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    base = (SEEDS / "003_893f16c0d21005b9.txt").read_text()
    for i in range(24):
        (folder / f"a{i:03}.txt").write_text(base.replace("Alibaba", f"Alibaba{i}", 3) + f"\nVariant {i}.")
    env = dict(os.environ, DATABASE_URL=settings.database_url, LOG_LEVEL="WARNING")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while time.time() < deadline and table_counts(settings)["articles"] < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Its worker processes go with it: none is left waiting on a pipe to a dead parent.
    deadline = time.time() + 10
    while time.time() < deadline and _processes_reading(folder):
        time.sleep(0.1)
    assert _processes_reading(folder) == []
    partial = table_counts(settings)
    assert 0 < partial["articles"] < 24
    with session_scope(settings.database_url) as s:
        orphans = s.execute(
            text("SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)")
        ).scalar_one()
        empty = s.execute(
            text("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sentences)")
        ).scalar_one()
        assert orphans == 0 and empty == 0
        assert s.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    results = Ingestor(settings, RULES).ingest_paths([folder], progress=False)
    assert sum(r.status == "duplicate" for r in results) == partial["articles"]
    assert sum(r.status == "new" for r in results) == 24 - partial["articles"]
    assert table_counts(settings)["articles"] == 24


@pytest.mark.both_backends
def test_overrides_and_who_added(settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    result = Ingestor(settings, RULES).ingest_paths(
        [UPLOAD],
        Overrides(title="Q2 results", published=date(2025, 8, 30), source="Wire", added_by="U123"),
        progress=False,
    )[0]
    with session_scope(settings.database_url) as s:
        article = s.get(Article, result.article_id)
        assert (article.title, article.published, article.source, article.added_by) == (
            "Q2 results",
            date(2025, 8, 30),
            "Wire",
            "U123",
        )


@pytest.mark.both_backends
def test_names_resolve_to_one_entity_and_ner_noise_is_dropped(seeded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(seeded.database_url) as s:
        named = s.execute(
            select(Entity.name, Mention.start, Mention.end, Sentence.text, Sentence.start)
            .join(Mention, Mention.entity_id == Entity.id)
            .join(Sentence, Sentence.id == Mention.sentence_id)
            .order_by(Mention.id)
        ).all()

        def entity_of(surface: str) -> str:
            return next(
                name
                for name, start, end, sentence, offset in named
                if sentence[start - offset : end - offset] == surface
            )

        assert entity_of("Wu Yongming") == entity_of("Eddie Wu") == "Eddie Wu"
        assert entity_of("Joseph Tsai") == entity_of("Joe Tsai") == "Joe Tsai"
        assert entity_of("Tongyi Qianwen") == entity_of("Qwen") == "Qwen"
        assert entity_of("Wu") == "Eddie Wu"  # a surname alone, in an article that names him in full
        types = {name: kind for name, kind in s.execute(select(Entity.name, Entity.type))}
        assert types["Qwen"] == "model" and types["Alibaba Group"] == "company"
        names = set(types)
        for noise in ("AI", "Alibaba's", "Alibaba’s", "Strategic Monetization", "Cloud Infrastructure", "HKD"):
            assert noise not in names


def test_bad_files_in_a_folder_fail_alone_and_the_run_goes_on(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A malformed .docx and an over-long text once stopped the whole run; now each is one failed line."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a-malformed.docx").write_bytes(hostile.malformed_docx())
    (folder / "b-good.pdf").write_bytes(pdf_bytes(ARTICLE_LINES))
    (folder / "c-huge.txt").write_bytes(hostile.huge_text(1_200_000))
    (folder / "d-good.txt").write_text((SEEDS / "002_d0da5e0f1d435268.txt").read_text())
    results = Ingestor(settings, RULES).ingest_paths([folder], progress=False)
    by_name = {Path(r.name).name: r for r in results}
    assert [by_name[n].status for n in ("a-malformed.docx", "b-good.pdf", "c-huge.txt", "d-good.txt")] == [
        "failed",
        "new",
        "failed",
        "new",
    ]
    assert by_name["a-malformed.docx"].reason == "cannot read this .docx: its XML is malformed"
    assert "1,200,000 characters long" in by_name["c-huge.txt"].reason
    assert table_counts(settings)["articles"] == 2


def test_links_leaving_the_folder_are_skipped_with_a_reason(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    outside = tmp_path / "private.txt"
    outside.write_text(f"Notes\n\n{hostile.SENTENCE}\n{hostile.SECRET_TEXT}.")
    (folder / "escape.txt").symlink_to(outside)
    (folder / "nested").mkdir()
    (folder / "nested" / "inside.txt").write_text((SEEDS / "002_d0da5e0f1d435268.txt").read_text())
    (folder / "alias.txt").symlink_to(folder / "nested" / "inside.txt")  # stays inside: read (a duplicate)
    results = Ingestor(settings, RULES).ingest_paths([folder], progress=False)
    by_name = {Path(r.name).name: r for r in results}
    assert by_name["escape.txt"].status == "failed"
    assert by_name["escape.txt"].reason == "skipped: a link to a file outside the folder"
    assert (by_name["alias.txt"].status, by_name["inside.txt"].status) == ("new", "duplicate")  # sorted order
    with session_scope(settings.database_url) as s:
        assert hostile.SECRET_TEXT not in "".join(s.scalars(select(Sentence.text)))


class FailingOn:
    """The real pipeline, except that it fails on texts holding `marker`, as a pipeline bug would."""

    def __init__(self, nlp, marker: str) -> None:  # type: ignore[no-untyped-def]
        self.nlp, self.marker, self.max_length = nlp, marker, nlp.max_length

    def __call__(self, body: str):  # type: ignore[no-untyped-def]
        if self.marker in body:
            raise ValueError("the pipeline broke")
        return self.nlp(body)

    def pipe(self, bodies, **kwargs):  # type: ignore[no-untyped-def]
        for body in bodies:
            yield self(body)


def test_a_parse_failure_fails_only_its_own_article(settings, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "batch"
    folder.mkdir()
    base = (SEEDS / "002_d0da5e0f1d435268.txt").read_text()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(base + f"\nVariant {i}." + (" Poison pill." if i == 2 else ""))
    ingestor = Ingestor(settings, RULES)
    ingestor.nlp = FailingOn(ingestor.nlp, "Poison pill")  # type: ignore[assignment]
    results = ingestor.ingest_paths([folder], progress=False)
    assert [r.status for r in results] == ["new", "new", "failed", "new", "new"]
    assert results[2].reason == "could not be indexed (ValueError); the error is in the bot's log"
    assert "the pipeline broke" in caplog.text
    assert table_counts(settings)["articles"] == 4
