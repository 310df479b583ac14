"""Uploads held for review (REVIEW_UPLOADS, `ingest --review`): an upload is parsed and previewed — title, date,
outlet, names, figures and the changes and conflicts it would cause — and kept apart from the articles until an
admin publishes it (the normal ingest then runs on it) or discards it. Nothing of a held upload is answerable or
in a digest: it is not in the articles table that every search reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.answering.changes import Change, figure_changes
from bot.answering.figure_store import amounts
from bot.answering.model import ArticleRef, FigureHit
from bot.digest.content import PLAN_STATUSES, by_subject, disagreements_of
from bot.digest.sections import line_words
from bot.reading.ingest import Ingestor, IngestResult, Overrides, now, rehearse
from bot.store.db import session_scope
from bot.store.models import Figure, PendingUpload
from bot.store.pending import drop, hold, mentioned_names, pending

NAMES_SHOWN = 20
LINES_SHOWN = 12  # figures, changes and conflicts each; the rest are counted


@dataclass
class Preview:
    """What publishing a held upload would add and change."""

    pending_id: int | None  # None when the upload was not held (it failed or is a duplicate)
    result: IngestResult
    source: str | None = None
    url: str | None = None
    names: list[str] = field(default_factory=list)
    figures: list[FigureHit] = field(default_factory=list)  # with a subject and metric, by subject
    unlabelled: int = 0
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.pending_id is not None


Seen = tuple[list[FigureHit], list[Change], list[str]]


def _inspect(session: Session, article_id: int) -> Seen:
    figures = amounts(session, Figure.article_id == article_id)
    return figures, figure_changes(session, [article_id]), mentioned_names(session, article_id)


def hold_upload(ingestor: Ingestor, data: bytes, name: str, overrides: Overrides) -> Preview:
    """Parse an upload without storing it; when it would be a new article, keep it for review."""
    rehearsal = rehearse(ingestor, data, name, overrides, _inspect)
    if rehearsal.result.status != "new" or rehearsal.seen is None:
        return Preview(None, rehearsal.result)
    with session_scope(ingestor.settings.database_url) as session:
        pending_id = hold(
            session,
            now(),
            name=name[:500],
            data=data,
            title=overrides.title,
            published=overrides.published,
            source=overrides.source,
            url=overrides.url,
            added_by=overrides.added_by,
            added_by_name=overrides.added_by_name,
        )
    return _preview(pending_id, rehearsal.result, rehearsal.seen, rehearsal.source, rehearsal.url)


def preview_of(ingestor: Ingestor, pending_id: int) -> Preview | None:
    """The preview of a held upload as it stands now (other articles may have been added since)."""
    with session_scope(ingestor.settings.database_url) as session:
        row = pending(session, pending_id)
        if row is None:
            return None
        data, name, overrides = row.data, row.name, _overrides(row)
    rehearsal = rehearse(ingestor, data, name, overrides, _inspect)
    if rehearsal.seen is None:
        return Preview(pending_id, rehearsal.result)
    return _preview(pending_id, rehearsal.result, rehearsal.seen, rehearsal.source, rehearsal.url)


def _overrides(row: PendingUpload) -> Overrides:
    return Overrides(
        title=row.title,
        published=row.published,
        source=row.source,
        url=row.url,
        added_by=row.added_by,
        added_by_name=row.added_by_name,
    )


def _preview(pending_id: int, result: IngestResult, seen: Seen, source: str | None, url: str | None) -> Preview:
    figures, changes, names = seen
    labelled = [f for f in figures if f.entity and f.metric]
    return Preview(
        pending_id,
        result,
        source,
        url,
        names,
        by_subject([f for f in labelled if f.status not in PLAN_STATUSES])
        + by_subject([f for f in labelled if f.status in PLAN_STATUSES]),
        len(figures) - len(labelled),
        [c for c in changes if c.kind == "changed"],
        disagreements_of(changes),
    )


class NotPending(LookupError):
    """No held upload has that id: it was published or discarded already, or never held."""


def publish(ingestor: Ingestor, pending_id: int) -> IngestResult:
    """Run the normal ingest on a held upload, then let it go. Two admins publishing at once store it once: the
    second finds its text stored (a duplicate) and the upload gone."""
    with session_scope(ingestor.settings.database_url) as session:
        row = pending(session, pending_id)
        if row is None:
            raise NotPending(f"no upload {pending_id} is waiting for review (published or discarded already?)")
        data, name, overrides = row.data, row.name, _overrides(row)
    result = ingestor.ingest_bytes(data, name, overrides)
    if result.status != "failed":
        with session_scope(ingestor.settings.database_url) as session:
            drop(session, pending_id)
    return result


def discard(database_url: str, pending_id: int) -> bool:
    """Delete a held upload; False when there is none with that id."""
    with session_scope(database_url) as session:
        return drop(session, pending_id)


def _cite_text(a: ArticleRef) -> str:
    return ", ".join(p for p in (a.title, a.published.isoformat() if a.published else "undated", a.source) if p)


def preview_lines(
    preview: Preview, cite: Callable[[ArticleRef], str] = _cite_text, esc: Callable[[str], str] = str
) -> list[str]:
    """The preview as lines (plain text by default; mrkdwn with Slack's `cite` and escaping)."""
    r = preview.result
    if not preview.held:
        return [f"{esc(r.name)}: {r.status}, {esc(r.reason)}; nothing was held."]
    when = r.published.isoformat() if r.published else "no date found"
    outlet = preview.source or "outlet unknown"
    lines = [
        f"Held for review as upload {preview.pending_id}: “{esc(r.title or r.name)}” ({when}, {esc(outlet)})"
        + (f" {esc(preview.url)}" if preview.url else ""),
        "Not published: nothing of it is answerable or in a digest until an admin publishes it.",
    ]
    if preview.names:
        shown = ", ".join(esc(n) for n in preview.names[:NAMES_SHOWN])
        more = f" and {len(preview.names) - NAMES_SHOWN} more" if len(preview.names) > NAMES_SHOWN else ""
        new = [n for n in r.new_entities if n in preview.names]
        lines.append(
            f"Names: {shown}{more}." + (f" New: {', '.join(esc(n) for n in new[:NAMES_SHOWN])}." if new else "")
        )
    for title, kind, items in (
        (f"Figures ({len(preview.figures)})", "results", preview.figures),
        ("It would change", "changed", preview.changes),
        ("It would disagree with", "disagreements", preview.conflicts),
    ):
        if items:
            lines.append(title + ":")
            lines += [f"  • {line_words(kind, item, cite, esc)}" for item in items[:LINES_SHOWN]]
            if len(items) > LINES_SHOWN:
                lines.append(f"  …and {len(items) - LINES_SHOWN} more")
    if preview.unlabelled:
        lines.append(f"{preview.unlabelled} more figures without a named subject or metric.")
    return lines
