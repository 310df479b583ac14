"""Drawing a series as a PNG, headless: matplotlib's Agg backend, imported on the first chart only, so a process
that never draws one pays nothing for it. The picture's data (each point as plotted, read back from the figure)
comes with it and rides in the PNG's metadata, so what was drawn can be checked without looking at pixels."""

from __future__ import annotations

import io
import json
import textwrap
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.charts.series import Point, Series

WIDTH, HEIGHT, DPI = 8.0, 4.5, 150  # 1200 x 675 px: sharp at Slack's preview size (about 360 px high)
DATA_KEY = "chart-data"  # the PNG text chunk holding the plotted points
MAX_LABELS = 8  # points labelled with value and period; a longer series labels some (its alt text lists all)
# One look on Slack's light and dark themes alike: an opaque light card, colours that keep their contrast on it
# and read apart without colour (filled vs hollow, solid vs dashed).
INK, MUTED, GRID, PAPER = "#1d1c1d", "#616061", "#dddddd", "#ffffff"
ACTUAL, APART, CONFLICT = "#1264a3", "#e8912d", "#e01e5a"
_lock = threading.Lock()  # pyplot's figure registry is not thread-safe; the Figure API below avoids it anyway
_ready = False


@dataclass(frozen=True)
class Chart:
    png: bytes
    width: int
    height: int
    drawn: list[dict[str, Any]]  # each marker as plotted: date, value (in the series' unit), status, conflict
    alt_text: str


def _matplotlib() -> None:
    """matplotlib on the Agg backend, set once. Where $HOME is read-only matplotlib keeps its font cache in a
    temporary folder by itself (and says so once); the Docker image sets MPLCONFIGDIR to a writable one."""
    global _ready
    with _lock:
        if not _ready:
            import matplotlib

            matplotlib.use("Agg", force=True)
            _ready = True


def render(series: Series) -> Chart:
    """The series as a PNG with its plotted data."""
    _matplotlib()
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, facecolor=PAPER)
    # Fixed margins rather than a layout engine: the same frame for every chart, and a third of the time.
    fig.subplots_adjust(left=0.09, right=0.97, top=0.87, bottom=0.2)
    ax = fig.add_subplot()
    divisor, _ = series.scale
    _style(ax)
    span = (series.points[-1].date - series.points[0].date).days
    for apart in (False, True):
        line = [p for p in series.points if p.apart == apart and not p.conflict]
        if len(line) >= 2:
            ax.plot(
                [p.date for p in line],  # type: ignore[arg-type]
                [p.value / divisor for p in line],
                color=APART if apart else ACTUAL,
                linestyle=(0, (4, 3)) if apart else "-",
                linewidth=2,
                zorder=2,
            )
    crowded = max(span, 1) * 0.16  # a label this close to the one before it (about its width) goes below
    labelled = _labelled(series)
    top: dict[date, float] = {}  # each date's highest value: its label goes above, the others' beside their points
    for p in series.points:
        top[p.date] = max(top.get(p.date, p.value), p.value)
    for i, p in enumerate(series.points):
        shared = sum(q.date == p.date for q in series.points) > 1
        beside = shared and p.value < top[p.date]
        near = i > 0 and (p.date - series.points[i - 1].date).days < crowded and i % 2 == 1
        below = not shared and (near or p.value < 0)  # a negative value's label stays clear of the zero line
        _point(ax, series, p, i, divisor, "beside" if beside else "below" if below else "above", i in labelled)
    _conflict_links(ax, series, divisor)
    ax.set_title(series.title, loc="left", fontsize=14, fontweight="bold", color=INK, pad=12)
    if series.unit_label:
        ax.set_ylabel(series.unit_label, color=MUTED, fontsize=11)
    locator = (
        mdates.MonthLocator()
        if span <= 270
        else mdates.MonthLocator(bymonth=(1, 4, 7, 10))
        if span <= 3 * 366
        else mdates.AutoDateLocator(maxticks=8)
    )
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y" if span <= 3 * 366 else "%Y"))
    ax.margins(x=0.12, y=0.28)
    if series.unit == "%" or all(p.value >= 0 for p in series.points):
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    if any(p.value < 0 for p in series.points):
        ax.axhline(0, color=MUTED, linewidth=1, zorder=1)
    _legend(ax, series)
    fig.text(0.01, 0.015, textwrap.fill(series.caption, 112), fontsize=8.5, color=MUTED, ha="left", va="bottom")
    drawn = _drawn(ax, series)
    out = io.BytesIO()
    metadata = {DATA_KEY: json.dumps(drawn), "Title": series.title}
    # zlib level 3: about a third less encoding time than the default 6, for a file about 10% larger.
    fig.savefig(out, format="png", facecolor=PAPER, metadata=metadata, pil_kwargs={"compress_level": 3})
    width, height = (round(float(v)) for v in fig.get_size_inches() * DPI)
    return Chart(out.getvalue(), width, height, drawn, series.alt_text)


def _style(ax: Any) -> None:
    ax.set_facecolor(PAPER)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(colors=MUTED, labelsize=10)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _labelled(series: Series) -> set[int]:
    """The points labelled on the picture: all of a short series; of a long one the first and last, the highest
    and lowest, every conflict and plan, and evenly spaced others, about MAX_LABELS in all (the alt text and the
    text answer list every point)."""
    points = series.points
    if len(points) <= MAX_LABELS:
        return set(range(len(points)))
    values = [p.value for p in points]
    keep = {0, len(points) - 1, values.index(max(values)), values.index(min(values))}
    keep |= {i for i, p in enumerate(points) if p.conflict or p.apart}
    step = max(1, len(points) // MAX_LABELS)
    return keep | set(range(0, len(points), step * 2))


def _point(ax: Any, series: Series, p: Point, index: int, divisor: float, where: str, label: bool) -> None:
    """One marker (filled for a reported figure, hollow for a plan, forecast or estimate, a diamond for another
    source's amount for the same period), its period as a faint bar, and its label."""
    colour = CONFLICT if p.conflict else APART if p.apart else ACTUAL
    y = p.value / divisor
    f = p.figure
    if f.period_start and f.period_end and f.period_start < f.period_end:
        ax.hlines(y, f.period_start, f.period_end, color=colour, alpha=0.25, linewidth=6, zorder=1)
    ax.plot(
        [p.date],
        [y],
        marker="D" if p.conflict else "o",
        markersize=9,
        markerfacecolor=PAPER if p.apart else colour,
        markeredgecolor=colour,
        markeredgewidth=2,
        linestyle="none",
        zorder=3,
        gid=f"point-{index}",
    )
    if not label:
        return
    ax.annotate(
        series.label(p),
        (p.date, y),
        textcoords="offset points",
        xytext={"beside": (12, 0), "below": (0, -14), "above": (0, 12)}[where],
        ha="left" if where == "beside" else "center",
        va={"beside": "center", "below": "top", "above": "bottom"}[where],
        fontsize=9.5,
        color=INK,
        linespacing=1.2,
    )


def _conflict_links(ax: Any, series: Series, divisor: float) -> None:
    """A dotted line between the amounts sources give for one period."""
    by_date: dict[date, list[float]] = {}
    for p in series.points:
        by_date.setdefault(p.date, []).append(p.value / divisor)
    for when, values in by_date.items():
        if len(values) > 1:
            ax.vlines(when, min(values), max(values), color=CONFLICT, linestyle=":", linewidth=1.5, zorder=1)


def _legend(ax: Any, series: Series) -> None:
    from matplotlib.lines import Line2D

    kinds: list[tuple[str, str, str, str, Any]] = []
    if any(not p.apart and not p.conflict for p in series.points):
        kinds.append(("reported", ACTUAL, ACTUAL, "o", "-"))
    apart = sorted({p.figure.status for p in series.points if p.apart})
    if apart:
        kinds.append((" / ".join(apart), APART, PAPER, "o", "--"))
    if any(p.conflict for p in series.points):
        kinds.append(("sources differ", CONFLICT, CONFLICT, "D", "none"))
    if len(kinds) < 2:
        return
    handles = [
        Line2D([], [], color=c, markerfacecolor=face, markeredgecolor=c, marker=m, linestyle=ls, markeredgewidth=2)
        for _, c, face, m, ls in kinds
    ]
    ax.legend(handles, [k[0] for k in kinds], loc="upper left", frameon=False, fontsize=9, labelcolor=INK)


def _drawn(ax: Any, series: Series) -> list[dict[str, Any]]:
    """The markers as the figure holds them, read back from its artists: what the picture shows."""
    from matplotlib import dates as mdates
    from matplotlib.colors import same_color

    divisor, _ = series.scale
    marks = {line.get_gid(): line for line in ax.get_lines() if (line.get_gid() or "").startswith("point-")}
    out = []
    for i, p in enumerate(series.points):
        line = marks[f"point-{i}"]
        x = mdates.date2num(line.get_xdata()[0])
        out.append(
            {
                "date": mdates.num2date(x).date().isoformat(),
                "value": float(line.get_ydata()[0]) * divisor,
                "status": p.figure.status,
                "conflict": p.conflict,
                "hollow": bool(same_color(line.get_markerfacecolor(), PAPER)),
            }
        )
    return out
