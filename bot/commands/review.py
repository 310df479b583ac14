"""What `python -m bot figures` lists for review: the figure records (filtered by article, subject or metric) and
the open figure reports people sent from Slack, each as a JSON-ready row and as one line of text."""

from __future__ import annotations

from typing import Any

from bot.answering.figure_records import figure_dicts
from bot.reading.entities import alias_key
from bot.settings import Settings
from bot.store.catalog import article_ids, entity_ids, figure_filter
from bot.store.db import migrate, session_scope
from bot.store.feedback import REASONS, open_reports


class NoSuchArticle(LookupError):
    """The article a listing was asked for is not in the database."""


def figure_rows(settings: Settings, *, article: str | None, subject: str | None, metric: str | None) -> list[dict]:
    """The figure records, as `figures --json` prints them; `article` is an id, a file name or a title."""
    migrate(settings.database_url)
    with session_scope(settings.database_url) as session:
        articles = subjects = None
        if article:
            articles = article_ids(session, article)
            if not articles:
                raise NoSuchArticle(f"no article {article!r} (give an id, a file name or a title)")
        if subject:
            subjects = entity_ids(session, alias_key(subject), subject)
        return figure_dicts(session, figure_filter(article_ids=articles, entity_ids=subjects, metric=metric))


def figure_row_line(r: dict[str, Any]) -> str:
    subject = (r["subject"] or {}).get("name") or "—"
    period = r["period"] or {}
    when = (
        f"{period.get('start') or '…'}..{period.get('end') or '…'}"
        if period
        else (f"as of {r['as_of']}" if r["as_of"] else "")
    )
    return (
        f"{r['article']['id']:>4} {r['text'][:28]:<28} {subject[:24]:<24} {(r['metric'] or '—')[:34]:<34} "
        f"{r['status']:<9} {when}"
    )


def report_rows(settings: Settings) -> list[dict[str, Any]]:
    """The open figure reports, newest first, as the App Home lists them for admins."""
    migrate(settings.database_url)
    with session_scope(settings.database_url) as session:
        return [
            {
                "id": r.id,
                "reported_at": r.created_at.isoformat(),
                "user": r.user,
                "reason": r.reason,
                "query": r.query,
                "figure": r.figure_text,
                "note": r.note,
                "article_hash": r.article_hash,
                "figure_start": r.figure_start,
            }
            for r in open_reports(session, limit=1000)
        ]


def report_line(row: dict[str, Any]) -> str:
    figure = f" — figure “{row['figure']}”" if row["figure"] else ""
    note = f" — “{row['note']}”" if row["note"] else ""
    return (
        f"#{row['id']} {row['reported_at'][:16]} {row['user']}: "
        f"{REASONS.get(row['reason'] or '', 'other')} — asked “{row['query']}”{figure}{note}"
    )
