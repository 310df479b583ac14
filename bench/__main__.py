"""Benchmarks, one entry point: `python -m bench lookups|slack|scale|files|http|questions|charts [options]` (each
has --help)."""

from __future__ import annotations

import argparse
import sys

USAGE = """usage: python -m bench {lookups,slack,scale,files,http,questions,charts,feeds} [options]

  lookups   ingest throughput against bare nlp.pipe, lookup latency on grown corpora, peak memory
  slack     signed slash commands through the real `bot serve` and the local Slack stand-in
  scale     lookups, upload reply, ingest on both cores, serving memory, disk and cold start at 100,000 articles
  files     zip bombs, deep HTML, huge texts: memory and time per file, and uploads to `bot serve`
  http      what an unauthenticated client can cost the HTTP endpoint: memory, log bytes, time
  questions natural questions answered with and without the semantic part: accuracy, p50/p99
  charts    chart render time (warm and cold), matplotlib's import cost, and start-up and per-answer cost
            with charts on and off
  feeds     50 feeds x 50 items from a local site: time, memory, pages/s; near-duplicate check at 100,000

examples:
  python -m bench lookups --ingest-articles 120 --lookup-sizes 1000 10000 --out docs/bench-results.json
  python -m bench lookups --database-url postgresql+psycopg://postgres@127.0.0.1/postgres --lookup-sizes 10000
  python -m bench slack --articles 10000 --commands 200 --concurrency 50
  python -m bench files --out docs/bench-files-results.json
  python -m bench http --out docs/bench-http-results.json
  python -m bench scale --json --articles 100000
  python -m bench charts --out docs/bench-charts-results.json
  python -m bench feeds --out docs/bench-feeds-results.json
"""


def lookups_main(argv: list[str]) -> int:
    from dotenv import load_dotenv

    from bench.lookups import run_bench

    load_dotenv()
    p = argparse.ArgumentParser(
        prog="python -m bench lookups",
        description="ingest throughput and lookup latency",
        epilog="example: python -m bench lookups --lookup-sizes 1000 10000",
    )
    p.add_argument("--ingest-articles", type=int, default=120, help="articles for the ingest comparison")
    p.add_argument("--lookup-sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes for lookups")
    p.add_argument("--queries", type=int, default=400, help="lookups timed per corpus size")
    p.add_argument(
        "--database-url",
        default="",
        metavar="URL",
        help="run on this PostgreSQL server (postgresql+psycopg://user@host/db): the benchmark creates "
        "its own databases there and drops them; default: SQLite files in a temporary folder",
    )
    p.add_argument("--out", default="", help="also write the results as JSON to this file")
    return run_bench(p.parse_args(argv))


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "lookups":
        return lookups_main(rest)
    if command == "slack":
        from bench.slack_e2e import main as slack_main

        return slack_main(rest)
    if command == "questions":
        from bench.questions import main as questions_main

        return questions_main(rest)
    if command == "files":
        from bench.bad_files import main as files_main

        return files_main(rest)
    if command == "http":
        from bench.http_attacks import main as http_main

        return http_main(rest)
    if command == "charts":
        from bench.charts import main as charts_main

        return charts_main(rest)
    if command == "feeds":
        from bench.feeds import main as feeds_main

        return feeds_main(rest)
    if command == "scale":
        from bench.scale import main as scale_main

        return scale_main(rest)
    print(f"unknown benchmark {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
