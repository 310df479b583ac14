"""Charts: what drawing a figure's history costs, and that answers without a chart pay nothing for it.

    python -m bench charts [--renders 30] [--out docs/bench-charts-results.json]

- render: one chart drawn (matplotlib's Agg backend, straight to PNG bytes) for the seed articles' series and for
  made-up series of 8 and 24 points; warm (matplotlib already loaded), p50/p95/max in ms, and the PNG's size.
- cold: in a fresh process that loaded the Slack app, importing matplotlib and drawing the first chart, with
  matplotlib's font cache already made and without it (its first run anywhere, or a read-only home), and how
  much the process's peak memory grew.
- start-up: a fresh process importing the Slack app and the CLI and building the Slack handlers' core, with
  CHARTS on and off; whether matplotlib was imported.
- per answer: showing answers that have no series in Slack (the answer found, kept and rendered as Block Kit),
  with charts on and off, interleaved in one run; and what the series costs each figure answer (`chart_points`).
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.machine import describe
from bot.answering.answers import Answerer
from bot.answering.claims import chart_points
from bot.answering.model import Answer, ArticleRef, FigureHit
from bot.charts.series import Series, series_of
from bot.reading.ingest import Ingestor
from bot.rules import load_rules
from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import migrate

CHARTED = ["cloud growth", "qwen derivatives", "ai revenue growth"]
PLAIN = ["who is the ceo", "Eddie Wu", "capex", "open source strategy", "qwen downloads", "employees", "DeepSeek"]
COLD_RUNS = 3
START_RUNS = 8

_COLD = """
import sys, time
import bot.slack.app
def peak_kib():  # this program's own high-water mark (ru_maxrss can carry the forking parent's across exec)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1])
rss0 = peak_kib()
t0 = time.perf_counter()
from bot.charts.draw import render
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
import matplotlib.backends.backend_agg
t1 = time.perf_counter()
from bench.charts import made_up
render(made_up(8))
t2 = time.perf_counter()
rss1 = peak_kib()
print(round((t1 - t0) * 1000, 1), round((t2 - t1) * 1000, 1), round((rss1 - rss0) / 1024, 1))
"""

_START = """
import sys, time
t0 = time.perf_counter()
import bot.cli, bot.slack.app
from bot.settings import Settings
from bot.rules import load_rules
from bot.answering.answers import Answerer
from bot.slack.deps import Deps
s = Settings.from_env()
Deps(s, Answerer(s, load_rules(s.seeds_dir)))
print(round((time.perf_counter() - t0) * 1000, 1), "matplotlib" in sys.modules, len(sys.modules))
"""


def made_up(points: int) -> Series:
    """A series of `points` quarters with one plan at the end, none of it from an article."""
    ref = ArticleRef(1, "Made-up report", date(2026, 1, 5), "Wire", sort_date=date(2026, 1, 5))
    figures = []
    for i in range(points):
        end = date(2020 + (i + 1) // 4, ((i + 1) % 4) * 3 + 1, 1) - timedelta(days=1)
        start = date(end.year, end.month - 2, 1)
        status = "plan" if i == points - 1 else "actual"
        hit = FigureHit(i, "money", 1e9 * (10 + i * 1.5), "USD", "", None, None, None, "", ref, "Examplecorp")
        figures.append(
            dataclasses.replace(
                hit,
                metric="quarterly revenue",
                status=status,
                period_start=start,
                period_end=end,
                period_kind="quarter",
                placed_on=end,
                entity_id=1,
            )
        )
    series = series_of(Answer(query="made up", kind="figure", series=figures))
    assert series is not None
    return series


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered) * 1000, 1),
        "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
    }


def renders(answerer: Answerer, count: int) -> dict[str, Any]:
    from bot.charts.draw import render

    series = {q: series_of(answerer.ask(q)) for q in CHARTED}
    cases = {f"“{q}” ({len(s.points)} points)": s for q, s in series.items() if s is not None}
    cases |= {"made up, 8 points": made_up(8), "made up, 24 points": made_up(24)}
    render(made_up(3))  # matplotlib loaded: the warm case
    out = {}
    for name, s in cases.items():
        times, size = [], 0
        for _ in range(count):
            started = time.perf_counter()
            size = len(render(s).png)
            times.append(time.perf_counter() - started)
        out[name] = _ms(times) | {"png_bytes": size}
    return out


def _subprocess(code: str, env: dict[str, str]) -> str:
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return run.stdout.strip().splitlines()[-1]


def cold(env: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as kept:
        for name, fresh in (("font cache made", False), ("no font cache (first run)", True)):
            imports, firsts, grown = [], [], []
            for _ in range(COLD_RUNS):
                folder = tempfile.mkdtemp(dir=kept) if fresh else kept
                a, b, c = _subprocess(_COLD, env | {"MPLCONFIGDIR": folder}).split()
                imports.append(float(a))
                firsts.append(float(b))
                grown.append(float(c))
            out[name] = {
                "import_ms": statistics.median(imports),
                "first_render_ms": statistics.median(firsts),
                "peak_rss_growth_mib": statistics.median(grown),  # over a process that loaded the Slack app
            }
    return out


def start_up(env: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    runs: dict[str, list[tuple[float, bool, int]]] = {"on": [], "off": []}
    for i in range(START_RUNS):
        for mode in ("on", "off") if i % 2 == 0 else ("off", "on"):  # neither always first
            ms, imported, modules = _subprocess(_START, env | {"CHARTS": str(mode == "on").lower()}).split()
            runs[mode].append((float(ms), imported == "True", int(modules)))
    for mode, rows in runs.items():
        out[f"charts {mode}"] = {
            "ms_p50": statistics.median(r[0] for r in rows),
            "ms_min": min(r[0] for r in rows),
            "matplotlib_imported": any(r[1] for r in rows),
            "modules": rows[0][2],
        }
    return out


def per_answer(settings: Settings, answerer: Answerer, rounds: int) -> dict[str, Any]:
    from bot.slack.deps import Deps
    from bot.slack.dispatch import Reply, show_answer

    answers = [answerer.ask(q) for q in PLAIN]
    assert all(series_of(a) is None for a in answers), "a PLAIN query now has a series"
    deps = {mode: Deps(dataclasses.replace(settings, charts=mode == "on"), answerer) for mode in ("on", "off")}
    times: dict[str, list[float]] = {"on": [], "off": []}
    sink = Reply(lambda text, blocks: None, private=True)
    for i in range(rounds):
        for mode in ("on", "off") if i % 2 == 0 else ("off", "on"):
            for a in answers:
                started = time.perf_counter()
                show_answer(deps[mode], a, sink, user="U0BENCH", channel=None, thread=None)
                times[mode].append(time.perf_counter() - started)
    figure_answers = [answerer.ask(q) for q in CHARTED + PLAIN]
    points = []
    for a in figure_answers:
        started = time.perf_counter()
        for _ in range(100):
            chart_points(a.timeline, a.claims)
        points.append((time.perf_counter() - started) / 100)
    return {
        "show answer without a series, charts on": _ms(times["on"]),
        "show answer without a series, charts off": _ms(times["off"]),
        "chart_points per figure answer, us (max)": round(max(points) * 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench charts", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--renders", type=int, default=30, help="renders timed per series")
    p.add_argument("--out", default="", help="also write the results as JSON to this file")
    args = p.parse_args(argv)
    base = Settings.from_env()
    rules = load_rules(base.seeds_dir)
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(base, database_url=f"sqlite:///{tmp}/charts.db")
        migrate(settings.database_url)
        Ingestor(settings, rules).ingest_paths([settings.seeds_dir], progress=False)
        answerer = Answerer(settings, rules)
        env = dict(os.environ) | {"DATABASE_URL": settings.database_url, "PYTHONPATH": str(PROJECT_ROOT)}
        result = {
            "machine": describe(settings.spacy_model, ""),
            "start_up": start_up(env),
            "per_answer": per_answer(settings, answerer, rounds=20),
            "render_warm": renders(answerer, args.renders),
            "cold": cold(env),
        }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
