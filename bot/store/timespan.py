"""When the articles are from: the span they cover and the ones dated on or after a day (a question's "since")."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import Article

# An article's date: the one it states, else the latest date its text mentions (its estimate).
ARTICLE_DATE = func.coalesce(Article.published, Article.mentions_until)


def article_span(session: Session) -> tuple[date | None, date | None]:
    """The oldest and the newest article's date; (None, None) when no article has one."""
    oldest, newest = session.execute(select(func.min(ARTICLE_DATE), func.max(ARTICLE_DATE))).one()
    return _as_date(oldest), _as_date(newest)


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
