"""What an answer holds: the articles, figures, claims, passages and entity card a lookup found, as data. How it
is shown lives in `bot.answering.views` (text and Block Kit); `as_dict` is what `--json` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ArticleRef:
    id: int
    title: str
    published: date | None
    source: str | None = None
    url: str | None = None
    sort_date: date | None = None  # publication date, or the latest date the text mentions

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "url": self.url,
        }

    @property
    def label(self) -> str:
        when = self.published.isoformat() if self.published else "undated"
        return f"{self.title} ({when})"


@dataclass
class FigureHit:
    id: int
    kind: str
    value: float
    unit: str | None
    text: str
    qualifier: str | None
    period: str | None
    as_of: date | None
    sentence: str
    article: ArticleRef
    entity: str | None
    score: float = 0.0
    conversions: list[FigureHit] = field(default_factory=list)
    context: frozenset[str] = frozenset()
    entity_id: int | None = None
    sentence_id: int = 0
    conversion_of_id: int | None = None
    metric: str | None = None
    status: str = "actual"
    period_start: date | None = None
    period_end: date | None = None
    period_kind: str | None = None
    placed_on: date | None = None  # where the figure stands in time (period end, as-of or article date)
    show_subject: bool = False  # shown among another subject's figures: say whose it is
    corrected: bool = False  # an admin corrected it (bot.store.feedback)

    @property
    def when(self) -> str:
        """The period or date the figure holds for, as a person reads it: "Oct–Dec 2024", "as of 2025-01-31"."""
        return describe_period(self.period_start, self.period_end, self.period_kind, self.as_of)

    @property
    def headline(self) -> str:
        """ "over 380 billion yuan over the next three years", "26% year on year (Apr–Jun 2025)"."""
        when = self.when
        # The period as read from the text, else the phrase as written: never a phrase that belongs elsewhere.
        parts = [self.qualifier, self.text, None if when else self.period]
        line = " ".join(p for p in parts if p)
        if when:
            line += f" ({when})"
        if self.status in ("plan", "forecast", "estimate"):
            line += f" [{self.status}]"
        if self.show_subject and self.entity:
            line = f"{self.entity}: {line}"
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "text": self.text,
            "qualifier": self.qualifier,
            "period": self.period,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "entity": self.entity,
            "subject": self.entity,
            "metric": self.metric,
            "status": self.status,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "date": _iso(self.placed_on),
            "sentence": self.sentence,
            "article": self.article.as_dict(),
            "conversions": [
                {"value": c.value, "unit": c.unit, "text": c.text, "article": c.article.as_dict()}
                for c in self.conversions
            ],
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def describe_period(start: date | None, end: date | None, kind: str | None, as_of: date | None) -> str:
    if kind == "quarter" and start and end:
        return f"{_MONTHS[start.month - 1]}–{_MONTHS[end.month - 1]} {end.year}"
    if kind == "year" and start and end and start.year == end.year and (start.month, end.month) == (1, 12):
        return str(start.year)
    if kind == "ytd" and start:
        return f"{start.year} to {end.isoformat()}" if end else f"{start.year} so far"
    if start and end:
        return f"{start.isoformat()} to {end.isoformat()}"
    if as_of:
        return f"as of {as_of.isoformat()}"
    return ""


@dataclass
class Claim:
    """One figure as several articles report it."""

    figures: list[FigureHit]  # newest source first

    @property
    def lead(self) -> FigureHit:
        return self.figures[0]

    @property
    def articles(self) -> list[ArticleRef]:
        return list({f.article.id: f.article for f in self.figures}.values())

    @property
    def score(self) -> float:
        return max(f.score for f in self.figures)


@dataclass
class Passage:
    sentence: str
    article: ArticleRef
    score: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "article": self.article.as_dict()}


@dataclass
class EntityCard:
    name: str
    type: str
    aliases: list[str]
    mention_count: int
    descriptions: list[Passage]
    articles: list[ArticleRef]  # the newest ones
    article_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": self.aliases, "type": self.type}


@dataclass
class FigureChange:
    """A figure that changed, or is contradicted, in a newer article: the older figure, the newer, and the line
    that says it ("changed: 13% (Oct–Dec 2024, …) → 26% (Apr–Jun 2025, …)")."""

    old: FigureHit
    new: FigureHit
    kind: str  # changed, contradicts
    line: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "line": self.line, "old": self.old.as_dict(), "new": self.new.as_dict()}


@dataclass
class Timing:
    """When an answer holds: the moment the question asked about, and how fresh its sources and figures are."""

    as_of: date | None = None  # figures whose period ended (or as-of held) by then
    known_by: date | None = None  # only articles published by then
    since: date | None = None  # the changes reported from then on
    newest_source: date | None = None  # the newest article the answer cites
    newest_figure: date | None = None  # where the newest reported figure stands in time
    stale: bool = False  # the newest figure is more than a quarter older than the moment asked about (or today)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": _iso(self.as_of),
            "known_by": _iso(self.known_by),
            "since": _iso(self.since),
            "newest_source": _iso(self.newest_source),
            "newest_figure": _iso(self.newest_figure),
            "stale": self.stale,
        }


@dataclass
class Answer:
    query: str
    kind: str  # figure, entity, passages, changes, none, help
    claims: list[Claim] = field(default_factory=list)
    entity: EntityCard | None = None
    passages: list[Passage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sources differ, changed over time, corrections
    suggestions: list[str] = field(default_factory=list)
    timeline: list[Claim] = field(default_factory=list)  # newest first, when a figure changed over time
    corpus_size: int = 0
    text: str = ""
    lead: str | None = None  # what a who/when/said question asked, said first ("April 29 2025, according to …")
    # The timeline's figures as a chart draws them, oldest first: each step's newest report, with any other
    # amount an answer's claim gives for one of its periods (a conflict) or a plan, forecast or estimate of the
    # same measure; empty when there is no series of two or more steps.
    series: list[FigureHit] = field(default_factory=list)
    changes: list[FigureChange] = field(default_factory=list)  # kind "changes": what changed since a date
    timing: Timing = field(default_factory=Timing)

    @property
    def sources(self) -> list[ArticleRef]:
        """Every article the answer cites."""
        refs = [f.article for c in (*self.claims, *self.timeline) for f in c.figures]
        refs += [p.article for p in self.passages]
        refs += [a for ch in self.changes for a in (ch.old.article, ch.new.article)]
        if self.entity is not None:
            refs += [p.article for p in self.entity.descriptions] + self.entity.articles
        return refs

    @property
    def figures(self) -> list[FigureHit]:
        return [c.lead for c in self.claims]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "kind": self.kind,
            "lead": self.lead,
            "text": self.text,
            "entity": self.entity.as_dict() if self.entity else None,
            "figures": [
                f.as_dict() | {"sources": [a.as_dict() for a in c.articles]}
                for f, c in zip(self.figures, self.claims, strict=True)
            ],
            "timeline": [
                {
                    "value": c.lead.value,
                    "unit": c.lead.unit,
                    "text": c.lead.text,
                    "as_of": c.lead.as_of.isoformat() if c.lead.as_of else None,
                    "article": c.lead.article.as_dict(),
                }
                for c in self.timeline
            ],
            "series": [
                {
                    "value": f.value,
                    "unit": f.unit,
                    "text": f.text,
                    "status": f.status,
                    "period_start": _iso(f.period_start),
                    "period_end": _iso(f.period_end),
                    "as_of": _iso(f.as_of),
                    "date": _iso(f.placed_on),
                    "article": f.article.as_dict(),
                }
                for f in self.series
            ],
            "passages": [p.as_dict() for p in self.passages],
            "notes": self.notes,
            "suggestions": self.suggestions,
            "mentions": self.entity.mention_count if self.entity else None,
            "changes": [c.as_dict() for c in self.changes],
        } | self.timing.as_dict()
