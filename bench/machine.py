"""What a benchmark ran on, with a speed probe so runs on different days can be compared.

The machines are shared: the same code can run two or three times slower on a busy day. `cpu_probe_s` times a
fixed pure-Python loop (best of five); when two runs' probes differ, compare their ratios (100k against 10k,
ingest against the limit), not their milliseconds.
"""

from __future__ import annotations

import os
import platform
import time
from typing import Any


def cpu_probe_s(rounds: int = 5, size: int = 2_000_000) -> float:
    """Seconds for `sum(i * i for i in range(size))`, the best of `rounds` runs."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        sum(i * i for i in range(size))
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def describe(spacy_model: str, server: str) -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "spacy_model": spacy_model,
        "database": "postgresql" if server else "sqlite",
        "cpu_probe_s": cpu_probe_s(),
    }
