"""Answers as shown, feedback on them and admins' figure corrections: the queries, each taking a session."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import AnswerRecord, Article, Feedback, Figure, FigureCorrection

ANSWER_MEMORY = timedelta(days=90)  # Share and feedback work on answers up to this old
REASONS = {
    "wrong_figure": "Wrong figure",
    "wrong_subject": "Wrong subject or period",
    "not_asked": "Not what I asked",
    "other": "Other",
}
# Fields an admin may correct; a correction stores only those that changed, as JSON, so new figure fields
# need no new column here.
CORRECTABLE = ("text", "value", "unit", "subject", "metric", "period")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def figure_keys(session: Session, figure_ids: list[int]) -> dict[int, tuple[str, int]]:
    """figure id -> (article content hash, figure offset): the key that outlives re-ingest."""
    if not figure_ids:
        return {}
    rows = session.execute(
        select(Figure.id, Article.text_hash, Figure.start)
        .join(Article, Article.id == Figure.article_id)
        .where(Figure.id.in_(figure_ids))
    )
    return {fid: (h, start) for fid, h, start in rows}


def save_answer(
    session: Session,
    *,
    asked_by: str | None,
    query: str,
    kind: str,
    text: str,
    blocks: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    channel: str | None = None,
    thread_ts: str | None = None,
) -> str:
    key = uuid.uuid4().hex
    now = utcnow()
    session.add(
        AnswerRecord(
            key=key,
            asked_by=asked_by,
            query=query[:400],
            kind=kind,
            text=text,
            blocks=json.dumps(blocks, ensure_ascii=False),
            figures=json.dumps(figures),
            channel=channel,
            thread_ts=thread_ts,
            created_at=now,
        )
    )
    if uuid.UUID(key).int % 50 == 0:  # now and then, forget answers nobody can still act on
        session.execute(delete(AnswerRecord).where(AnswerRecord.created_at < now - ANSWER_MEMORY))
    return key


def get_answer(session: Session, key: str) -> AnswerRecord | None:
    return session.get(AnswerRecord, key) if key else None


def answered_thread(session: Session, channel: str, thread_ts: str) -> bool:
    """Whether the bot answered in this thread (so a follow-up there needs no mention)."""
    return (
        session.scalar(
            select(AnswerRecord.key)
            .where(AnswerRecord.channel == channel, AnswerRecord.thread_ts == thread_ts)
            .limit(1)
        )
        is not None
    )


def add_feedback(
    session: Session,
    *,
    user: str,
    rating: str,
    answer: AnswerRecord | None,
    reason: str | None = None,
    note: str | None = None,
    figure: dict[str, Any] | None = None,
) -> Feedback:
    row = Feedback(
        answer_key=answer.key if answer else None,
        user=user,
        created_at=utcnow(),
        rating=rating,
        reason=reason,
        note=(note or None),
        query=answer.query if answer else "",
        article_hash=(figure or {}).get("hash"),
        figure_start=(figure or {}).get("start"),
        figure_text=(figure or {}).get("text"),
        status="open" if rating == "down" else None,
    )
    session.add(row)
    session.flush()
    return row


def get_report(session: Session, report_id: int) -> Feedback | None:
    return session.get(Feedback, report_id)


def figure_id_at(session: Session, article_hash: str, start: int) -> int | None:
    """The figure at (article content hash, offset) in the articles now; None when re-ingest dropped it."""
    return session.scalar(
        select(Figure.id)
        .join(Article, Article.id == Figure.article_id)
        .where(Article.text_hash == article_hash, Figure.start == start)
        .limit(1)
    )


def open_reports(session: Session, limit: int = 50) -> list[Feedback]:
    return list(
        session.scalars(
            select(Feedback)
            .where(Feedback.status == "open")
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
        )
    )


def resolve(session: Session, report_id: int, by: str, status: str = "resolved") -> Feedback | None:
    row = session.get(Feedback, report_id)
    if row is not None and row.status == "open":
        row.status, row.resolved_by, row.resolved_at = status, by, utcnow()
    return row


def correct_figure(
    session: Session,
    article_hash: str,
    figure_start: int,
    *,
    by: str,
    hidden: bool = False,
    overrides: dict[str, Any] | None = None,
) -> FigureCorrection:
    """Store (or replace) the correction of one figure; it applies to every later read of the figure."""
    row = session.scalar(
        select(FigureCorrection).where(
            FigureCorrection.article_hash == article_hash, FigureCorrection.figure_start == figure_start
        )
    )
    if row is None:
        row = FigureCorrection(article_hash=article_hash, figure_start=figure_start)
        session.add(row)
    row.hidden = hidden
    merged = {} if hidden else {**json.loads(row.overrides or "{}"), **(overrides or {})}
    row.overrides = json.dumps(merged, ensure_ascii=False)
    row.corrected_by, row.corrected_at = by, utcnow()
    session.flush()
    return row


@dataclass(frozen=True)
class Correction:
    hidden: bool
    overrides: dict[str, Any]


def corrections_for(session: Session, figure_ids: list[int]) -> dict[int, Correction]:
    """The corrections that apply to these figures (cheap when there are none, as on most databases)."""
    stored = session.execute(
        select(
            FigureCorrection.article_hash,
            FigureCorrection.figure_start,
            FigureCorrection.hidden,
            FigureCorrection.overrides,
        )
    ).all()
    if not stored or not figure_ids:
        return {}
    by_key = {(h, s): Correction(bool(hidden), json.loads(o or "{}")) for h, s, hidden, o in stored}
    wanted = set(figure_ids)
    rows = session.execute(
        select(Figure.id, Article.text_hash, Figure.start)
        .join(Article, Article.id == Figure.article_id)
        .where(Article.text_hash.in_({h for h, _ in by_key}))
    )
    return {fid: by_key[(h, s)] for fid, h, s in rows if fid in wanted and (h, s) in by_key}
