"""Semantic model benchmark: `python -m bench.semantic` (load time, memory, encode throughput, neighbour lookups).

Results go in docs/BENCHMARKS.md ("Semantic model"). Import and load are timed in this fresh process, so run it
on its own; RSS is read from /proc (Linux).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path


def rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def corpus_words(tokenizer_vocab: dict[str, int], count: int) -> list[str]:
    """`count` distinct words: the model's whole-word tokens, then hyphenated pairs of them (as in "cost-effective")."""
    base = sorted(t for t in tokenizer_vocab if t.isalpha() and t.isascii() and len(t) > 2)
    words = base[:count]
    pairs = (f"{a}-{b}" for a, b in itertools.product(base[::7], base[::11]))
    words += list(itertools.islice(pairs, max(0, count - len(words))))
    return words


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.semantic",
        description=__doc__.split("\n")[0],
        epilog="example: python -m bench.semantic --sentences 200 --vocabulary 2000 50000",
    )
    p.add_argument("--sentences", type=int, default=200, help="sentences per encode call")
    p.add_argument("--vocabulary", type=int, nargs="+", default=[2000, 50000], help="corpus vocabulary sizes")
    p.add_argument("--repeat", type=int, default=50, help="timed calls per measure")
    args = p.parse_args(argv)
    results: dict[str, object] = {}

    start_rss = rss_mib()
    t0 = time.perf_counter()
    import numpy  # noqa: F401  (the bot has numpy loaded already, through spaCy)

    t1 = time.perf_counter()
    from bot.answering import semantic

    t2 = time.perf_counter()
    before_load = rss_mib()
    model = semantic.model()
    t3 = time.perf_counter()
    results["import numpy ms"] = ms(t1 - t0)
    results["import semantic (tokenizers) ms"] = ms(t2 - t1)
    results["model load ms"] = ms(t3 - t2)
    results["RSS added by import, MiB"] = round(before_load - start_rss, 1)
    results["RSS added by the loaded model, MiB"] = round(rss_mib() - before_load, 1)

    sentences = [
        f"The company said revenue in its unit {i} rose {i % 17} percent to {i * 3} million dollars in the quarter, "
        f"as customers in {['Asia', 'Europe', 'America'][i % 3]} bought more cloud services."
        for i in range(args.sentences)
    ]
    semantic.encode(sentences)
    times = []
    for _ in range(args.repeat):
        a = time.perf_counter()
        semantic.encode(sentences)
        times.append(time.perf_counter() - a)
    median = statistics.median(times)
    results[f"encode {args.sentences} sentences, median ms"] = ms(median)
    results["encode throughput, sentences/s"] = round(args.sentences / median)

    queries = ["staff", "released", "spending", "ceo", "cheap", "team", "growth", "partnership"]
    for size in args.vocabulary:
        words = corpus_words(model.tokenizer.get_vocab(), size)
        rss = rss_mib()
        a = time.perf_counter()
        semantic.neighbours(queries[0], words, k=10)
        results[f"neighbours, {size} words: first call (encodes them) ms"] = ms(time.perf_counter() - a)
        calls = []
        for query in itertools.islice(itertools.cycle(queries), args.repeat):
            a = time.perf_counter()
            semantic.neighbours(query, words, k=10)
            calls.append(time.perf_counter() - a)
        results[f"neighbours, {size} words: cached p50 / p99 ms"] = [
            ms(statistics.median(calls)),
            ms(percentile(calls, 0.99)),
        ]
        results[f"neighbours, {size} words: RSS added by the word cache, MiB"] = round(rss_mib() - rss, 1)
    results["RSS of the process at the end, MiB"] = round(rss_mib(), 1)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
