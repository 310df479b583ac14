"""What a digest says for a period, as data: articles added, new and changed figures, disagreements, new names.
Its parts are laid out once in `sections` and shown by `views/` (text and Block Kit); `as_dict` is `--json`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.answering.changes import KNOWN_PER_KEY, Change, figure_changes
from bot.answering.claims import same_claim
from bot.answering.figure_store import amounts
from bot.answering.model import ArticleRef, FigureHit
from bot.store.models import Article, Entity, Figure, Mention, Sentence
from bot.store.stories import copies_of

DEFAULT_PERIOD = timedelta(days=7)


@dataclass
class AddedArticle:
    article: ArticleRef
    added_by: str | None
    added_at: datetime
    also_in: list[str] = field(default_factory=list)  # other outlets that carried the story (its copies)


@dataclass
class Digest:
    start: datetime
    end: datetime
    articles: list[AddedArticle] = field(default_factory=list)
    new_figures: list[FigureHit] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    disagreements: list[Change] = field(default_factory=list)
    new_entities: list[tuple[str, str]] = field(default_factory=list)
    top_entities: list[tuple[str, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.articles

    def as_dict(self) -> dict[str, Any]:
        def fig(f: FigureHit) -> dict[str, Any]:
            return {
                "value": f.value,
                "unit": f.unit,
                "text": f.text,
                "sentence": f.sentence,
                "article": f.article.as_dict(),
            }

        def change(c: Change) -> dict[str, Any]:
            return {"old": fig(c.old), "new": fig(c.new), "kind": c.kind}

        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "empty": self.empty,
            "articles": [
                a.article.as_dict() | {"added_by": a.added_by, "added_at": a.added_at.isoformat(), "also_in": a.also_in}
                for a in self.articles
            ],
            "new_figures": [fig(f) for f in self.new_figures],
            "changed": [change(c) for c in self.changed],
            "disagreements": [change(c) for c in self.disagreements],
            "new_entities": [{"name": n, "type": t} for n, t in self.new_entities],
            "top_entities": [{"name": n, "mentions": c} for n, c in self.top_entities],
        }


def build_digest(session: Session, start: datetime, end: datetime) -> Digest:
    digest = Digest(start, end)
    rows = session.scalars(
        select(Article).where(Article.added_at >= start, Article.added_at < end).order_by(Article.added_at)
    ).all()
    if not rows:
        return digest
    ids = [a.id for a in rows]
    copies = copies_of(session, ids)  # a story carried by several outlets is listed once, "also in: …"
    digest.articles = [
        AddedArticle(
            ArticleRef(a.id, a.title, a.published, a.source, a.url, a.published or a.mentions_until),
            a.added_by,
            a.added_at,
            [o for o in copies.get(a.id, []) if o != a.source],
        )
        for a in rows
    ]
    # Known before the period: a condition, not a list of every older article (there may be 100,000).
    older = Figure.article_id.in_(select(Article.id).where(Article.added_at < start))
    changes = figure_changes(session, ids, against=older)
    digest.changed = [c for c in changes if c.kind == "changed"]
    digest.disagreements = [c for c in changes if c.kind == "contradicts"]
    fresh = amounts(session, Figure.article_id.in_(ids))
    # A fresh figure is old news when an older record is the same claim: same subject and metric (or, for records
    # without a metric, the same words), so only those are read, newest first through their index.
    known = [
        k
        for entity_id, metric in sorted({(f.entity_id, f.metric) for f in fresh}, key=str)
        for k in amounts(
            session,
            and_(
                Figure.entity_id.is_(None) if entity_id is None else Figure.entity_id == entity_id,
                Figure.metric.is_(None) if metric is None else Figure.metric == metric,
                older,
            ),
            limit=KNOWN_PER_KEY,
        )
    ]
    touched = {c.new.id for c in changes} | {c.old.id for c in changes}
    seen: list[FigureHit] = []
    for f in fresh:
        if f.id in touched or any(same_claim(f, k) for k in known) or any(same_claim(f, s) for s in seen):
            continue
        seen.append(f)
    digest.new_figures = seen
    # Names of the period's articles whose first mention is in the period: one index seek per name, not a pass
    # over every mention of the corpus.
    in_period = Mention.sentence_id.in_(select(Sentence.id).where(Sentence.article_id.in_(ids)))
    first_article = select(func.min(Mention.article_id)).where(Mention.entity_id == Entity.id).scalar_subquery()
    digest.new_entities = [
        (n, t)
        for n, t in session.execute(
            select(Entity.name, Entity.type)
            .join(Article, Article.id == first_article)
            .where(
                Entity.id.in_(select(Mention.entity_id).where(in_period)),
                Article.added_at >= start,
                Article.added_at < end,
            )
            .order_by(Entity.name)
        )
    ]
    counts: Counter[str] = Counter(
        {
            name: int(n)
            for name, n in session.execute(
                select(Entity.name, func.count(Mention.id))
                .join(Mention, Mention.entity_id == Entity.id)
                .where(in_period)
                .group_by(Entity.name)
            )
        }
    )
    digest.top_entities = counts.most_common(5)
    return digest
