"""Each story once: the normalised URLs a story was read under, the LSH bands of its text (near-duplicates are
looked up by them through an index, never by reading every article), and the other outlets that carried it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from bot.store.db import insert_ignore
from bot.store.models import Article, ArticleOutlet, ArticleUrl, Sentence, StoryBand


def article_at_url(session: Session, url_keys: Iterable[str]) -> Article | None:
    """The article read under any of these normalised URLs, if any."""
    keys = [k for k in dict.fromkeys(url_keys) if k]
    if not keys:
        return None
    article_id = session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url_key.in_(keys)).limit(1))
    return session.get(Article, article_id) if article_id is not None else None


def remember_urls(session: Session, article_id: int, url_keys: Iterable[str]) -> None:
    for key in dict.fromkeys(url_keys):
        if key:
            insert_ignore(session, ArticleUrl, {"url_key": key[:1000], "article_id": article_id})


def store_bands(session: Session, article_id: int, keys: Sequence[int]) -> None:
    if keys:
        session.execute(
            insert(cast(Table, StoryBand.__table__)),
            [{"band_key": k, "article_id": article_id} for k in dict.fromkeys(keys)],
        )


def band_candidates(session: Session, keys: Sequence[int], limit: int = 50) -> list[int]:
    """The articles sharing at least one band with these keys, those sharing most first (at most `limit`): an
    index lookup per band, whatever the number of articles stored."""
    if not keys:
        return []
    shared = func.count().label("shared")
    rows = session.execute(
        select(StoryBand.article_id, shared)
        .where(StoryBand.band_key.in_(list(keys)))
        .group_by(StoryBand.article_id)
        .order_by(shared.desc(), StoryBand.article_id)
        .limit(limit)
    )
    return [int(r[0]) for r in rows]


def article_text(session: Session, article_id: int) -> str:
    """The stored text of one article, from its sentences."""
    return " ".join(
        session.scalars(select(Sentence.text).where(Sentence.article_id == article_id).order_by(Sentence.position))
    )


def add_outlet(
    session: Session,
    article_id: int,
    *,
    source: str | None,
    url: str | None,
    url_key: str,
    title: str | None,
    similarity: float,
    stamp: datetime,
) -> bool:
    """Record that another outlet carried the story; False when that URL is already one of its outlets."""
    values: dict[str, Any] = {
        "article_id": article_id,
        "source": (source or "")[:200] or None,
        "url": (url or "")[:1000] or None,
        "url_key": url_key[:1000],
        "title": (title or "")[:500] or None,
        "similarity": round(similarity, 3),
        "added_at": stamp,
    }
    return insert_ignore(session, ArticleOutlet, values)


def story_outlets(session: Session, article_id: int) -> list[str]:
    """The outlets of a story: its article's own source (else its host), then every copy's, each once."""
    article = session.get(Article, article_id)
    if article is None:
        return []
    names = [article.source or ""]
    names += [
        source or url or ""
        for source, url in session.execute(
            select(ArticleOutlet.source, ArticleOutlet.url)
            .where(ArticleOutlet.article_id == article_id)
            .order_by(ArticleOutlet.id)
        )
    ]
    return [n for n in dict.fromkeys(names) if n]


def copies_of(session: Session, article_ids: Iterable[int]) -> dict[int, list[str]]:
    """article id -> the other outlets that carried it (not its own source), for the articles that have any."""
    ids = list(set(article_ids))
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for article_id, source, url in session.execute(
        select(ArticleOutlet.article_id, ArticleOutlet.source, ArticleOutlet.url)
        .where(ArticleOutlet.article_id.in_(ids))
        .order_by(ArticleOutlet.id)
    ):
        name = source or url
        if name and name not in found.setdefault(article_id, []):
            found[article_id].append(name)
    return found
