"""Answer objects: what a lookup found, independent of how it is shown (text, JSON or Block Kit)."""

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
        return {"id": self.id, "title": self.title,
                "published": self.published.isoformat() if self.published else None,
                "source": self.source, "url": self.url}

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
    corrected: bool = False  # an admin corrected it (bot.store.feedback)

    @property
    def headline(self) -> str:
        """"over 380 billion yuan over the next three years"."""
        parts = [self.qualifier, self.text, self.period]
        return " ".join(p for p in parts if p)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value, "unit": self.unit, "kind": self.kind, "text": self.text,
            "qualifier": self.qualifier, "period": self.period,
            "as_of": self.as_of.isoformat() if self.as_of else None, "entity": self.entity,
            "sentence": self.sentence, "article": self.article.as_dict(),
            "conversions": [{"value": c.value, "unit": c.unit, "text": c.text, "article": c.article.as_dict()}
                            for c in self.conversions],
        }


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
class Answer:
    query: str
    kind: str  # figure, entity, passages, none, help
    claims: list[Claim] = field(default_factory=list)
    entity: EntityCard | None = None
    passages: list[Passage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sources differ, changed over time, corrections
    suggestions: list[str] = field(default_factory=list)
    timeline: list[Claim] = field(default_factory=list)  # newest first, when a figure changed over time
    corpus_size: int = 0
    text: str = ""

    @property
    def figures(self) -> list[FigureHit]:
        return [c.lead for c in self.claims]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "kind": self.kind,
            "text": self.text,
            "entity": self.entity.as_dict() if self.entity else None,
            "figures": [f.as_dict() | {"sources": [a.as_dict() for a in c.articles]}
                        for f, c in zip(self.figures, self.claims, strict=True)],
            "timeline": [{"value": c.lead.value, "unit": c.lead.unit, "text": c.lead.text,
                          "as_of": c.lead.as_of.isoformat() if c.lead.as_of else None,
                          "article": c.lead.article.as_dict()} for c in self.timeline],
            "passages": [p.as_dict() for p in self.passages],
            "notes": self.notes,
            "suggestions": self.suggestions,
            "mentions": self.entity.mention_count if self.entity else None,
        }
