"""Which known figures an article's figures change or contradict (same quantity, other value)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.answering.answer import ArticleRef, FigureHit
from bot.answering.claims import GENERIC_STEMS, SAME_VALUE, compare_recency, same_quantity
from bot.answering.figure_store import amounts
from bot.store.models import Figure


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


def _about_the_same(a: FigureHit, b: FigureHit) -> bool:
    if a.entity_id is None or a.entity_id != b.entity_id or not same_quantity(a, b):
        return False
    return bool((a.context & b.context) - GENERIC_STEMS)


def figure_changes(session: Session, article_ids: list[int], against: list[int] | None = None) -> list[Change]:
    """Figures in `article_ids` whose quantity other articles (or `against`) report with another value."""
    new = amounts(session, Figure.article_id.in_(article_ids))
    condition = Figure.article_id.in_(against) if against is not None else Figure.article_id.not_in(article_ids)
    old = amounts(session, condition)
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
