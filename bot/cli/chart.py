"""`python -m bot chart QUERY --out FILE.png [--json]`: draw the series the answer to QUERY gives."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import rules_of, settings_from_env

if TYPE_CHECKING:
    from bot.answering.views.wording import Facing


def cmd_chart(args: argparse.Namespace) -> int:
    from bot.answering.answers import Answerer
    from bot.charts.series import no_series_reason, series_of
    from bot.commands.command import Command
    from bot.commands.context import CLI, Context
    from bot.commands.run import run
    from bot.store.db import migrate

    query = " ".join(args.query).strip()
    out = Path(args.out)
    if not query:
        print("error: chart needs a query, e.g. python -m bot chart revenue --out revenue.png", file=sys.stderr)
        return 2
    if out.suffix.lower() != ".png":
        print(f"error: --out {out}: the chart is a PNG; name the file FILE.png", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"error: --out {out}: no folder {out.parent}", file=sys.stderr)
        return 2
    settings = settings_from_env()
    migrate(settings.database_url)
    answer = run(Command("ask", query=query), Context(settings, Answerer(settings, rules_of(settings)), CLI)).answer
    assert answer is not None  # on the command line every line is a lookup
    series = series_of(answer)
    if series is None:
        print(no_series_reason(answer), file=sys.stderr)
        return 1
    from bot.charts.draw import render

    chart = render(series)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")  # the file appears whole or not at all
    try:
        partial.write_bytes(chart.png)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        print(f"error: --out {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if args.json:
        shown = series.as_dict() | {"file": str(out), "width": chart.width, "height": chart.height}
        print(json.dumps(shown, ensure_ascii=False))
    else:
        print(f"wrote {out} ({chart.width}x{chart.height}, {len(series.points)} points): {series.title}")
    return 0


def register(sub: Any, facing: Facing | None) -> None:
    p = sub.add_parser(
        "chart",
        help="draw a figure's history: the series the answer to a query gives, as a PNG",
        epilog='example: python -m bot chart "cloud revenue growth" --out growth.png --json\n'
        "A query whose answer has no series of two or more points exits 1 and writes no file.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("query", nargs="+", help="what to look up, as you would ask it")
    p.add_argument("--out", required=True, metavar="FILE.png", help="where to write the chart")
    p.add_argument("--json", action="store_true", help="print the drawn series (title, points) as one JSON object")
    p.set_defaults(func=cmd_chart)
