"""The series a chart draws, as data: the answer's own series (`Answer.series`), each figure placed at the date it
measures, with the words the picture, its caption and its alt text need. No plotting here."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.answering.model import Answer, ArticleRef, FigureHit

MIN_POINTS = 2
CAPTION_SOURCES = 3
MAX_ALT = 1000  # Slack's limit on a file's alt text
DRAWN_APART = ("plan", "forecast", "estimate")
# Amounts of money are drawn in the largest of these that keeps the biggest value at 1 or more.
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
SHORT = {"trillion": "tn", "billion": "bn", "million": "M", "thousand": "K", "": ""}


@dataclass(frozen=True)
class Point:
    figure: FigureHit
    date: date  # where the x-axis places it: the period's end, the as-of date, else the article's date
    conflict: bool  # another amount for a period an earlier point of the same kind already gives

    @property
    def value(self) -> float:
        return self.figure.value

    @property
    def when(self) -> str:
        """ "Apr–Jun 2025", "as of 2025-01-31", or "reported 2025-11-20" for a figure placed at its article's date."""
        f = self.figure
        return f.when or (f"as of {self.date.isoformat()}" if f.as_of else f"reported {self.date.isoformat()}")

    @property
    def apart(self) -> bool:
        """A plan, forecast or estimate: drawn hollow and dashed, apart from the reported line."""
        return self.figure.status in DRAWN_APART

    def as_dict(self) -> dict[str, Any]:
        f = self.figure
        out: dict[str, Any] = {"value": f.value, "unit": f.unit, "text": f.text}
        if f.period_start or f.period_end:
            out["period"] = {"start": _iso(f.period_start), "end": _iso(f.period_end), "label": f.when}
        else:
            out["as_of"] = _iso(f.as_of or self.date)
        out |= {"date": self.date.isoformat(), "status": f.status, "conflict": self.conflict}
        out["article"] = {"id": f.article.id, "title": f.article.title, "published": _iso(f.article.published)}
        return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class Series:
    query: str
    subject: str
    metric: str
    unit: str | None
    points: tuple[Point, ...]  # in date order

    @property
    def title(self) -> str:
        return f"{self.subject}: {self.metric}" if self.subject else self.metric

    @property
    def version(self) -> str:
        """What the picture depends on: the same key, the same PNG (the render cache's key)."""
        data = json.dumps(
            [self.title, self.unit, [p.as_dict() | {"source": p.figure.article.source} for p in self.points]]
        )
        return hashlib.sha256(data.encode()).hexdigest()[:20]

    @property
    def scale(self) -> tuple[float, str]:
        """The divisor and its word for the y-axis ("billion"); (1, "") for percentages, counts and small sums."""
        if self.unit == "%" or not self.points:
            return 1.0, ""
        top = max(abs(p.value) for p in self.points)
        return next(((d, w) for d, w in SCALES if top >= d), (1.0, ""))

    @property
    def unit_label(self) -> str:
        """ "%", "billion CNY", "users"; "" for a bare count."""
        _, word = self.scale
        return " ".join(w for w in (word, self.unit or "") if w)

    def label(self, p: Point) -> str:
        """What a point says on the chart: its value in the axis's scale, then its period."""
        return f"{self.value_text(p.value)}\n{p.when}"

    def value_text(self, value: float) -> str:
        """ "26%", "31.7bn", "90K": the value in the axis's scale, short."""
        divisor, word = self.scale
        shown = value / divisor
        number = f"{shown:,.0f}" if abs(shown) >= 100 or shown == int(shown) else f"{shown:,.3g}"
        return f"{number}%" if self.unit == "%" else number + SHORT[word]

    @property
    def sources(self) -> list[ArticleRef]:
        """Each article drawn from once, oldest point first."""
        return list({p.figure.article.id: p.figure.article for p in self.points}.values())

    @property
    def caption(self) -> str:
        """The unit and each source's outlet (or title) and date, under the chart (the first few, then how many
        more: two lines at most)."""
        sources = list(dict.fromkeys(_source_label(a) for a in self.sources))
        cited = "; ".join(sources[:CAPTION_SOURCES])
        if len(sources) > CAPTION_SOURCES:
            cited += f" and {len(sources) - CAPTION_SOURCES} more"
        unit = f"Unit: {self.unit_label}. " if self.unit_label else ""
        return f"{unit}Sources: {cited}."

    @property
    def alt_text(self) -> str:
        """Every point, in date order, within Slack's limit: the value, the period and what kind of figure."""
        head = f"Chart of {self.title}" + (f" ({self.unit_label})" if self.unit_label else "")
        for clip_sources in (False, True):
            parts = []
            for p in self.points:
                kind = "" if p.figure.status in ("actual", "converted") else f", {p.figure.status}"
                kind += ", another source's amount for the same period" if p.conflict else ""
                src = "" if clip_sources else f", {_source_label(p.figure.article)}"
                when = p.when if p.when.startswith(("as of", "reported")) else f"for {p.when}"
                parts.append(f"{self.value_text(p.value)} {when}{kind}{src}")
            text = f"{head}, {len(parts)} points: " + "; ".join(parts) + "."
            if len(text) <= MAX_ALT:
                return text
        return text[: MAX_ALT - 1] + "…"

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "title": self.title,
            "unit": self.unit_label,
            "caption": self.caption,
            "alt_text": self.alt_text,
            "version": self.version,
            "points": [p.as_dict() for p in self.points],
        }


def _source_label(article: ArticleRef) -> str:
    name = article.source or (article.title if len(article.title) <= 48 else article.title[:47] + "…")
    return f"{name}, {article.published.isoformat() if article.published else 'undated'}"


def series_of(answer: Answer) -> Series | None:
    """The chart of an answer: exactly its series, in its order; None when it has no series of two or more
    dated points."""
    figures = [f for f in answer.series if _placed(f) is not None]
    if len(figures) < MIN_POINTS:
        return None
    points: list[Point] = []
    for f in figures:
        when = _placed(f)
        assert when is not None
        family = f.status in DRAWN_APART
        clash = any(q.date == when and q.apart == family for q in points)
        points.append(Point(f, when, clash))
    top = figures[0]
    return Series(answer.query, top.entity or "", top.metric or "", top.unit, tuple(points))


def _placed(f: FigureHit) -> date | None:
    return f.placed_on or f.as_of or f.article.sort_date


def no_series_reason(answer: Answer) -> str:
    """One line saying why an answer has nothing to draw."""
    if answer.kind != "figure":
        return f"No chart: the answer to “{answer.query}” gives no figures over time."
    if answer.series:
        return f"No chart: the series for “{answer.query}” has fewer than {MIN_POINTS} dated points."
    return (
        f"No chart: the figures for “{answer.query}” are no series (one subject and measure over two or more periods)."
    )
