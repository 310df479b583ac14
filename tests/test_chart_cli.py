"""`python -m bot chart`: on the seed articles, and with one more uploaded, it writes a PNG of the answer's
series (its points in date order, the same the answer gives); with no series it exits 1 with one line and no file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.answering.answers import Answerer
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from tests.conftest import RULES, UPLOAD
from tests.test_charts import read_png
from tests.test_cli import cli


def db_path(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


def chart_json(settings: Settings, query: str, out: Path) -> dict:  # type: ignore[type-arg]
    run = cli("chart", query, "--out", str(out), "--json", db=db_path(settings))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def test_chart_draws_the_answers_series_before_and_after_an_upload(seeded_copy: Settings, tmp_path: Path) -> None:
    query = "cloud growth"
    for step in ("seeds", "upload"):
        if step == "upload":
            assert [r.status for r in Ingestor(seeded_copy, RULES).ingest_paths([UPLOAD], progress=False)] == ["new"]
        out = tmp_path / f"{step}.png"
        shown = chart_json(seeded_copy, query, out)
        width, height, texts = read_png(out.read_bytes())
        assert width >= 600 and (width, height) == (shown["width"], shown["height"])
        dates = [date.fromisoformat(p["date"]) for p in shown["points"]]
        assert len(dates) >= 2 and dates == sorted(dates)
        for p in shown["points"]:
            assert {"value", "unit", "date", "status", "article"} <= set(p)
            assert ("period" in p) != ("as_of" in p)
            assert set(p["article"]) == {"id", "title", "published"}
        # The same points, in the same order, as the answer gives.
        answer = Answerer(seeded_copy, RULES).ask(query)
        assert [(p["value"], p["article"]["id"]) for p in shown["points"]] == [
            (f.value, f.article.id) for f in answer.series
        ]
        assert [d["value"] for d in json.loads(texts["chart-data"])] == [p["value"] for p in shown["points"]]


def test_a_query_without_a_series_exits_1_with_one_line_and_no_file(seeded: Settings, tmp_path: Path) -> None:
    for query in ("who is the ceo", "zzzz qqqq"):
        out = tmp_path / "none.png"
        run = cli("chart", query, "--out", str(out), "--json", db=db_path(seeded))
        assert run.returncode == 1 and run.stdout == ""
        lines = [line for line in run.stderr.splitlines() if " INFO " not in line]
        assert len(lines) == 1 and lines[0].startswith("No chart:") and "Traceback" not in run.stderr
        assert not out.exists()


def test_chart_refuses_an_output_it_cannot_write_in_one_line(seeded: Settings, tmp_path: Path) -> None:
    for out, says in ((tmp_path / "missing" / "c.png", "no folder"), (tmp_path / "c.jpg", "PNG")):
        run = cli("chart", "cloud growth", "--out", str(out), db=db_path(seeded))
        assert run.returncode == 2 and says in run.stderr and "Traceback" not in run.stderr
        assert not out.exists()
