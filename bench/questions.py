"""Natural questions on the seed articles, answered with and without the semantic part (related words searched,
passages ranked by meaning), side by side in one process: accuracy, and lookup p50/p99.

    python -m bench questions [--out docs/bench-questions-results.json]

The questions are written for this benchmark in words the articles often do not use; each has a check of what a
right answer holds (a figure's value, a name, or words of the quoted sentence).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.answering.answers import Answerer
from bot.answering.model import Answer
from bot.reading.ingest import Ingestor
from bot.rules import Rules, load_rules
from bot.settings import Settings
from bot.store.db import migrate


def _figure(value: float) -> Callable[[Answer], bool]:
    return lambda a: any(abs(f.value - value) <= 0.005 * abs(value) for f in a.figures[:3])


def _says(*words: str) -> Callable[[Answer], bool]:
    return lambda a: all(w.lower() in a.text.lower() for w in words)


def _person(name: str) -> Callable[[Answer], bool]:
    return lambda a: a.entity is not None and a.entity.name == name


QUESTIONS: list[tuple[str, Callable[[Answer], bool]]] = [
    ("how many people does alibaba employ", _figure(200_000)),
    ("what is the size of alibaba's workforce", _figure(200_000)),
    ("how much money is alibaba putting into cloud infrastructure", _figure(380e9)),
    ("how much did alibaba commit to AI", _figure(380e9)),
    ("how many models did alibaba put out", _figure(357)),
    ("how many times have qwen models been downloaded", _figure(400e6)),
    ("how many variants of qwen have developers built", _figure(140_000)),
    ("how big is deepseek r1", _figure(671e9)),
    ("what did bytedance budget for chips", _figure(12e9)),
    ("how much is microsoft spending on data centres", _figure(80e9)),
    ("how quickly are taotian sales growing", _figure(5)),
    ("what is the revenue of the cloud business", _figure(31.742e9)),
    ("how much did alibaba's shares go up", _figure(70)),
    ("how many startups have ex-alibaba staff founded", _figure(85)),
    ("how many devices does apple have in china", _figure(250e6)),
    ("who is in charge of alibaba", _person("Eddie Wu")),
    ("who leads the international e-commerce business", _person("Jiang Fan")),
    ("who chairs alibaba", _person("Joe Tsai")),
    ("when was qwq-32b released", _says("March 6")),
    ("when did alibaba start open-sourcing qwen", _says("August 2023")),
    ("what did wu say about artificial general intelligence", _says("AGI")),
    ("what is alibaba doing with risc-v chips", _says("RISC-V")),
    ("what is the cheap model stanford trained", _says("under $50")),
    ("apple deal with alibaba", _says("Apple")),
]


def run(settings: Settings, rules: Rules) -> dict[str, Any]:
    answerer = Answerer(settings, rules)
    right, times, misses = 0, [], []
    for query, _check in QUESTIONS:
        answerer.ask(query)  # warm: vocabulary and word vectors
    for query, check in QUESTIONS:
        start = time.perf_counter()
        answer = answerer.ask(query)
        times.append((time.perf_counter() - start) * 1000)
        if check(answer):
            right += 1
        else:
            misses.append(query)
    times.sort()
    return {
        "right": right,
        "of": len(QUESTIONS),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 2),
        "missed": misses,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench questions", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--out", default="", help="also write the results as JSON to this file")
    args = p.parse_args(argv)
    base = Settings.from_env()
    rules = load_rules(base.seeds_dir)
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(base, database_url=f"sqlite:///{tmp}/questions.db")
        migrate(settings.database_url)
        Ingestor(settings, rules).ingest_paths([settings.seeds_dir])
        result = {
            "with_semantic": run(dataclasses.replace(settings, semantic_search=True), rules),
            "words_only": run(dataclasses.replace(settings, semantic_search=False), rules),
        }
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
