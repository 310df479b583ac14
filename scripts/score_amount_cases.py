"""Score the amount reader on a case file (tests/fixtures/amounts/build.yml or check.yml): precision, recall, F1.

Each case's sentence becomes a one-sentence article (a title, a date line, the sentence), the articles are ingested
into a fresh SQLite database with `python -m bot ingest` and read back with `python -m bot figures --json`, the way
the bot reads any article. A figure matches an expected one with the same unit (an ISO 4217 code, "%", "pp", or
"count": anything that is neither money nor a percentage) and a value within 0.5%, compared as magnitudes.
Every figure of a case's sentence counts: the cases list all of them.

    python scripts/score_amount_cases.py tests/fixtures/amounts/build.yml [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def unit_kind(unit: str | None) -> str:
    u = (unit or "").strip()
    if re.fullmatch(r"[A-Z]{3}", u):
        return u
    if u in ("%", "pp"):
        return u
    return "count"


def matches(expected: tuple[float, str], value: float | None, unit: str | None) -> bool:
    want, want_unit = expected
    if value is None or unit_kind(unit) != want_unit:
        return False
    return abs(abs(float(value)) - abs(want)) <= 0.005 * max(abs(want), 1e-9)


def bot(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"python -m bot {args[0]} failed:\n{proc.stderr[-2000:]}")
    return proc.stdout


def read_figures(cases: list[dict], folder: Path) -> dict[str, list[dict]]:
    """The figures the bot records for each case, by case file name."""
    articles = folder / "articles"
    articles.mkdir()
    for n, case in enumerate(cases):
        (articles / f"case-{n:03d}.txt").write_text(f"Business briefing\n\nMay 5, 2025\n\n{case['s']}\n", "utf-8")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'cases.db'}", PYTHONPATH=str(ROOT))
    bot(["migrate"], env)
    bot(["ingest", str(articles)], env)
    found: dict[str, list[dict]] = {}
    for line in bot(["figures", "--json"], env).splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            name = Path((record.get("article") or {}).get("filename") or "").name
            found.setdefault(name, []).append(record)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true", help="show every miss and extra figure")
    a = ap.parse_args()
    cases = yaml.safe_load(a.cases.read_text("utf-8"))["cases"]
    with tempfile.TemporaryDirectory() as tmp:
        found = read_figures(cases, Path(tmp))
    tp = n_expected = n_found = 0
    for n, case in enumerate(cases):
        records = found.get(f"case-{n:03d}.txt", [])
        expected = [(float(v), str(u)) for v, u in case["e"]]
        used: set[int] = set()
        missed = []
        for e in expected:
            hit = next(
                (i for i, r in enumerate(records) if i not in used and matches(e, r.get("value"), r.get("unit"))),
                None,
            )
            if hit is None:
                missed.append(e)
            else:
                used.add(hit)
        extra = [r for i, r in enumerate(records) if i not in used]
        tp += len(expected) - len(missed)
        n_expected += len(expected)
        n_found += len(records)
        if a.verbose and (missed or extra):
            got = ", ".join(f"{r.get('value'):g} {r.get('unit')}" for r in records) or "-"
            print(f"{case['s']}\n    expected {expected} | got {got}")
    precision = tp / n_found if n_found else 1.0
    recall = tp / n_expected if n_expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        json.dumps(
            {
                "cases": len(cases),
                "expected": n_expected,
                "found": n_found,
                "tp": tp,
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(f1, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
