"""End-to-end Slack benchmark: signed slash commands to the running HTTP app, answered on a large corpus.

    python -m bench slack --articles 10000 --commands 200 --concurrency 50

Starts the local Slack stand-in (tests/slack_standin.py) and `python -m bot serve` in HTTP mode, builds the
corpus like `python -m bench lookups` does, then times each command from sending it to the moment the stand-in's
response_url receiver gets the answer. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

from bench.lookups import QUERIES, _variants, grow_corpus
from bench.machine import describe
from bot.reading.ingest import Ingestor
from bot.rules import load_rules
from bot.settings import Settings
from bot.store.db import engine_for, migrate
from tests.slack_helpers import start_bot
from tests.slack_standin import SlackStandIn


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def one_command(bot, standin: SlackStandIn, query: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    url = standin.response_url()
    start = time.perf_counter()
    reply = bot.command(query, url)
    assert reply.status == 200, reply
    ack = time.perf_counter() - start
    standin.wait_response(url, timeout=30)
    return ack * 1000, (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench slack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--commands", type=int, default=200, help="sequential commands timed one at a time")
    parser.add_argument("--concurrency", type=int, default=50, help="commands sent at once")
    parser.add_argument("--out", default="")
    parser.add_argument(
        "--corpus",
        default="",
        metavar="FILE",
        help="answer from this SQLite file (one `bench scale --keep` built) instead of building one",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.corpus) if args.corpus else Path(tmp) / "e2e.db"
        settings = dataclasses.replace(Settings.from_env(), database_url=f"sqlite:///{db}")
        migrate(settings.database_url)
        if not args.corpus:
            rules = load_rules(settings.seeds_dir)
            Ingestor(settings, rules).ingest_documents(_variants(settings, 100, seed=3), progress=False)
            grow_corpus(settings.database_url, args.articles)
        with engine_for(settings.database_url).connect() as conn:
            articles = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
        standin = SlackStandIn()
        bot = start_bot(standin, db, Path(tmp), extra_env={"LOG_LEVEL": "WARNING"})
        try:
            for q in QUERIES:  # warm up: the first lookups load the vocabulary
                one_command(bot, standin, q)
            single = [one_command(bot, standin, QUERIES[i % len(QUERIES)]) for i in range(args.commands)]
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                burst = list(
                    pool.map(lambda i: one_command(bot, standin, QUERIES[i % len(QUERIES)]), range(args.concurrency))
                )
        finally:
            bot.stop()
            standin.close()
    result = {
        "machine": describe(settings.spacy_model, ""),
        "articles": articles,
        "single": {
            "commands": len(single),
            "ack_p50_ms": round(statistics.median(a for a, _ in single), 2),
            "answer_p50_ms": round(statistics.median(t for _, t in single), 2),
            "answer_p99_ms": round(percentile([t for _, t in single], 0.99), 2),
        },
        "concurrent": {
            "commands": len(burst),
            "ack_max_ms": round(max(a for a, _ in burst), 2),
            "answer_p50_ms": round(statistics.median(t for _, t in burst), 2),
            "answer_p99_ms": round(percentile([t for _, t in burst], 0.99), 2),
            "answer_max_ms": round(max(t for _, t in burst), 2),
            "within_3s": sum(t < 3000 for _, t in burst),
        },
    }
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
