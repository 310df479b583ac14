"""Adding articles: read, clean, parse in batches (`parse_pool`), and store each article in one transaction
(`storing`)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.reading.articles import PreparedArticle, prepare
from bot.reading.catalog import sync_catalog
from bot.reading.files import SUPPORTED, DocumentError, Limits, RawDocument, read_bytes, read_path, too_long
from bot.reading.parse_pool import analyse_articles
from bot.reading.storing import store_analysis
from bot.rules import Rules
from bot.settings import Settings
from bot.store.article_writes import article_with_text
from bot.store.db import session_scope
from bot.store.models import Article

if TYPE_CHECKING:  # spaCy loads with the pipeline, when an article is read, not when this module is imported
    from bot.reading.analysis import Analysis

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Overrides:
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    added_by: str | None = None
    added_by_name: str | None = None  # the Slack user's name, shown in digests instead of a mention


@dataclass
class IngestResult:
    name: str
    status: str  # new, duplicate, failed
    reason: str = ""
    article_id: int | None = None
    title: str | None = None
    published: date | None = None
    entities: int = 0
    new_entities: list[str] = field(default_factory=list)
    figures: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "reason": self.reason,
            "article_id": self.article_id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "entities": self.entities,
            "new_entities": self.new_entities,
            "figures": self.figures,
        }


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def expand_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Files as given, and the supported files inside folders (sorted, hidden files skipped), each with the
    reason it is skipped ("" when it is read). A link inside a folder that leads out of it is skipped."""
    for path in paths:
        if not path.is_dir():
            yield path, ""
            continue
        top = path.resolve()
        for child in sorted(path.rglob("*")):
            if child.name.startswith(".") or child.suffix.lower() not in SUPPORTED:
                continue
            if not child.resolve().is_relative_to(top):  # a link, or a path through one
                yield child, "skipped: a link to a file outside the folder"
                continue
            if child.is_file():
                yield child, ""


def duplicate_reason(article: Article) -> str:
    added = article.added_at.strftime("%Y-%m-%d")
    return f"already indexed on {added} as “{article.title}” (article #{article.id})"


class Ingestor:
    """Holds the pipeline and rules for a run; `ingest_documents` does the work."""

    def __init__(self, settings: Settings, rules: Rules) -> None:
        self.settings = settings
        from bot.reading.nlp import get_nlp

        self.rules = rules
        self.nlp = get_nlp(settings.spacy_model, self.rules)
        with session_scope(settings.database_url) as session:
            sync_catalog(session, self.rules)

    @property
    def limits(self) -> Limits:
        return Limits.of(self.settings)

    def prepare(self, doc: RawDocument, overrides: Overrides) -> PreparedArticle:
        """The article a read document makes, with what the uploader set over what it states; too long an article
        raises."""
        prepared = prepare(
            doc,
            self.rules,
            title=overrides.title,
            published=overrides.published,
            source=overrides.source,
            url=overrides.url,
        )
        if len(prepared.text) > self.settings.max_article_chars:
            raise too_long(len(prepared.text), self.limits)
        return prepared

    def ingest_paths(
        self, paths: Iterable[Path], overrides: Overrides | None = None, progress: bool | None = None
    ) -> list[IngestResult]:
        docs: list[tuple[str, RawDocument | DocumentError]] = []
        for path, skipped in expand_paths(paths):
            docs.append((str(path), DocumentError(skipped) if skipped else _read(path, self.limits)))
        return self.ingest_documents(docs, overrides, progress=progress)

    def ingest_bytes(self, data: bytes, name: str, overrides: Overrides | None = None) -> IngestResult:
        return self.ingest_documents([(name, _read(data, self.limits, name))], overrides, progress=False)[0]

    def ingest_documents(
        self,
        docs: Sequence[tuple[str, RawDocument | DocumentError]],
        overrides: Overrides | None = None,
        progress: bool | None = None,
    ) -> list[IngestResult]:
        """Each file on its own: whatever goes wrong with one (reading, cleaning, parsing, storing) becomes its
        one-line reason, stores nothing of it, and the others go on."""
        overrides = overrides or Overrides()
        results: dict[int, IngestResult] = {}
        todo: list[tuple[int, PreparedArticle]] = []
        seen_hashes: dict[str, str] = {}
        with session_scope(self.settings.database_url) as session:
            for index, (name, doc) in enumerate(docs):
                if isinstance(doc, DocumentError):
                    results[index] = IngestResult(name, "failed", str(doc))
                    continue
                try:
                    prepared = self.prepare(doc, overrides)
                    existing = article_with_text(session, prepared.text_hash)
                except Exception as exc:  # one bad article must not stop the others
                    results[index] = IngestResult(name, "failed", _reason(exc, name, "read"))
                    continue
                if existing is not None:
                    results[index] = IngestResult(
                        name, "duplicate", duplicate_reason(existing), existing.id, existing.title, existing.published
                    )
                elif prepared.text_hash in seen_hashes:
                    results[index] = IngestResult(name, "duplicate", f"same text as {seen_hashes[prepared.text_hash]}")
                else:
                    seen_hashes[prepared.text_hash] = name
                    todo.append((index, prepared))
        bar = _progress(len(todo), progress)
        for k, analysed in analyse_articles(
            self.nlp, self.rules, [p for _, p in todo], self.settings.max_article_chars
        ):
            index, prepared = todo[k]
            name = docs[index][0]
            try:
                if isinstance(analysed, BaseException):
                    raise analysed
                results[index] = self._store(name, prepared, analysed, overrides)
            except Exception as exc:  # one bad article must not stop the others
                results[index] = IngestResult(name, "failed", _reason(exc, name, "indexed"))
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        return [results[i] for i in range(len(docs))]

    def _store(self, name: str, prepared: PreparedArticle, analysis: Analysis, by: Overrides) -> IngestResult:
        """Write one article and everything found in it, in one transaction. Another process (a second replica
        given the same upload) may commit the same text first: its unique content hash makes ours a duplicate.
        A new entity another process added meanwhile clashes the same way; the second try finds it stored."""
        for attempt in (1, 2):
            try:
                return self._write(name, prepared, analysis, by)
            except IntegrityError:
                with session_scope(self.settings.database_url) as session:
                    existing = article_with_text(session, prepared.text_hash)
                if existing is not None:
                    return IngestResult(
                        name, "duplicate", duplicate_reason(existing), existing.id, existing.title, existing.published
                    )
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _write(self, name: str, prepared: PreparedArticle, analysis: Analysis, by: Overrides) -> IngestResult:
        with session_scope(self.settings.database_url) as session:
            existing = article_with_text(session, prepared.text_hash)
            if existing is not None:  # another process got there first
                return IngestResult(
                    name, "duplicate", duplicate_reason(existing), existing.id, existing.title, existing.published
                )
            stored = store_analysis(session, prepared, analysis, by.added_by, now(), by.added_by_name)
            return IngestResult(
                name,
                "new",
                "",
                stored.article_id,
                stored.title,
                stored.published,
                entities=stored.entities,
                new_entities=stored.new_entities,
                figures=stored.figures,
            )


def rehearse(
    ingestor: Ingestor, data: bytes, name: str, overrides: Overrides, inspect: Callable[[Session, int], T]
) -> Rehearsal[T]:
    """Ingest one file in a transaction that is rolled back: `inspect` reads what it would store (the article
    id it would have) before anything is kept, so a preview compares its figures exactly as the stored ones
    will be, and no answer or digest ever sees them."""
    doc = _read(data, ingestor.limits, name)
    if isinstance(doc, DocumentError):
        return Rehearsal(IngestResult(name, "failed", str(doc)), None)
    try:
        prepared = ingestor.prepare(doc, overrides)
    except Exception as exc:
        return Rehearsal(IngestResult(name, "failed", _reason(exc, name, "read")), None)
    [(_, analysed)] = analyse_articles(ingestor.nlp, ingestor.rules, [prepared], ingestor.settings.max_article_chars)
    if isinstance(analysed, BaseException):
        return Rehearsal(IngestResult(name, "failed", _reason(analysed, name, "indexed")), None)
    with session_scope(ingestor.settings.database_url) as session:
        existing = article_with_text(session, prepared.text_hash)
        if existing is not None:
            duplicate = IngestResult(
                name, "duplicate", duplicate_reason(existing), existing.id, existing.title, existing.published
            )
            return Rehearsal(duplicate, None)
        try:
            stored = store_analysis(session, prepared, analysed, overrides.added_by, now(), overrides.added_by_name)
            seen = inspect(session, stored.article_id)
        finally:
            session.rollback()
    result = IngestResult(
        name, "new", "", None, stored.title, stored.published, stored.entities, stored.new_entities, stored.figures
    )
    return Rehearsal(result, seen, prepared.source, prepared.url)


@dataclass
class Rehearsal(Generic[T]):
    """What ingesting a file would do: its result (status "new" with no article id) and what `inspect` read."""

    result: IngestResult
    seen: T | None
    source: str | None = None
    url: str | None = None


def _read(source: Path | bytes, limits: Limits, name: str = "") -> RawDocument | DocumentError:
    """The document, or the reason it cannot be read, as a fresh error that holds none of the file's bytes."""
    try:
        if isinstance(source, Path):
            return read_path(source, limits)
        return read_bytes(source, name, limits)
    except Exception as exc:
        return DocumentError(_reason(exc, name or str(source), "read"))


def _reason(exc: BaseException, name: str, step: str) -> str:
    """The one-line reason for a failed file; `step` is "read" or "indexed". Unexpected errors go to the log."""
    if isinstance(exc, DocumentError):
        return str(exc).splitlines()[0] if str(exc) else "could not be read"
    log.error("%s could not be %s", name, step, exc_info=exc)
    if isinstance(exc, MemoryError):
        return f"could not be {step}: it needs more memory than the bot has"
    return f"could not be {step} ({exc.__class__.__name__}); the error is in the bot's log"


def _progress(total: int, wanted: bool | None) -> Any:
    if wanted is False or total == 0 or (wanted is None and not sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", file=sys.stderr)
