"""Charts of a figure's history: the answer carries its series in date order (with conflicts and plans beside it),
the chart draws exactly that series (checked on the data behind the picture, not its pixels), the PNG is valid
and readable at Slack's preview size, and nothing draws or imports matplotlib until a chart is asked for."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path

import pytest

from bot.answering.figure_select import figure_answer
from bot.answering.model import Answer, ArticleRef, FigureHit
from bot.charts.cache import Charts
from bot.charts.series import MAX_ALT, series_of
from bot.settings import PROJECT_ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def article(i: int, published: date | None, source: str | None = None) -> ArticleRef:
    return ArticleRef(i, f"Report number {i}", published, source, sort_date=published)


def figure(
    i: int,
    value: float,
    start: date,
    end: date,
    *,
    status: str = "actual",
    metric: str = "quarterly sales growth",
    score: float = 1.0,
    source: ArticleRef | None = None,
) -> FigureHit:
    return FigureHit(
        i,
        "percent",
        value,
        "%",
        f"{value:g}%",
        None,
        None,
        None,
        f"Sales grew {value:g}%.",
        source or article(i, date(2026, 3, 1), "Wire"),
        "Examplecorp Cloud",
        score=score,
        entity_id=7,
        sentence_id=i,
        metric=metric,
        status=status,
        period_start=start,
        period_end=end,
        period_kind="quarter",
        placed_on=end,
    )


def quarter(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def answer_of(figures: list[FigureHit]) -> Answer:
    return figure_answer(Answer(query="examplecorp cloud growth", kind="none"), figures)


def history() -> list[FigureHit]:
    """Three reported quarters (best first: the newest), another source's amount for the middle one, a plan for
    a later quarter, and another measure that must stay out of the chart."""
    return [
        figure(1, 30.0, *quarter(2025, 3), score=5),
        figure(2, 12.0, *quarter(2025, 1), score=4),
        figure(3, 21.0, *quarter(2025, 2), score=3.5),
        figure(4, 24.0, *quarter(2025, 2), score=3, source=article(9, date(2026, 2, 1), "Daily")),
        figure(5, 40.0, *quarter(2026, 1), status="plan", score=2.5),
        figure(6, 55.0, *quarter(2025, 4), metric="gross margin", score=2),
    ]


def test_the_answer_carries_its_series_in_date_order_with_conflicts_and_plans() -> None:
    answer = answer_of(history())
    assert [(f.id, f.placed_on) for f in answer.series] == [
        (2, date(2025, 3, 31)),
        (3, date(2025, 6, 30)),
        (4, date(2025, 6, 30)),  # the other source's amount for the same quarter, after the step it conflicts with
        (1, date(2025, 9, 30)),
        (5, date(2026, 3, 31)),  # the plan, apart from the reported line
    ]
    # The timeline (the "changed over time" line) holds only the reported steps, newest first.
    assert [c.lead.id for c in answer.timeline] == [1, 3, 2]


def test_one_figure_is_no_series() -> None:
    answer = answer_of([figure(1, 30.0, *quarter(2025, 3))])
    assert answer.series == [] and series_of(answer) is None


def read_png(png: bytes) -> tuple[int, int, dict[str, str]]:
    """Width, height and text chunks of a PNG, each chunk's CRC checked."""
    assert png[:8] == PNG_SIGNATURE
    pos, texts, size = 8, {}, (0, 0)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            texts[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            texts[key.decode("latin-1")] = rest[2:].split(b"\0", 2)[2].decode()
        pos += 12 + length
    assert kind == b"IEND"
    return size[0], size[1], texts


def test_the_chart_draws_exactly_the_series() -> None:
    series = series_of(answer_of(history()))
    assert series is not None
    chart = Charts().chart(series)
    width, height, texts = read_png(chart.png)
    assert (width, height) == (chart.width, chart.height) and width >= 600
    drawn = json.loads(texts["chart-data"])
    assert drawn == chart.drawn
    assert (
        [(d["date"], d["value"]) for d in drawn]
        == [(p.date.isoformat(), p.value) for p in series.points]
        == [
            ("2025-03-31", 12.0),
            ("2025-06-30", 21.0),
            ("2025-06-30", 24.0),
            ("2025-09-30", 30.0),
            ("2026-03-31", 40.0),
        ]
    )
    assert [d["hollow"] for d in drawn] == [False, False, False, False, True]  # the plan is drawn hollow
    assert [d["conflict"] for d in drawn] == [False, False, True, False, False]


def test_the_picture_is_opaque_so_it_looks_the_same_on_light_and_dark_themes() -> None:
    import io

    from PIL import Image

    series = series_of(answer_of(history()))
    assert series is not None
    image = Image.open(io.BytesIO(Charts().chart(series).png)).convert("RGBA")
    assert image.getchannel("A").getextrema() == (255, 255)  # nothing of Slack's background shows through
    assert image.getpixel((2, 2)) == (255, 255, 255, 255)


def test_the_answer_json_carries_the_series() -> None:
    shown = answer_of(history()).as_dict()["series"]
    assert [(p["value"], p["date"], p["status"]) for p in shown] == [
        (12.0, "2025-03-31", "actual"),
        (21.0, "2025-06-30", "actual"),
        (24.0, "2025-06-30", "actual"),
        (30.0, "2025-09-30", "actual"),
        (40.0, "2026-03-31", "plan"),
    ]


def test_caption_and_alt_text_name_the_unit_sources_and_every_point() -> None:
    series = series_of(answer_of(history()))
    assert series is not None
    assert series.caption.startswith("Unit: %. Sources: ")
    assert "Wire, 2026-03-01" in series.caption and "Daily, 2026-02-01" in series.caption
    alt = series.alt_text
    for value, when in (("12%", "Jan–Mar 2025"), ("21%", "Apr–Jun 2025"), ("24%", "Apr–Jun 2025"), ("40%", "2026")):
        assert value in alt and when.split()[-1] in alt
    assert "40% for Jan–Mar 2026, plan" in alt
    assert "24% for Apr–Jun 2025, another source's amount for the same period" in alt
    assert len(alt) <= MAX_ALT


def test_a_long_series_keeps_every_point_in_its_alt_text() -> None:
    figures = [figure(i, float(i), *quarter(2000 + i // 4, i % 4 + 1), score=100 - i) for i in range(1, 60)]
    answer = Answer(query="q", kind="figure", series=figures)
    series = series_of(answer)
    assert series is not None
    assert len(series.alt_text) <= MAX_ALT and series.alt_text.count("%") >= 30


def test_a_chart_is_drawn_once_per_series_version() -> None:
    charts = Charts()
    first = series_of(answer_of(history()))
    assert first is not None
    assert charts.chart(first) is charts.chart(first) and charts.rendered == 1
    changed = history()
    changed[1] = figure(2, 13.0, *quarter(2025, 1), score=4)
    second = series_of(answer_of(changed))
    assert second is not None and second.version != first.version
    charts.chart(second)
    assert charts.rendered == 2


def test_no_matplotlib_until_a_chart_is_drawn_and_none_written_to_a_read_only_home(tmp_path: Path) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    home = blocker / "user"  # no folder can be made under it, not even by root: a read-only home
    code = (
        "import sys\n"
        "import bot.cli, bot.slack.app, bot.charts.series, bot.charts.cache, bot.digest.delivery\n"
        "assert 'matplotlib' not in sys.modules, 'imported before any chart'\n"
        "from tests.test_charts import answer_of, history\n"
        "from bot.charts.series import series_of\n"
        "from bot.charts.draw import render\n"
        "assert render(series_of(answer_of(history()))).png.startswith(b'\\x89PNG')\n"
        "import matplotlib\n"
        "assert matplotlib.get_backend().lower() == 'agg'\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "MPLBACKEND")}
    env |= {"HOME": str(home), "PYTHONPATH": str(PROJECT_ROOT), "XDG_CONFIG_HOME": str(home / ".config")}
    env["XDG_CACHE_HOME"] = str(home / ".cache")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("status", ["forecast", "estimate"])
def test_forecasts_and_estimates_are_drawn_hollow(status: str) -> None:
    figures = [figure(1, 10.0, *quarter(2025, 1), status=status), figure(2, 12.0, *quarter(2025, 2), status=status)]
    series = series_of(answer_of(figures))
    assert series is not None
    assert [d["hollow"] for d in Charts().chart(series).drawn] == [True, True]
