"""When the articles are from: the span they cover and the ones dated on or after a day (a question's "since")."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import Article, Mention

# An article's date: the one it states, else the latest date its text mentions (its estimate).
ARTICLE_DATE = func.coalesce(Article.published, Article.mentions_until)


_spans: dict[tuple[str, int, int], tuple[date | None, date | None]] = {}  # (database, newest id, count) -> span
_spans_lock = threading.Lock()


def article_span(session: Session) -> tuple[date | None, date | None]:
    """The oldest and the newest article's date; (None, None) when no article has one. Every answer asks, so the
    span (a pass over all articles' dates) is kept until an article is added or removed."""
    # Two scalar subqueries: each is a single index read, where one select of both would read every row.
    newest_id, count = session.execute(
        select(
            select(func.max(Article.id)).scalar_subquery(),
            select(func.count()).select_from(Article).scalar_subquery(),
        )
    ).one()
    key = (str(session.connection().engine.url), int(newest_id or 0), int(count))
    with _spans_lock:
        if key in _spans:
            return _spans[key]
    oldest, newest = session.execute(select(func.min(ARTICLE_DATE), func.max(ARTICLE_DATE))).one()
    span = (_as_date(oldest), _as_date(newest))
    with _spans_lock:
        for old in [k for k in _spans if k[0] == key[0]]:
            del _spans[old]
        _spans[key] = span
    return span


def articles_from(session: Session, day: date, limit: int) -> tuple[list[int], int]:
    """The ids of the newest `limit` articles dated on or after `day`, newest first, and how many there are."""
    ids = list(
        session.scalars(
            select(Article.id).where(day <= ARTICLE_DATE).order_by(ARTICLE_DATE.desc(), Article.id.desc()).limit(limit)
        )
    )
    count = session.scalar(select(func.count()).select_from(Article).where(day <= ARTICLE_DATE)) or 0
    return ids, int(count)


def _as_date(value: object) -> date | None:
    """SQLite hands an aggregate of dates back as text; PostgreSQL as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def mention_counts_by(session: Session, entity_id: int, day: date) -> tuple[int, int]:
    """How often the articles dated by `day` mention an entity, and in how many of them."""
    mentions, articles = session.execute(
        select(func.count(), func.count(func.distinct(Mention.article_id)))
        .join(Article, Article.id == Mention.article_id)
        .where(Mention.entity_id == entity_id, day >= ARTICLE_DATE)
    ).one()
    return int(mentions), int(articles)
