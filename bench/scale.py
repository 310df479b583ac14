"""Scale benchmark: lookups, the upload reply, ingest on both cores, serving memory, disk and a cold start at
100,000 articles, each beside its target.

    python -m bench scale --json --articles 100000
    python -m bench scale --json --database-url postgresql+psycopg://user@host:5432/postgres

With `--database-url` every part runs on that PostgreSQL server, each on a database of its own that is dropped at
the end; the disk is then the tables' and indexes' size (pg_total_relation_size) per article.

A few hundred variants of the seed articles are ingested for real (on worker processes, as `bot ingest` does),
then their stored rows are copied with other numbers (`bench.lookups.grow_corpus`) to 10,000 and to `--articles`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.lookups import QUERIES, _drop_database, _fresh_database, _percentile, _variants, grow_corpus
from bench.machine import describe
from bot.rules import Rules, load_rules
from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import engine_for, migrate

# Figures, entities, passages, nothing, and questions in people's own words.
SCALE_QUERIES = [
    *QUERIES,
    "how much did alibaba pledge for AI",
    "who runs the e-commerce business",
    "when did qwen3 launch",
    "what did alibaba say about open source",
    "weather in Lisbon",
    "Zorblat Quantum",
    "Daniel Zhang",
    "cloud growth last quarter",
    "AI spending plan",
    "data center investment",
    "how many downloads does qwen have",
]

TARGETS: dict[str, tuple[str, float]] = {
    "lookup_p50_ms": ("<=", 15),
    "lookup_p99_ms": ("<=", 50),
    "lookup_p99_ratio_100k_vs_10k": ("<=", 1.5),
    "upload_reply_s_100": ("<=", 1),
    "upload_reply_s_100k": ("<=", 1),
    "ingest_ratio_vs_limit": (">=", 0.8),
    "serve_rss_mib": ("<=", 150),
    "disk_kb_per_article": ("<=", 15),
    "cold_ask_s": ("<=", 1.5),
}


def bench_ingest(
    settings: Settings, rules: Rules, count: int, rounds: int, tmp: Path, server: str = ""
) -> dict[str, Any]:
    """Ingest against the 2-core limit: `nlp.pipe` with the same components, worker processes and batches, on the
    same texts; interleaved rounds, each ingest on a fresh database (a SQLite file, or one on `server`)."""
    from bot.reading.articles import prepare
    from bot.reading.ingest import Ingestor
    from bot.reading.parse_pool import parse_plan

    first = dataclasses.replace(settings, database_url=f"sqlite:///{tmp}/ingest-first.db")
    migrate(first.database_url)
    ingestor = Ingestor(first, rules)
    docs = _variants(settings, count, seed=17)
    texts = [prepare(d, ingestor.rules).text for _, d in docs]
    processes, batch_size = parse_plan(count)
    list(ingestor.nlp.pipe(texts[:8]))  # warm up
    bare, full = [], []
    for r in range(rounds):
        start = time.perf_counter()
        for _ in ingestor.nlp.pipe(texts, batch_size=batch_size, n_process=processes):
            pass
        bare.append(time.perf_counter() - start)
        target = dataclasses.replace(settings, database_url=_fresh_database(server, str(tmp), f"ingest_{r}"))
        try:
            migrate(target.database_url)
            ingestor = Ingestor(target, rules)
            start = time.perf_counter()
            results = ingestor.ingest_documents(list(docs), progress=False)
            full.append(time.perf_counter() - start)
        finally:
            _drop_database(server, target.database_url)
        assert all(x.status == "new" for x in results), [x.reason for x in results if x.status != "new"][:3]
    return {
        "articles": count,
        "processes": processes,
        "components": list(ingestor.nlp.pipe_names),
        "limit_articles_per_s": round(count / statistics.median(bare), 2),
        "ingest_articles_per_s": round(count / statistics.median(full), 2),
        "ratio": round(statistics.median(bare) / statistics.median(full), 3),
    }


class Uploads:
    """The Slack upload reply (`add_article`: ingest of one article, then what it changed), on fresh variants."""

    def __init__(self, settings: Settings, rules: Rules) -> None:
        from bot.reading.ingest import Ingestor

        self.settings = settings
        self.ingestor = Ingestor(settings, rules)
        seeds = sorted(Path(settings.seeds_dir).glob("*.txt"))
        # The seed nearest 1,300 tokens stands for a typical article.
        self.sizes = seeds
        sized = [(abs(len(self.ingestor.nlp.make_doc(p.read_text())) - 1300), p) for p in seeds]
        self.source = min(sized)[1]
        self.index = seeds.index(self.source)
        self.tokens = len(self.ingestor.nlp.make_doc(self.source.read_text()))
        self.counter = 0

    def _one(self) -> tuple[float, int]:
        from bot.slack.uploads import add_article

        self.counter += 1
        count = self.index + 1 + len(self.sizes) * self.counter
        doc = _variants(self.settings, count, seed=900 + self.counter)[-1][1]
        body = doc.text.replace("This is corpus article", "Upload number") + f" Upload {self.counter}."
        start = time.perf_counter()
        outcome = add_article(
            self.ingestor, self.settings, body.encode(), f"upload-{self.counter}.txt", added_by="UBENCH"
        )
        elapsed = time.perf_counter() - start
        assert outcome.ok, outcome.message
        return elapsed, len(outcome.changes)

    def measure(self, times: int = 5) -> dict[str, Any]:
        self._one()  # warm up
        samples = [self._one() for _ in range(times)]
        tracemalloc.start()
        self._one()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {
            "reply_s": round(statistics.median(s for s, _ in samples), 3),
            "tokens": self.tokens,
            "changes_reported": max(c for _, c in samples),
            "peak_traced_mib": round(peak / 2**20, 1),
        }


def bench_lookups(settings: Settings, rules: Rules, queries: int) -> dict[str, Any]:
    from bot.answering.answers import Answerer

    answerer = Answerer(settings, rules)
    kinds: dict[str, int] = {}
    for q in SCALE_QUERIES:  # warm up: the vocabulary is read once per corpus change
        kind = answerer.ask(q).kind
        kinds[kind] = kinds.get(kind, 0) + 1
    samples = []
    for i in range(queries):
        start = time.perf_counter()
        answerer.ask(SCALE_QUERIES[i % len(SCALE_QUERIES)])
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p99_ms": round(_percentile(samples, 0.99), 2),
        "max_ms": round(max(samples), 2),
        "kinds": kinds,
    }


def disk_use(url: str) -> dict[str, Any]:
    if engine_for(url).dialect.name == "postgresql":
        return postgres_disk_use(url)
    path = url.removeprefix("sqlite:///")
    with engine_for(url).begin() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        try:
            tables = {
                str(name): round(size / 1024 / articles, 2)
                for name, size in conn.execute(
                    text("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12")
                )
            }
        except Exception:  # SQLite built without dbstat
            tables = {}
    return {"kb_per_article": round(os.path.getsize(path) / 1024 / articles, 2), "by_table_kb": tables}


def postgres_disk_use(url: str) -> dict[str, Any]:
    """Each table's heap, TOAST and indexes (pg_total_relation_size), after a VACUUM, per article."""
    engine = engine_for(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM"))
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        sizes = {
            str(name): int(size)
            for name, size in conn.execute(
                text(
                    "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' "
                    "AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC"
                )
            )
        }
    tables = {name: round(size / 1024 / articles, 2) for name, size in list(sizes.items())[:12]}
    return {"kb_per_article": round(sum(sizes.values()) / 1024 / articles, 2), "by_table_kb": tables}


def cold_ask(settings: Settings, times: int = 3) -> float:
    env = dict(os.environ, DATABASE_URL=settings.database_url, SEEDS_DIR=str(settings.seeds_dir))
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "capex"], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True
        )
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples), 3)


def serve_memory(url: str, tmp: Path, commands: int) -> dict[str, Any]:
    """Peak RSS of `python -m bot serve` after `commands` varied slash commands over HTTP (local stand-in)."""
    from bench.slack_e2e import one_command
    from tests.slack_helpers import start_bot
    from tests.slack_standin import SlackStandIn

    standin = SlackStandIn()
    db = Path(url.removeprefix("sqlite:///"))  # the URL is what the bot is given; a path only names it
    bot = start_bot(standin, db, tmp, extra_env={"LOG_LEVEL": "WARNING", "DATABASE_URL": url})
    try:
        answer_ms = [one_command(bot, standin, SCALE_QUERIES[i % len(SCALE_QUERIES)])[1] for i in range(commands)]
        status = Path(f"/proc/{bot.proc.pid}/status").read_text()
        maps = Path(f"/proc/{bot.proc.pid}/maps").read_text()
    finally:
        bot.stop()
        standin.close()
    peak_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return {
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "commands": commands,
        "answer_p50_ms": round(statistics.median(answer_ms), 1),
        "spacy_loaded": "/spacy/" in maps,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    base = Settings.from_env()
    server = args.database_url
    out: dict[str, Any] = {"machine": describe(base.spacy_model, server)}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.keep and not server:
            url = f"sqlite:///{Path(args.keep).resolve()}"
        else:
            url = _fresh_database(server, tmp_name, "scale")
        try:
            _run(args, dataclasses.replace(base, database_url=url), server, tmp, out)
        finally:
            _drop_database(server, url)
    out.update(
        {
            "articles": args.articles,
            "lookup_p50_ms": out["lookups"]["p50_ms"],
            "lookup_p99_ms": out["lookups"]["p99_ms"],
            "lookup_p99_ms_10k": out["lookups_10k"]["p99_ms"],
            "lookup_p99_ratio_100k_vs_10k": round(out["lookups"]["p99_ms"] / out["lookups_10k"]["p99_ms"], 2),
            "upload_reply_s_100": out["upload_100"]["reply_s"],
            "upload_reply_s_100k": out["upload_big"]["reply_s"],
            "ingest_ratio_vs_limit": out["ingest"]["ratio"],
            "serve_rss_mib": out["serve"]["peak_rss_mib"],
            "disk_kb_per_article": out["disk"]["kb_per_article"],
        }
    )
    return out


def _run(args: argparse.Namespace, settings: Settings, server: str, tmp: Path, out: dict[str, Any]) -> None:
    from bot.reading.ingest import Ingestor

    rules = load_rules(settings.seeds_dir)
    started = time.perf_counter()
    ingest = bench_ingest(settings, rules, args.ingest_articles, args.ingest_rounds, tmp, server)
    out["ingest"] = ingest
    _say(args, f"ingest: {json.dumps(ingest)}")
    migrate(settings.database_url)
    Ingestor(settings, rules).ingest_documents(_variants(settings, 100, seed=3), progress=False)
    uploads = Uploads(settings, rules)
    out["upload_100"] = uploads.measure()
    _say(args, f"upload at 100: {json.dumps(out['upload_100'])}")
    Ingestor(settings, rules).ingest_documents(_variants(settings, args.seed_articles - 100, seed=4), progress=False)
    build = time.perf_counter()
    grow_corpus(settings.database_url, min(10_000, args.articles))
    out["corpus_build_s_10k"] = round(time.perf_counter() - build, 1)
    out["lookups_10k"] = bench_lookups(settings, rules, args.queries)
    _say(args, f"lookups at 10k: {json.dumps(out['lookups_10k'])}")
    grow = time.perf_counter()
    grow_corpus(settings.database_url, args.articles)
    out["corpus_build_s"] = round(out["corpus_build_s_10k"] + time.perf_counter() - grow, 1)
    _say(args, f"corpus built in {out['corpus_build_s']} s")
    out["lookups"] = bench_lookups(settings, rules, args.queries)
    _say(args, f"lookups at {args.articles}: {json.dumps(out['lookups'])}")
    out["disk"] = disk_use(settings.database_url)
    _say(args, f"disk: {json.dumps(out['disk'])}")
    out["upload_big"] = uploads.measure()
    _say(args, f"upload at {args.articles}: {json.dumps(out['upload_big'])}")
    out["cold_ask_s"] = cold_ask(settings)
    out["serve"] = serve_memory(settings.database_url, tmp, args.commands)
    _say(args, f"serve: {json.dumps(out['serve'])}")
    out["total_s"] = round(time.perf_counter() - started, 1)


def _say(args: argparse.Namespace, line: str) -> None:
    if not args.json:
        print(line, flush=True)


def table(result: dict[str, Any]) -> str:
    rows = [f"{'measure':32s} {'value':>10s}  target", "-" * 56]
    for key, (op, target) in TARGETS.items():
        value = result[key]
        met = value <= target if op == "<=" else value >= target
        rows.append(f"{key:32s} {value:>10}  {op} {target:g}  {'ok' if met else 'MISSED'}")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench scale", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size for the big measurements")
    parser.add_argument("--json", action="store_true", help="print one JSON object and nothing else")
    parser.add_argument("--seed-articles", type=int, default=300, help="variants ingested for real")
    parser.add_argument("--ingest-articles", type=int, default=120, help="articles for the ingest comparison")
    parser.add_argument("--ingest-rounds", type=int, default=2)
    parser.add_argument("--queries", type=int, default=400, help="lookups timed per corpus size")
    parser.add_argument("--commands", type=int, default=500, help="slash commands sent to `bot serve`")
    parser.add_argument("--keep", default="", help="build the corpus in this SQLite file and keep it")
    parser.add_argument(
        "--database-url",
        default="",
        help="run on this PostgreSQL server (postgresql+psycopg://…), on databases created and dropped here",
    )
    parser.add_argument("--out", default="", help="also write the JSON to this file")
    args = parser.parse_args(argv)
    result = run(args)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result) if args.json else table(result))
    return 0
