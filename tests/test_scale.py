"""What keeps the bot lean at scale: serving without spaCy, the lemmatizer asked on demand, ingest on worker
processes storing the same rows, and answers that do not depend on the hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import spacy
from sqlalchemy import text

from bot.reading.files import RawDocument
from bot.reading.ingest import Ingestor
from bot.reading.nlp import lemma
from bot.reading.parse_pool import PARALLEL_MIN, parse_plan
from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import engine_for
from tests.conftest import RULES

SERVING_PROBE = """
import sys
import bot.slack.serve
from bot.answering.answers import Answerer
from bot.rules import load_rules
from bot.settings import Settings
settings = Settings.from_env()
answerer = Answerer(settings, load_rules(settings.seeds_dir))
kinds = [answerer.ask(q).kind for q in sys.argv[1:]]
print(",".join(kinds))
print("spacy" in sys.modules, sorted(m for m in sys.modules if m.startswith(("spacy", "thinc")))[:3])
"""


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=settings.database_url, SEEDS_DIR=str(settings.seeds_dir), **extra)


def test_serving_and_answering_do_not_load_spacy(seeded) -> None:  # type: ignore[no-untyped-def]
    queries = ["capex", "Eddie Wu", "cloud revenue", "open source strategy", "weather in Lisbon"]
    run = subprocess.run(
        [sys.executable, "-c", SERVING_PROBE, *queries],
        env=_env(seeded),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    kinds, loaded = run.stdout.strip().splitlines()
    assert "figure" in kinds and "entity" in kinds  # the probe really answered from the seeded database
    assert loaded.startswith("False"), loaded


def test_lemma_on_demand_is_the_lemma_the_full_pipeline_sets(nlp) -> None:  # type: ignore[no-untyped-def]
    assert "lemmatizer" not in nlp.pipe_names  # the pipeline does not lemmatise every token
    full = spacy.load(Settings.from_env().spacy_model)
    sentence = (
        "Analysts said the group's revenues rose while its founders told staff that spending on chips "
        "had been growing for three years, and the companies were buying more servers."
    )
    lean, reference = nlp(sentence), full(sentence)
    assert [lemma(t) for t in lean] == [t.lemma_.lower() for t in reference]
    assert {lemma(t) for t in lean} >= {"say", "revenue", "tell", "grow", "year", "company", "buy"}


def _articles(count: int) -> list[tuple[str, RawDocument | Exception]]:
    docs = []
    for i in range(count):
        body = (
            f"Harbor Cloud Report {i}\n\nHarbor Cloud said on Monday that its revenue rose {10 + i}% to "
            f"{100 + 3 * i} million yuan in the second quarter. The company employs {2000 + i} people.\n\n"
            f"Chief executive Mara Quill said Harbor Cloud will invest {i + 2} billion yuan over three years."
        )
        name = f"harbor-{i}.txt"
        docs.append((name, RawDocument(text=body, name=name, published=f"2025-05-{1 + i % 28:02d}")))
    return docs


def _rows(settings: Settings) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "sentences": 'SELECT a.title, s.position, s.start, s."end", s.text FROM sentences s '
        "JOIN articles a ON a.id = s.article_id",
        "mentions": 'SELECT a.title, e.name, m.start, m."end" FROM mentions m '
        "JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id",
        "figures": "SELECT a.title, f.value, f.unit, f.text, f.metric, f.status, f.period_start, f.period_end, "
        "f.placed_on, e.name FROM figures f JOIN articles a ON a.id = f.article_id "
        "LEFT JOIN entities e ON e.id = f.entity_id",
    }
    with engine_for(settings.database_url).connect() as conn:
        return {k: sorted(tuple(r) for r in conn.execute(text(q))) for k, q in queries.items()}


def test_ingest_on_worker_processes_stores_what_one_process_stores(tmp_path: Path) -> None:
    from bot.store.db import migrate
    from tests.conftest import make_settings

    count = PARALLEL_MIN + 4
    assert parse_plan(count)[0] == min(2, os.cpu_count() or 1) and parse_plan(1) == (1, 32)
    together, alone = make_settings(tmp_path / "together.db"), make_settings(tmp_path / "alone.db")
    for s in (together, alone):
        migrate(s.database_url)
    results = Ingestor(together, RULES).ingest_documents(_articles(count), progress=False)  # type: ignore[arg-type]
    assert [r.status for r in results] == ["new"] * count
    ingestor = Ingestor(alone, RULES)
    for doc in _articles(count):
        assert ingestor.ingest_documents([doc], progress=False)[0].status == "new"  # type: ignore[list-item]
    rows = _rows(together)
    assert len(rows["figures"]) >= 3 * count and len(rows["mentions"]) >= 2 * count
    assert rows == _rows(alone)


DETERMINISM_QUERIES = [
    "capex",
    "capital expenditure",
    "Eddie Wu",
    "Wu Yongming",
    "Joe Tsai",
    "Daniel Zhang",
    "Qwen",
    "Tongyi Qianwen",
    "cloud revenue",
    "revenue growth",
    "AI investment",
    "employees",
    "staff",
    "how many people work there",
    "open source strategy",
    "open source models",
    "downloads",
    "derivative models",
    "share price",
    "stock price",
    "how much did alibaba pledge for AI",
    "who runs the e-commerce business",
    "when did qwen3 launch",
    "Alibaba Cloud",
    "Taobao",
    "data centers",
    "chips",
    "customer management revenue",
    "weather in Lisbon",
    "capx",
    "quarterly results",
    "Apple partnership",
    "ambitios",
    "becme",
    "ater",
    "arge",
]


def test_same_answers_whatever_the_hash_seed(seeded_copy) -> None:  # type: ignore[no-untyped-def]
    from bench.lookups import grow_corpus

    grow_corpus(seeded_copy.database_url, 40)  # copies with other numbers: many near-ties to order
    outputs = []
    for seed in ("1", "2", "3"):
        run = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", *DETERMINISM_QUERIES],
            env=_env(seeded_copy, PYTHONHASHSEED=seed),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        outputs.append([json.loads(line) for line in run.stdout.splitlines()])
    assert len(outputs[0]) == len(DETERMINISM_QUERIES)
    assert {a["kind"] for a in outputs[0]} >= {"figure", "entity", "none"}
    for query, first, second, third in zip(DETERMINISM_QUERIES, *outputs, strict=True):
        assert first == second == third, query


def test_text_stored_once_migration_keeps_every_row(tmp_path: Path) -> None:
    from alembic import command

    from bot.store.db import alembic_config, migrate

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "c4e81b2a9d50")  # the schema before the text was stored once
    body = "Harbor Cloud hired 300 people. Mara Quill runs it."
    with engine_for(url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (id, title, text, text_hash, added_at) "
                "VALUES (1, 'T', :b, 'h', '2025-01-01 00:00:00')"
            ),
            {"b": body},
        )
        conn.execute(
            text(
                'INSERT INTO sentences (id, article_id, position, start, "end", text) VALUES '
                "(1, 1, 0, 0, 30, :a), (2, 1, 1, 31, 50, :b)"
            ),
            {"a": body[:30], "b": body[31:]},
        )
        conn.execute(
            text(
                "INSERT INTO entities (id, name, type, from_catalog, first_seen_at) "
                "VALUES (1, 'Mara Quill', 'person', 0, '2025-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                'INSERT INTO mentions (entity_id, sentence_id, article_id, start, "end", text) '
                "VALUES (1, 2, 1, 31, 41, 'Mara Quill')"
            )
        )
    migrate(url)
    with engine_for(url).connect() as conn:
        columns = {t: {r[1] for r in conn.execute(text(f"PRAGMA table_info({t})"))} for t in ("articles", "mentions")}
        assert "text" not in columns["articles"] and "text" not in columns["mentions"]
        assert conn.execute(text("SELECT count(*) FROM sentences")).scalar_one() == 2  # nothing cascaded away
        written = conn.execute(
            text(
                'SELECT substr(unpack(s.text), m.start - s.start + 1, m."end" - m.start) '
                "FROM mentions m JOIN sentences s ON s.id = m.sentence_id"
            )
        ).scalar_one()
        assert written == "Mara Quill"
        # The text is stored packed now (bot/store/packed.py), and the search index still has the words.
        assert {r[0] for r in conn.execute(text("SELECT typeof(text) FROM sentences"))} == {"blob"}
        assert conn.execute(text("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH 'hired'")).scalar_one() == 1


def test_entity_card_counts_follow_an_added_article(seeded_copy) -> None:  # type: ignore[no-untyped-def]
    from bot.answering.answers import Answerer
    from tests.conftest import UPLOAD

    def counted() -> tuple[int, int]:
        with engine_for(seeded_copy.database_url).connect() as conn:
            row = conn.execute(
                text(
                    "SELECT count(*), count(DISTINCT article_id) FROM mentions m JOIN entities e "
                    "ON e.id = m.entity_id WHERE e.name = 'Alibaba Group'"
                )
            ).one()
        return int(row[0]), int(row[1])

    answerer = Answerer(seeded_copy, RULES)
    first = answerer.ask("Alibaba Group").entity
    assert first is not None and (first.mention_count, first.article_count) == counted()
    assert Ingestor(seeded_copy, RULES).ingest_paths([UPLOAD], progress=False)[0].status == "new"
    again = answerer.ask("Alibaba Group").entity
    assert again is not None and (again.mention_count, again.article_count) == counted()
    assert again.article_count == first.article_count + 1
