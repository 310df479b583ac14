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
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.machine import describe
from bot.answering.answers import Answerer
from bot.reading.files import RawDocument, read_path
from bot.reading.ingest import Ingestor
from bot.rules import Rules, load_rules
from bot.settings import Settings
from bot.store.db import engine_for, migrate
from bot.store.packed import pack, unpack

QUERIES = [
    "capex",
    "qwen downloads",
    "derivative models",
    "Eddie Wu",
    "Wu Yongming",
    "Tongyi Qianwen",
    "cloud revenue",
    "AI chip budget",
    "QwQ-32B parameters",
    "Amazon investment",
    "employees",
    "Tesla deliveries",
    "staff",
    "capital expenditure",
    "Joe Tsai",
    "open source strategy",
    "stock price",
    "capx",
    "how many people work there",
    "Apple partnership",
    "taotian revenue",
    "DeepSeek",
    "quarterly capex",
    "share price growth",
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


def bench_ingest(settings: Settings, rules: Rules, count: int) -> dict[str, Any]:
    from bot.reading.articles import prepare

    ingestor = Ingestor(settings, rules)
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
    return re.sub(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-])", lambda m: str(round(float(m.group(0)) * factor, 1)), sentence)


def grow_corpus(url: str, target: int, seed: int = 11) -> int:
    """Copy the articles ingested for real (with other numbers) until the database holds `target` articles.

    Copies carry every stored column (figure records: metric, status, period, placement; entity ids), and a
    converted figure keeps pointing at its copied original. On PostgreSQL the rows are copied inside the server
    (`_grow_postgres`); the same articles are copied with the same factors on both backends."""
    if engine_for(url).dialect.name == "postgresql":
        return _grow_postgres(url, target, seed)
    rng = random.Random(seed)
    engine = engine_for(url)
    real = "SELECT id FROM articles WHERE text_hash NOT LIKE 'copy-%'"
    with engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        originals = [
            dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM articles WHERE id IN ({real}) ORDER BY id"))
        ]
        sentences = [
            dict(r._mapping)
            for r in conn.execute(text(f"SELECT * FROM sentences WHERE article_id IN ({real}) ORDER BY id"))
        ]
        mentions = [
            dict(r._mapping)
            for r in conn.execute(text(f"SELECT * FROM mentions WHERE article_id IN ({real}) ORDER BY id"))
        ]
        figures = [
            dict(r._mapping)
            for r in conn.execute(text(f"SELECT * FROM figures WHERE article_id IN ({real}) ORDER BY id"))
        ]
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
            batch_articles.append(
                {**src, "id": new_id, "text_hash": f"copy-{new_id}", "title": f"{src['title']} ({new_id})"}
            )
            sentence_map = {}
            for s in by_article.get(src["id"], []):
                sentence_map[s["id"]] = next_sentence
                varied = pack(_scale_numbers(str(unpack(s["text"])), factor))  # stored packed (bot/store/packed.py)
                batch_sentences.append({**s, "id": next_sentence, "article_id": new_id, "text": varied})
                next_sentence += 1
            for m in mentions_of.get(src["id"], []):  # no id: the database numbers them
                batch_mentions.append(
                    {
                        **{k: v for k, v in m.items() if k != "id"},
                        "sentence_id": sentence_map[m["sentence_id"]],
                        "article_id": new_id,
                    }
                )
            figure_map: dict[int, int] = {}
            for f in figures_of.get(src["id"], []):  # a conversion comes after the figure it converts
                figure_map[f["id"]] = next_figure
                batch_figures.append(
                    {
                        **f,
                        "id": next_figure,
                        "sentence_id": sentence_map[f["sentence_id"]],
                        "article_id": new_id,
                        "value": f["value"] * factor,
                        "conversion_of_id": figure_map.get(f["conversion_of_id"]),
                    }
                )
                next_figure += 1
            have += 1
        with engine.begin() as conn:
            for table, rows in (
                ("articles", batch_articles),
                ("sentences", batch_sentences),
                ("mentions", batch_mentions),
                ("figures", batch_figures),
            ):
                if rows:
                    cols = list(rows[0])
                    names = ", ".join(f'"{c}"' for c in cols)  # "end" and "start" are keywords
                    conn.execute(
                        text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + c for c in cols)})"), rows
                    )
    with engine.begin() as conn:
        # Copies use the words of their originals: each word's article count grows with the corpus, as ingest
        # would have counted it (search and ranking read these counts).
        if have > before:
            conn.execute(text("UPDATE terms SET df = CAST(df * :ratio AS INTEGER)"), {"ratio": have / before})
        conn.execute(text("INSERT INTO sentences_fts(sentences_fts) VALUES ('optimize')"))
        conn.execute(text("ANALYZE"))
    return have


# PostgreSQL: the copies as one table (which article, which factor, where its sentence and figure ids start),
# then one INSERT ... SELECT per stored table, in the server. A sentence's text is kept split around its numbers
# (split in Python by `_NUMBER`, as `_scale_numbers` does), and the server joins the pieces with the numbers
# scaled by the copy's factor.
_NUMBER = re.compile(r"(?<![\w.-])(\d+(?:\.\d+)?)(?![\w-])")
_PG_BATCH = 5_000


def _columns(conn: Any, table: str) -> list[str]:
    names = conn.execute(text(f"SELECT * FROM {table} LIMIT 0")).keys()
    return [str(c) for c in names if c != "search_vector"]


def _grow_postgres(url: str, target: int, seed: int) -> int:
    rng = random.Random(seed)
    engine = engine_for(url)
    real = "SELECT id FROM articles WHERE text_hash NOT LIKE 'copy-%'"
    with engine.begin() as conn:
        have = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
        before = have
        originals = [int(r[0]) for r in conn.execute(text(f"{real} ORDER BY id"))]
        sentence_counts: dict[int, int] = dict(
            conn.execute(
                text(f"SELECT article_id, count(*) FROM sentences WHERE article_id IN ({real}) GROUP BY article_id")
            ).all()
        )
        figure_counts: dict[int, int] = dict(
            conn.execute(
                text(f"SELECT article_id, count(*) FROM figures WHERE article_id IN ({real}) GROUP BY article_id")
            ).all()
        )
        pieces = [
            (int(sid), _NUMBER.split(t))
            for sid, t in conn.execute(text(f"SELECT id, text FROM sentences WHERE article_id IN ({real})"))
        ]
        next_article = int(conn.execute(text("SELECT max(id) FROM articles")).scalar_one()) + 1
        next_sentence = int(conn.execute(text("SELECT max(id) FROM sentences")).scalar_one()) + 1
        next_figure = int(conn.execute(text("SELECT coalesce(max(id), 0) FROM figures")).scalar_one()) + 1
        article_cols = _columns(conn, "articles")
        mention_cols = _columns(conn, "mentions")
        figure_cols = _columns(conn, "figures")
    # Source rows numbered within their article (the n-th sentence of the source is the n-th of each copy).
    source_sentences = (
        f"SELECT s.*, row_number() OVER (PARTITION BY s.article_id ORDER BY s.id) - 1 AS n "
        f"FROM sentences s WHERE s.article_id IN ({real})"
    )
    source_figures = (
        f"SELECT f.*, row_number() OVER (PARTITION BY f.article_id ORDER BY f.id) - 1 AS n "
        f"FROM figures f WHERE f.article_id IN ({real})"
    )
    with engine.connect() as conn:
        conn.execute(
            text(
                "CREATE TEMP TABLE grow_pieces (sentence_id bigint PRIMARY KEY, parts text[], "
                "numbers float8[]) ON COMMIT PRESERVE ROWS"
            )
        )
        conn.execute(
            text("INSERT INTO grow_pieces VALUES (:sid, :parts, :numbers)"),
            [
                {"sid": sid, "parts": parts[0::2], "numbers": [float(x) for x in parts[1::2]]}
                for sid, parts in pieces
                if len(parts) > 1
            ],
        )
        conn.execute(
            text(
                "CREATE TEMP TABLE grow_copies (id bigint PRIMARY KEY, source bigint, factor float8, "
                "first_sentence bigint, first_figure bigint) ON COMMIT PRESERVE ROWS"
            )
        )
        while have < target:
            copies = []
            for _ in range(min(_PG_BATCH, target - have)):
                src = rng.choice(originals)
                factor = rng.uniform(0.5, 2.0)
                copies.append(
                    {
                        "id": next_article,
                        "source": src,
                        "factor": factor,
                        "first_sentence": next_sentence,
                        "first_figure": next_figure,
                    }
                )
                next_article += 1
                next_sentence += sentence_counts.get(src, 0)
                next_figure += figure_counts.get(src, 0)
                have += 1
            conn.execute(text("TRUNCATE grow_copies"))
            conn.execute(
                text(
                    "INSERT INTO grow_copies SELECT * FROM unnest(CAST(:ids AS bigint[]), "
                    "CAST(:sources AS bigint[]), CAST(:factors AS float8[]), CAST(:sentences AS bigint[]), "
                    "CAST(:figures AS bigint[]))"
                ),
                {
                    "ids": [c["id"] for c in copies],
                    "sources": [c["source"] for c in copies],
                    "factors": [c["factor"] for c in copies],
                    "sentences": [c["first_sentence"] for c in copies],
                    "figures": [c["first_figure"] for c in copies],
                },
            )
            _insert_copies(conn, article_cols, mention_cols, figure_cols, source_sentences, source_figures)
            conn.commit()
        conn.execute(text("DROP TABLE grow_copies"))
        conn.execute(text("DROP TABLE grow_pieces"))
        for table in ("articles", "sentences", "figures"):  # rows were copied with explicit ids
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
        if have > before:  # as on SQLite: article counts of words grow with the copies
            conn.execute(text("UPDATE terms SET df = CAST(df * :ratio AS INTEGER)"), {"ratio": have / before})
        conn.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return have


def _insert_copies(
    conn: Any,
    article_cols: list[str],
    mention_cols: list[str],
    figure_cols: list[str],
    source_sentences: str,
    source_figures: str,
) -> None:
    def quoted(cols: list[str]) -> str:
        return ", ".join(f'"{c}"' for c in cols)

    mapped = {"id": "c.id", "text_hash": "'copy-' || c.id", "title": "a.title || ' (' || c.id || ')'"}
    conn.execute(
        text(
            f"INSERT INTO articles ({quoted(article_cols)}) SELECT "
            + ", ".join(mapped.get(col, f'a."{col}"') for col in article_cols)
            + " FROM grow_copies c JOIN articles a ON a.id = c.source ORDER BY c.id"
        )
    )
    # Python's str(round(x, 1)) writes the scaled numbers: one decimal, "12.0" for whole numbers.
    varied = (
        "CASE WHEN p.parts IS NULL THEN s.text ELSE (SELECT string_agg(p.parts[i] || coalesce("
        "round(CAST(p.numbers[i] * c.factor AS numeric), 1)::text, ''), '' ORDER BY i) "
        "FROM generate_subscripts(p.parts, 1) AS i) END"
    )
    conn.execute(
        text(
            f'INSERT INTO sentences (id, article_id, position, start, "end", text) '
            f'SELECT c.first_sentence + s.n, c.id, s.position, s.start, s."end", {varied} '
            f"FROM grow_copies c JOIN ({source_sentences}) s ON s.article_id = c.source "
            f"LEFT JOIN grow_pieces p ON p.sentence_id = s.id ORDER BY 1"
        )
    )
    mapped = {"sentence_id": "c.first_sentence + s.n", "article_id": "c.id"}
    cols = [col for col in mention_cols if col != "id"]
    conn.execute(
        text(
            f"INSERT INTO mentions ({quoted(cols)}) SELECT "
            + ", ".join(mapped.get(col, f'm."{col}"') for col in cols)
            + f" FROM grow_copies c JOIN mentions m ON m.article_id = c.source "
            f"JOIN ({source_sentences}) s ON s.id = m.sentence_id ORDER BY c.id, m.id"
        )
    )
    mapped = {
        "id": "c.first_figure + f.n",
        "sentence_id": "c.first_sentence + s.n",
        "article_id": "c.id",
        "value": "f.value * c.factor",
        "conversion_of_id": "c.first_figure + o.n",
    }
    conn.execute(
        text(
            f"INSERT INTO figures ({quoted(figure_cols)}) SELECT "
            + ", ".join(mapped.get(col, f'f."{col}"') for col in figure_cols)
            + f" FROM grow_copies c JOIN ({source_figures}) f ON f.article_id = c.source "
            f"JOIN ({source_sentences}) s ON s.id = f.sentence_id "
            f"LEFT JOIN ({source_figures}) o ON o.id = f.conversion_of_id AND o.article_id = f.article_id "
            f"ORDER BY 1"
        )
    )


def bench_lookups(
    settings: Settings, rules: Rules, sizes: list[int], queries: int, seed_articles: int
) -> list[dict[str, Any]]:
    Ingestor(settings, rules).ingest_documents(_variants(settings, seed_articles, seed=3), progress=False)
    out = []
    for size in sorted(sizes):
        grow_corpus(settings.database_url, size)
        answerer = Answerer(settings, rules)
        for q in QUERIES:  # warm caches: the vocabulary is loaded once per corpus change
            answerer.ask(q)
        samples = []
        for i in range(queries):
            q = QUERIES[i % len(QUERIES)]
            start = time.perf_counter()
            answerer.ask(q)
            samples.append((time.perf_counter() - start) * 1000)
        out.append(
            {
                "articles": size,
                "queries": queries,
                "p50_ms": round(statistics.median(samples), 2),
                "p99_ms": round(_percentile(samples, 0.99), 2),
                "max_ms": round(max(samples), 2),
            }
        )
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
    rules = load_rules(base.seeds_dir)
    server = args.database_url
    ingest: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.ingest_articles:
            ingest_settings = dataclasses.replace(base, database_url=_fresh_database(server, tmp, "ingest"))
            try:
                migrate(ingest_settings.database_url)
                ingest = bench_ingest(ingest_settings, rules, args.ingest_articles)
            finally:
                _drop_database(server, ingest_settings.database_url)
            print(f"ingest: {json.dumps(ingest)}", flush=True)
        lookup_settings = dataclasses.replace(base, database_url=_fresh_database(server, tmp, "lookup"))
        try:
            migrate(lookup_settings.database_url)
            lookups = bench_lookups(lookup_settings, rules, args.lookup_sizes, args.queries, seed_articles=100)
        finally:
            _drop_database(server, lookup_settings.database_url)
        for row in lookups:
            print(f"lookups: {json.dumps(row)}", flush=True)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    machine = describe(base.spacy_model, server)
    result = {"machine": machine, "ingest": ingest, "lookups": lookups, "peak_rss_mib": round(peak_mib, 1)}
    print(f"peak RSS: {peak_mib:.1f} MiB (pipeline loaded, articles ingested, queries answered)")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))
    return 0
