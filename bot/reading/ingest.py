"""Adding articles: read, clean, parse in batches, and store each article in one transaction."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.reading.articles import PreparedArticle, prepare
from bot.reading.catalog import resolve_entities, sync_catalog
from bot.reading.files import SUPPORTED, DocumentError, Limits, RawDocument, read_bytes, read_path, too_long
from bot.reading.reconcile import reconcile_periods
from bot.reading.rules import Rules, rules_for
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Article, Entity, Figure, Mention, Sentence

if TYPE_CHECKING:  # spaCy loads with the pipeline, when an article is read, not when this module is imported
    from bot.reading.amounts import FoundFigure
    from bot.reading.analysis import Analysis
    from bot.reading.records import Measure

log = logging.getLogger(__name__)

BATCH_SIZE = 32
BATCH_CHARS = 100_000  # spaCy's memory grows with the characters it parses at once (about 3.5 MB per 1,000)
# From this many articles on, worker processes (one per core, at most PROCESSES) parse and analyse while this process
# stores; fewer (a Slack upload) are read here, with no process to start.
PARALLEL_MIN = 16
PROCESSES = 2


def parse_plan(count: int) -> tuple[int, int]:
    """(processes, batch size) for parsing `count` articles: workers only when there are enough articles to share,
    and batches small enough that each worker gets several."""
    processes = min(PROCESSES, os.cpu_count() or 1) if count >= PARALLEL_MIN else 1
    if processes == 1:
        return 1, BATCH_SIZE
    return processes, max(2, min(BATCH_SIZE, count // (4 * processes)))


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


def _duplicate(session: Session, text_hash: str) -> Article | None:
    return session.scalars(select(Article).where(Article.text_hash == text_hash)).first()


def duplicate_reason(article: Article) -> str:
    added = article.added_at.strftime("%Y-%m-%d")
    return f"already indexed on {added} as “{article.title}” (article #{article.id})"


class Ingestor:
    """Holds the pipeline and rules for a run; `ingest_documents` does the work."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        from bot.reading.nlp import get_nlp

        self.rules: Rules = rules_for(str(settings.seeds_dir))
        self.nlp = get_nlp(settings.spacy_model, self.rules)
        with session_scope(settings.database_url) as session:
            sync_catalog(session, self.rules)

    @property
    def limits(self) -> Limits:
        return Limits.of(self.settings)

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
                    prepared = prepare(doc, self.rules, title=overrides.title, published=overrides.published,
                                       source=overrides.source, url=overrides.url)
                    if len(prepared.text) > self.settings.max_article_chars:
                        raise too_long(len(prepared.text), self.limits)
                    existing = _duplicate(session, prepared.text_hash)
                except Exception as exc:  # one bad article must not stop the others
                    results[index] = IngestResult(name, "failed", _reason(exc, name, "read"))
                    continue
                if existing is not None:
                    results[index] = IngestResult(name, "duplicate", duplicate_reason(existing), existing.id,
                                                  existing.title, existing.published)
                elif prepared.text_hash in seen_hashes:
                    results[index] = IngestResult(name, "duplicate", f"same text as {seen_hashes[prepared.text_hash]}")
                else:
                    seen_hashes[prepared.text_hash] = name
                    todo.append((index, prepared))
        bar = _progress(len(todo), progress)
        for k, analysed in self._analysed(todo):
            index, prepared = todo[k]
            name = docs[index][0]
            try:
                if isinstance(analysed, BaseException):
                    raise analysed
                results[index] = self._store(name, prepared, analysed, overrides.added_by)
            except Exception as exc:  # one bad article must not stop the others
                results[index] = IngestResult(name, "failed", _reason(exc, name, "indexed"))
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        return [results[i] for i in range(len(docs))]

    def _analysed(self, todo: list[tuple[int, PreparedArticle]]) -> Iterator[tuple[int, Analysis | Exception]]:
        """(position in `todo`, its analysis or the error analysing it), in order. With enough articles, worker
        processes parse and analyse (only the small analyses come back, not the parsed documents) while this
        process stores; otherwise this process does it all."""
        self.nlp.max_length = max(self.nlp.max_length, self.settings.max_article_chars + 1)
        processes, batch_size = parse_plan(len(todo))
        jobs = [(k, p.text, p.published or p.mentions_until, p.published) for k, (_, p) in enumerate(todo)]
        batches = list(_job_batches(jobs, batch_size, max(self.settings.max_article_chars, BATCH_CHARS)))
        if processes == 1:
            for batch in batches:
                yield from _analyse_jobs(self.nlp, self.rules, batch, len(batch))
            return
        import multiprocessing

        _WORKER["nlp"], _WORKER["rules"] = self.nlp, self.rules  # inherited by the forked workers
        with multiprocessing.get_context("fork").Pool(processes, initializer=_die_with_parent,
                                                      initargs=(os.getpid(),)) as pool:
            for done in pool.imap(_analyse_batch, batches):
                yield from done

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
                text_hash=prepared.text_hash, added_by=added_by, added_at=stamp,
            )
            session.add(article)
            session.flush()
            sentences = cast(Table, Sentence.__table__)  # rows through the table, as for mentions below
            sentence_ids = list(session.scalars(
                insert(sentences).returning(sentences.c.id, sort_by_parameter_order=True),
                [{"article_id": article.id, "position": i, "start": s.start, "end": s.end, "text": s.text}
                 for i, s in enumerate(analysis.sentences)],
            )) if analysis.sentences else []
            entity_ids, new_names = resolve_entities(
                session, [m for s in analysis.sentences for m in s.mentions], stamp
            )
            mention_rows = [
                {"entity_id": entity_ids[m.name], "sentence_id": sid, "article_id": article.id,
                 "start": m.start, "end": m.end}
                for sid, s in zip(sentence_ids, analysis.sentences, strict=True) for m in s.mentions
                if m.name in entity_ids
            ]
            if mention_rows:  # plain inserts (the table, not the ORM's bulk path: a tenth of the cost)
                session.execute(insert(cast(Table, Mention.__table__)), mention_rows)
            # A subject read from the catalog ("its cloud intelligence unit") may not be mentioned by name.
            unnamed = {m.subject for row in analysis.sentences for m in row.measures
                       if m.subject and m.subject not in entity_ids}
            if unnamed:
                for entity_name, entity_id in session.execute(
                        select(Entity.name, Entity.id).where(Entity.name.in_(unnamed))):
                    entity_ids[entity_name] = entity_id
            figure_rows = [
                figure_row(article.id, sid, fig, measure, context, entity_ids, prepared.published, analysis.today)
                for sid, s in zip(sentence_ids, analysis.sentences, strict=True)
                for fig, measure, context in zip(s.figures, s.measures, s.contexts, strict=True)
            ]
            figures = cast(Table, Figure.__table__)
            figure_ids = list(session.scalars(
                insert(figures).returning(figures.c.id, sort_by_parameter_order=True), figure_rows
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
                session.execute(update(figures).where(figures.c.id == link["fid"])
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


_WORKER: dict[str, Any] = {}  # the pipeline and rules a forked worker process analyses with


def _analyse_jobs(nlp: Any, rules: Rules, jobs: list[tuple[int, str, date | None, date | None]],
                  batch_size: int) -> Iterator[tuple[int, Analysis | Exception]]:
    """Parse and analyse one batch; when spaCy fails on the batch, its articles are parsed one by one so only the
    bad one fails."""
    from bot.reading.analysis import analyse

    docs: list[Any]
    try:
        docs = list(nlp.pipe((text for _, text, _, _ in jobs), batch_size=batch_size))
    except Exception:
        docs = []
        for _, text, _, _ in jobs:
            try:
                docs.append(nlp(text))
            except Exception as exc:
                docs.append(exc)
    for doc, (k, _, default_date, published) in zip(docs, jobs, strict=True):
        if isinstance(doc, Exception):
            yield k, doc
            continue
        try:
            yield k, analyse(doc, rules, default_date, published=published)
        except Exception as exc:  # reported, and stored as a failure, by the caller
            yield k, exc


def _job_batches(jobs: list[tuple[int, str, date | None, date | None]], size: int,
                 chars: int) -> Iterator[list[tuple[int, str, date | None, date | None]]]:
    """Batches of at most `size` articles and `chars` characters (spaCy's memory grows with a batch's text)."""
    batch: list[tuple[int, str, date | None, date | None]] = []
    total = 0
    for job in jobs:
        if batch and (total + len(job[1]) > chars or len(batch) >= size):
            yield batch
            batch, total = [], 0
        batch.append(job)
        total += len(job[1])
    if batch:
        yield batch


def _die_with_parent(parent: int) -> None:
    """In a worker: end when the ingest that started it ends, even by SIGKILL (which runs no clean-up), instead
    of waiting on its pipe for ever. Linux asks the kernel to signal us; elsewhere a thread watches the parent."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGTERM) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before the request took effect
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _analyse_batch(jobs: list[tuple[int, str, date | None, date | None]]) -> list[tuple[int, Analysis | Exception]]:
    """In a worker process: parse and analyse one batch of articles."""
    out: list[tuple[int, Analysis | Exception]] = []
    for k, analysed in _analyse_jobs(_WORKER["nlp"], _WORKER["rules"], jobs, len(jobs)):
        if isinstance(analysed, Exception):  # its arguments may not survive the way back: its class does
            log.error("analysing an article failed", exc_info=analysed)
            try:
                analysed = type(analysed)()
            except Exception:
                analysed = RuntimeError(analysed.__class__.__name__)
        out.append((k, analysed))
    return out


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
    elif measure.status in ("plan", "forecast") and (article_date := published or estimated) is not None:
        # A target with no date holds after the article's date: it follows what was the case then.
        placed, basis = article_date + timedelta(days=1), "after"
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
