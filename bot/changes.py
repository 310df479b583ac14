"""Which known figures an article's figures change or contradict (same quantity, other value)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answer import ArticleRef, FigureHit
from bot.claims import GENERIC_STEMS, SAME_VALUE, compare_recency, same_quantity
from bot.models import Article, Figure, Sentence


@dataclass
class Change:
    old: FigureHit
    new: FigureHit
    kind: str  # "changed" (the newer report has another value) or "contradicts" (same time, other value)

    def describe(self) -> str:
        verb = "changed" if self.kind == "changed" else "contradicts"
        return (f"{verb}: {self.old.text} ({_label(self.old.article)}) → {self.new.text} "
                f"({_label(self.new.article)})")


def _label(article: ArticleRef) -> str:
    return f"{article.title}, {article.published.isoformat() if article.published else 'undated'}"


def _hits(session: Session, where: object) -> list[FigureHit]:
    rows = session.execute(
        select(Figure, Sentence.text, Article).join(Sentence, Sentence.id == Figure.sentence_id)
        .join(Article, Article.id == Figure.article_id).where(where, Figure.conversion_of_id.is_(None))  # type: ignore[arg-type]
    ).all()
    out = []
    for fig, sentence, article in rows:
        ref = ArticleRef(article.id, article.title, article.published, article.source, article.url,
                         article.published or article.mentions_until)
        out.append(FigureHit(fig.id, fig.kind, fig.value, fig.unit, fig.text, fig.qualifier, fig.period, fig.as_of,
                             sentence, ref, None, context=frozenset(fig.context.split()), entity_id=fig.entity_id,
                             sentence_id=fig.sentence_id))
    return out


def _about_the_same(a: FigureHit, b: FigureHit) -> bool:
    if a.entity_id is None or a.entity_id != b.entity_id or not same_quantity(a, b):
        return False
    return bool((a.context & b.context) - GENERIC_STEMS)


def figure_changes(session: Session, article_ids: list[int], against: list[int] | None = None) -> list[Change]:
    """Figures in `article_ids` whose quantity other articles (or `against`) report with another value."""
    new = _hits(session, Figure.article_id.in_(article_ids))
    condition = Figure.article_id.in_(against) if against is not None else Figure.article_id.not_in(article_ids)
    old = _hits(session, condition)
    changes: list[Change] = []
    seen: set[tuple[int, int]] = set()
    for n in new:
        for o in old:
            if not _about_the_same(n, o) or abs(n.value - o.value) <= SAME_VALUE * max(abs(n.value), abs(o.value)):
                continue
            if (o.id, n.id) in seen:
                continue
            seen.add((o.id, n.id))
            order = compare_recency(n, o)
            if order > 0:
                changes.append(Change(o, n, "changed"))
            elif order < 0:
                changes.append(Change(n, o, "changed"))
            else:
                changes.append(Change(o, n, "contradicts"))
    return changes
