"""Adding articles: read, clean, parse in batches, and store each article in one transaction."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.reading.amounts import FoundFigure
from bot.reading.analysis import Analysis, analyse
from bot.reading.articles import PreparedArticle, prepare
from bot.reading.catalog import resolve_entities, sync_catalog
from bot.reading.documents import SUPPORTED, DocumentError, RawDocument, read_bytes, read_path
from bot.reading.nlp import get_nlp
from bot.reading.reconcile import reconcile_periods
from bot.reading.records import Measure
from bot.reading.rules import Rules, rules_for
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Article, Figure, Mention, Sentence

log = logging.getLogger(__name__)

BATCH_SIZE = 32


@dataclass
class Overrides:
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    added_by: str | None = None


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
            "name": self.name, "status": self.status, "reason": self.reason, "article_id": self.article_id,
            "title": self.title, "published": self.published.isoformat() if self.published else None,
            "entities": self.entities, "new_entities": self.new_entities, "figures": self.figures,
        }


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the supported files inside folders (sorted, hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in SUPPORTED:
                    yield child
        else:
            yield path


def _duplicate(session: Session, text_hash: str) -> Article | None:
    return session.scalars(select(Article).where(Article.text_hash == text_hash)).first()


def duplicate_reason(article: Article) -> str:
    added = article.added_at.strftime("%Y-%m-%d")
    return f"already indexed on {added} as “{article.title}” (article #{article.id})"


class Ingestor:
    """Holds the pipeline and rules for a run; `ingest_documents` does the work."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rules: Rules = rules_for(str(settings.seeds_dir))
        self.nlp = get_nlp(settings.spacy_model, self.rules)
        with session_scope(settings.database_url) as session:
            sync_catalog(session, self.rules)

    def ingest_paths(
        self, paths: Iterable[Path], overrides: Overrides | None = None, progress: bool | None = None
    ) -> list[IngestResult]:
        files = list(expand_paths(paths))
        docs: list[tuple[str, RawDocument | DocumentError]] = []
        for path in files:
            try:
                docs.append((str(path), read_path(path, self.settings.max_article_bytes)))
            except DocumentError as exc:
                docs.append((str(path), exc))
        return self.ingest_documents(docs, overrides, progress=progress)

    def ingest_bytes(self, data: bytes, name: str, overrides: Overrides | None = None) -> IngestResult:
        try:
            doc: RawDocument | DocumentError = read_bytes(data, name, self.settings.max_article_bytes)
        except DocumentError as exc:
            doc = exc
        return self.ingest_documents([(name, doc)], overrides, progress=False)[0]

    def ingest_documents(
        self,
        docs: Sequence[tuple[str, RawDocument | DocumentError]],
        overrides: Overrides | None = None,
        progress: bool | None = None,
    ) -> list[IngestResult]:
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
                    prepared = prepare(doc, self.rules, title=overrides.title, published=overrides.published,
                                       source=overrides.source, url=overrides.url)
                except DocumentError as exc:
                    results[index] = IngestResult(name, "failed", str(exc))
                    continue
                existing = _duplicate(session, prepared.text_hash)
                if existing is not None:
                    results[index] = IngestResult(name, "duplicate", duplicate_reason(existing), existing.id,
                                                  existing.title, existing.published)
                elif prepared.text_hash in seen_hashes:
                    results[index] = IngestResult(name, "duplicate", f"same text as {seen_hashes[prepared.text_hash]}")
                else:
                    seen_hashes[prepared.text_hash] = name
                    todo.append((index, prepared))
        bar = _progress(len(todo), progress)
        texts = ((p.text, (i, p)) for i, p in todo)
        for parsed, (index, prepared) in self.nlp.pipe(texts, as_tuples=True, batch_size=BATCH_SIZE):
            name = docs[index][0]
            try:
                analysis = analyse(parsed, self.rules, prepared.published or prepared.mentions_until,
                                   published=prepared.published)
                results[index] = self._store(name, prepared, analysis, overrides.added_by)
            except Exception as exc:  # one bad article must not stop the others
                log.exception("failed to index %s", name)
                results[index] = IngestResult(name, "failed", f"could not be indexed: {exc.__class__.__name__}")
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        return [results[i] for i in range(len(docs))]

    def _store(self, name: str, prepared: PreparedArticle, analysis: Analysis, added_by: str | None) -> IngestResult:
        """Write one article and everything found in it, in one transaction. Another process (a second replica
        given the same upload) may commit the same text first: its unique content hash makes ours a duplicate.
        A new entity another process added meanwhile clashes the same way; the second try finds it stored."""
        for attempt in (1, 2):
            try:
                return self._write(name, prepared, analysis, added_by)
            except IntegrityError:
                with session_scope(self.settings.database_url) as session:
                    existing = _duplicate(session, prepared.text_hash)
                if existing is not None:
                    return IngestResult(name, "duplicate", duplicate_reason(existing), existing.id, existing.title,
                                        existing.published)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _write(self, name: str, prepared: PreparedArticle, analysis: Analysis, added_by: str | None) -> IngestResult:
        with session_scope(self.settings.database_url) as session:
            existing = _duplicate(session, prepared.text_hash)
            if existing is not None:  # another process got there first
                return IngestResult(name, "duplicate", duplicate_reason(existing), existing.id, existing.title,
                                    existing.published)
            stamp = now()
            article = Article(
                title=prepared.title, published=prepared.published,
                mentions_until=prepared.published or analysis.today or prepared.mentions_until,
                source=prepared.source, url=prepared.url, filename=Path(prepared.filename).name[:500],
                text=prepared.text, text_hash=prepared.text_hash, added_by=added_by, added_at=stamp,
            )
            session.add(article)
            session.flush()
            sentence_ids = list(session.scalars(
                insert(Sentence).returning(Sentence.id, sort_by_parameter_order=True),
                [{"article_id": article.id, "position": i, "start": s.start, "end": s.end, "text": s.text}
                 for i, s in enumerate(analysis.sentences)],
            )) if analysis.sentences else []
            entity_ids, new_names = resolve_entities(
                session, [m for s in analysis.sentences for m in s.mentions], stamp
            )
            mention_rows = [
                {"entity_id": entity_ids[m.name], "sentence_id": sid, "article_id": article.id,
                 "start": m.start, "end": m.end, "text": m.text[:300]}
                for sid, s in zip(sentence_ids, analysis.sentences, strict=True) for m in s.mentions
                if m.name in entity_ids
            ]
            if mention_rows:
                session.execute(insert(Mention), mention_rows)
            figure_rows = [
                figure_row(article.id, sid, fig, measure, context, entity_ids, prepared.published, analysis.today)
                for sid, s in zip(sentence_ids, analysis.sentences, strict=True)
                for fig, measure, context in zip(s.figures, s.measures, s.contexts, strict=True)
            ]
            figure_ids = list(session.scalars(
                insert(Figure).returning(Figure.id, sort_by_parameter_order=True), figure_rows
            )) if figure_rows else []
            links = []
            offset = 0
            for s in analysis.sentences:
                for fig in s.figures:
                    if fig.conversion_of is not None:
                        parent_index = offset + fig.conversion_of
                        links.append({"fid": figure_ids[offset + s.figures.index(fig)],
                                      "parent": figure_ids[parent_index]})
                offset += len(s.figures)
            for link in links:
                session.execute(update(Figure).where(Figure.id == link["fid"])
                                .values(conversion_of_id=link["parent"]))
            reconcile_periods(session, article.id)
            if analysis.terms:
                session.execute(
                    text("INSERT INTO terms(term, df) VALUES (:term, 1) "
                         "ON CONFLICT(term) DO UPDATE SET df = terms.df + 1"),
                    [{"term": t} for t in analysis.terms],
                )
            return IngestResult(
                name, "new", "", article.id, article.title, article.published,
                entities=len(set(entity_ids.values())), new_entities=new_names, figures=len(figure_rows),
            )


def figure_row(article_id: int, sentence_id: int, fig: FoundFigure, measure: Measure, context: str,
               entity_ids: dict[str, int], published: date | None, estimated: date | None) -> dict[str, Any]:
    """The stored record of one figure; `placed_on` is where it stands in time, and `placed_by` says how."""
    period = measure.period
    placed: date | None
    basis: str | None
    as_of = measure.as_of if measure.as_of is not None else (
        published if fig.kind == "count" and period is None and measure.status == "actual" else None)
    if period is not None and period.end is not None:
        placed, basis = period.end, "period"
    elif as_of is not None:
        placed, basis = as_of, "as_of"
    elif published is not None:
        placed, basis = published, "published"
    else:
        placed, basis = estimated, "estimated" if estimated else None
    return {
        "article_id": article_id, "sentence_id": sentence_id,
        "entity_id": entity_ids.get(measure.subject) if measure.subject else None,
        "kind": fig.kind, "value": fig.value, "unit": fig.unit, "text": fig.text[:200],
        "qualifier": fig.qualifier, "period": (fig.period or None) and fig.period[:120],
        "as_of": as_of, "context": context, "start": fig.start, "end": fig.end,
        "metric": (measure.metric or None) and measure.metric[:120], "status": measure.status,
        "period_start": period.start if period else None, "period_end": period.end if period else None,
        "period_kind": period.kind if period else None, "period_weak": bool(period and period.weak),
        "placed_on": placed, "placed_by": basis,
    }


def _progress(total: int, wanted: bool | None) -> Any:
    if wanted is False or total == 0 or (wanted is None and not sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", file=sys.stderr)


def counts(session: Session) -> dict[str, object]:
    from bot.store.models import Entity

    last = session.scalar(select(func.max(Article.added_at)))
    return {
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "entities": session.scalar(select(func.count()).select_from(Entity)
                                   .where(Entity.id.in_(select(Mention.entity_id)))) or 0,
        "figures": session.scalar(select(func.count()).select_from(Figure)) or 0,
        "last_added": last,
    }
