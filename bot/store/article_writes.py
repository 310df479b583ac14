"""Writing one article and what was found in it, in the caller's transaction: rows go through the tables (plain
inserts, a tenth of the ORM's bulk cost), and the ids come back in the order the rows were given."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, insert, select, text, update
from sqlalchemy.orm import Session

from bot.store.models import Article, Entity, Figure, Mention, Sentence


def article_with_text(session: Session, text_hash: str) -> Article | None:
    """The stored article with this text (its content hash), if there is one."""
    return session.scalars(select(Article).where(Article.text_hash == text_hash)).first()


def add_article(session: Session, **columns: Any) -> Article:
    """A new article row, flushed so that it has its id."""
    article = Article(**columns)
    session.add(article)
    session.flush()
    return article


def insert_sentences(session: Session, article_id: int, spans: Sequence[tuple[int, int, str]]) -> list[int]:
    """The article's sentences as (start, end, text), in order; their ids in the same order."""
    if not spans:
        return []
    sentences = cast(Table, Sentence.__table__)
    return list(
        session.scalars(
            insert(sentences).returning(sentences.c.id, sort_by_parameter_order=True),
            [
                {"article_id": article_id, "position": i, "start": start, "end": end, "text": text_}
                for i, (start, end, text_) in enumerate(spans)
            ],
        )
    )


def insert_mentions(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(cast(Table, Mention.__table__)), rows)


def entity_ids_named(session: Session, names: Iterable[str]) -> dict[str, int]:
    """name -> id of the stored entities with these names."""
    wanted = set(names)
    if not wanted:
        return {}
    return {
        str(name): int(entity_id)
        for name, entity_id in session.execute(select(Entity.name, Entity.id).where(Entity.name.in_(wanted)))
    }


def insert_figures(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """The figure rows; their ids in the same order."""
    if not rows:
        return []
    figures = cast(Table, Figure.__table__)
    return list(session.scalars(insert(figures).returning(figures.c.id, sort_by_parameter_order=True), rows))


def link_conversions(session: Session, links: Iterable[tuple[int, int]]) -> None:
    """(figure id, id of the figure it converts): "RMB 10 billion ($1.4 billion)"."""
    figures = cast(Table, Figure.__table__)
    for figure_id, parent_id in links:
        session.execute(update(figures).where(figures.c.id == figure_id).values(conversion_of_id=parent_id))


def count_terms(session: Session, terms: Iterable[str]) -> None:
    """One more article for each word (the document counts that search ranks and bounds its work with)."""
    rows = [{"term": t} for t in terms]
    if rows:
        session.execute(
            text("INSERT INTO terms(term, df) VALUES (:term, 1) ON CONFLICT(term) DO UPDATE SET df = terms.df + 1"),
            rows,
        )
