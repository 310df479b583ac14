"""Benchmarks: ingest throughput against bare `nlp.pipe`, lookup latency on large corpora, peak memory.

Corpora are made from the seed articles. For ingest, each article is a variant of a seed (numbers, dates and
some names changed) and goes through the whole path. For the lookup corpora, a few hundred variants are
ingested for real and then their extracted rows (sentences, mentions, figures) are copied with other numbers
until the corpus has the wanted size: that measures lookups, not ingest.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.answering.answers import Answerer
from bot.reading.documents import RawDocument, read_path
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.store.db import engine_for, migrate

QUERIES = [
    "capex", "qwen downloads", "derivative models", "Eddie Wu", "Wu Yongming", "Tongyi Qianwen", "cloud revenue",
    "AI chip budget", "QwQ-32B parameters", "Amazon investment", "employees", "Tesla deliveries", "staff",
    "capital expenditure", "Joe Tsai", "open source strategy", "stock price", "capx", "how many people work there",
    "Apple partnership", "taotian revenue", "DeepSeek", "quarterly capex", "share price growth",
]
_NAMES = ["Lin Haoran", "Chen Yu", "Zhao Min", "Sun Wei", "Huang Lei", "Xu Jing", "He Tao", "Gao Yan"]


def _vary(body: str, rng: random.Random, index: int) -> str:
    def number(m: re.Match[str]) -> str:
        digits = m.group(0)
        if len(digits.replace(",", "").split(".")[0]) == 4 and digits.startswith(("19", "20")):
            return digits  # keep years
        return re.sub(r"\d", lambda _: str(rng.randint(1, 9)), digits)

    body = re.sub(r"(?<![\w.-])\d[\d,]*(?:\.\d+)?(?![\w-])", number, body)  # not inside names: QwQ-32B
    for name in ("Jiang Fan", "Cai Chongxin", "Ding Zhechuan", "Zhu Mingming", "Wang Jie"):
        body = body.replace(name, rng.choice(_NAMES))
    return body + f"\nThis is corpus article {index}."


def _variants(settings: Settings, count: int, seed: int = 7) -> list[tuple[str, RawDocument]]:
    rng = random.Random(seed)
    seeds = sorted(Path(settings.seeds_dir).glob("*.txt"))
    base = [read_path(p, settings.max_article_bytes) for p in seeds]
    docs = []
    for i in range(count):
        src = base[i % len(base)]
        docs.append((f"variant-{i}.txt", dataclasses.replace(src, text=_vary(src.text, rng, i))))
    return docs


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_ingest(settings: Settings, count: int) -> dict[str, Any]:
    from bot.reading.articles import prepare

    ingestor = Ingestor(settings)
    docs = _variants(settings, count)
    texts = [prepare(d, ingestor.rules).text for _, d in docs]
    list(ingestor.nlp.pipe(texts[:8]))  # warm up
    start = time.perf_counter()
    for _ in ingestor.nlp.pipe(texts, batch_size=32):
        pass
    bare = time.perf_counter() - start
    start = time.perf_counter()
    results = ingestor.ingest_documents(list(docs), progress=False)
    full = time.perf_counter() - start
    assert all(r.status == "new" for r in results), [r.reason for r in results if r.status != "new"][:3]
    return {
        "articles": count,
        "bare_nlp_pipe_articles_per_s": round(count / bare, 2),
        "ingest_articles_per_s": round(count / full, 2),
        "ratio": round(bare / full, 3),
    }


def _scale_numbers(sentence: str, factor: float) -> str:
    return re.sub(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-])", lambda m: str(round(float(m.group(0)) * factor, 1)),
                  sentence)


def grow_corpus(url: str, target: int, seed: int = 11) -> int:
    """Copy the articles ingested for real (with other numbers) until the database holds `target` articles.

    Copies carry every stored column (figure records: metric, status, period, placement; entity ids), and a
    converted figure keeps pointing at its copied original."""
    rng = random.Random(seed)
    engine = engine_for(url)
    real = "SELECT id FROM articles WHERE text_hash NOT LIKE 'copy-%'"
    with engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        originals = [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM articles WHERE id IN ({real}) "
                                                                 "ORDER BY id"))]
        # PostgreSQL's generated search column is computed by the server, never inserted.
        sentences = [{k: v for k, v in r._mapping.items() if k != "search_vector"}
                     for r in conn.execute(text(f"SELECT * FROM sentences WHERE article_id IN ({real}) ORDER BY id"))]
        mentions = [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM mentions WHERE article_id IN ({real})"
                                                                " ORDER BY id"))]
        figures = [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM figures WHERE article_id IN ({real}) "
                                                               "ORDER BY id"))]
        next_article = conn.execute(text("SELECT max(id) FROM articles")).scalar_one() + 1
        next_sentence = conn.execute(text("SELECT max(id) FROM sentences")).scalar_one() + 1
        next_figure = (conn.execute(text("SELECT max(id) FROM figures")).scalar_one() or 0) + 1
    before = have
    by_article: dict[int, list[dict[str, Any]]] = {}
    for s in sentences:
        by_article.setdefault(s["article_id"], []).append(s)
    mentions_of: dict[int, list[dict[str, Any]]] = {}
    for m in mentions:
        mentions_of.setdefault(m["article_id"], []).append(m)
    figures_of: dict[int, list[dict[str, Any]]] = {}
    for f in figures:
        figures_of.setdefault(f["article_id"], []).append(f)
    while have < target:
        batch_articles, batch_sentences, batch_mentions, batch_figures = [], [], [], []
        for _ in range(min(500, target - have)):
            src = rng.choice(originals)
            new_id = next_article
            next_article += 1
            factor = rng.uniform(0.5, 2.0)
            batch_articles.append({**src, "id": new_id, "text_hash": f"copy-{new_id}",
                                   "title": f"{src['title']} ({new_id})"})
            sentence_map = {}
            for s in by_article.get(src["id"], []):
                sentence_map[s["id"]] = next_sentence
                varied = _scale_numbers(s["text"], factor)
                batch_sentences.append({**s, "id": next_sentence, "article_id": new_id, "text": varied})
                next_sentence += 1
            for m in mentions_of.get(src["id"], []):  # no id: the database numbers them (PostgreSQL refuses NULL)
                batch_mentions.append({**{k: v for k, v in m.items() if k != "id"},
                                       "sentence_id": sentence_map[m["sentence_id"]], "article_id": new_id})
            figure_map: dict[int, int] = {}
            for f in figures_of.get(src["id"], []):  # a conversion comes after the figure it converts
                figure_map[f["id"]] = next_figure
                batch_figures.append({**f, "id": next_figure, "sentence_id": sentence_map[f["sentence_id"]],
                                      "article_id": new_id, "value": f["value"] * factor,
                                      "conversion_of_id": figure_map.get(f["conversion_of_id"])})
                next_figure += 1
            have += 1
        with engine.begin() as conn:
            for table, rows in (("articles", batch_articles), ("sentences", batch_sentences),
                                ("mentions", batch_mentions), ("figures", batch_figures)):
                if rows:
                    cols = list(rows[0])
                    names = ", ".join(f'"{c}"' for c in cols)  # "end" and "start" are keywords
                    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES "
                                      f"({', '.join(':' + c for c in cols)})"), rows)
    with engine.begin() as conn:
        # Copies use the words of their originals: each word's article count grows with the corpus, as ingest
        # would have counted it (search and ranking read these counts).
        if have > before:
            conn.execute(text("UPDATE terms SET df = CAST(df * :ratio AS INTEGER)"), {"ratio": have / before})
        if engine.dialect.name == "postgresql":
            for table in ("articles", "sentences"):  # rows were copied with explicit ids
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
        else:
            conn.execute(text("INSERT INTO sentences_fts(sentences_fts) VALUES ('optimize')"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return have


def bench_lookups(settings: Settings, sizes: list[int], queries: int, seed_articles: int) -> list[dict[str, Any]]:
    Ingestor(settings).ingest_documents(_variants(settings, seed_articles, seed=3), progress=False)
    out = []
    for size in sorted(sizes):
        grow_corpus(settings.database_url, size)
        answerer = Answerer(settings)
        for q in QUERIES:  # warm caches: the vocabulary is loaded once per corpus change
            answerer.ask(q)
        samples = []
        for i in range(queries):
            q = QUERIES[i % len(QUERIES)]
            start = time.perf_counter()
            answerer.ask(q)
            samples.append((time.perf_counter() - start) * 1000)
        out.append({"articles": size, "queries": queries,
                    "p50_ms": round(statistics.median(samples), 2), "p99_ms": round(_percentile(samples, 0.99), 2),
                    "max_ms": round(max(samples), 2)})
    return out


def _fresh_database(server_url: str, tmp: str, name: str) -> str:
    """A new database for one part of the benchmark: a SQLite file, or a database on the PostgreSQL server."""
    if not server_url:
        return f"sqlite:///{tmp}/{name}.db"
    from sqlalchemy import create_engine, make_url

    database = f"bench_{name}_{int(time.time())}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return make_url(server_url).set(database=database).render_as_string(hide_password=False)


def _drop_database(server_url: str, url: str) -> None:
    if not server_url:
        return
    from sqlalchemy import create_engine, make_url

    engine_for(url).dispose()
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def run_bench(args: argparse.Namespace) -> int:
    base = Settings.from_env()
    server = args.database_url
    ingest: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.ingest_articles:
            ingest_settings = dataclasses.replace(base, database_url=_fresh_database(server, tmp, "ingest"))
            try:
                migrate(ingest_settings.database_url)
                ingest = bench_ingest(ingest_settings, args.ingest_articles)
            finally:
                _drop_database(server, ingest_settings.database_url)
            print(f"ingest: {json.dumps(ingest)}", flush=True)
        lookup_settings = dataclasses.replace(base, database_url=_fresh_database(server, tmp, "lookup"))
        try:
            migrate(lookup_settings.database_url)
            lookups = bench_lookups(lookup_settings, args.lookup_sizes, args.queries, seed_articles=100)
        finally:
            _drop_database(server, lookup_settings.database_url)
        for row in lookups:
            print(f"lookups: {json.dumps(row)}", flush=True)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    machine = {"python": platform.python_version(), "platform": platform.platform(),
               "cpus": __import__("os").cpu_count(), "spacy_model": base.spacy_model,
               "database": "postgresql" if server else "sqlite"}
    result = {"machine": machine, "ingest": ingest, "lookups": lookups, "peak_rss_mib": round(peak_mib, 1)}
    print(f"peak RSS: {peak_mib:.1f} MiB (pipeline loaded, articles ingested, queries answered)")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))
    return 0
