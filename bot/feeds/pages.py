"""Reading one linked page into the index, each story once: a link already read, the same text, or a copy of a
stored story (near-duplicate by its body text) is not indexed again; a copy is kept as another outlet of the story.
An off-topic page is skipped. Fetched text is untrusted exactly like an upload: it goes through the same reading."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.feeds.extract import page_document
from bot.feeds.fetch import FetchError, Policy, fetch
from bot.feeds.relevance import off_topic_reason
from bot.feeds.urls import normalise_url
from bot.reading import similar
from bot.reading.articles import prepare
from bot.reading.files import DocumentError, RawDocument
from bot.reading.ingest import IngestResult, Overrides, now
from bot.rules import Rules
from bot.settings import Settings
from bot.store.article_writes import article_with_text
from bot.store.db import session_scope
from bot.store.models import Article
from bot.store.stories import (
    add_outlet,
    article_at_url,
    article_text,
    band_candidates,
    remember_urls,
)

if TYPE_CHECKING:
    from bot.reading.ingest import Ingestor

log = logging.getLogger(__name__)
OUTCOMES = ("indexed", "duplicate", "near-duplicate", "off-topic", "refused", "failed")


@dataclass
class PageOutcome:
    """What became of one link: `outcome` is one of OUTCOMES; `article_id` and `story_title` name the article it
    was indexed as, or the story it duplicates."""

    outcome: str
    reason: str = ""
    url: str = ""
    article_id: int | None = None
    story_title: str | None = None
    similarity: float | None = None
    title: str | None = None
    ingest: IngestResult | None = None  # what indexing found (entities, figures), when it was indexed

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"outcome": self.outcome, "reason": self.reason, "article_id": self.article_id}
        if self.outcome in ("duplicate", "near-duplicate") and self.article_id is not None:
            found["of"] = {"article_id": self.article_id, "title": self.story_title}
        if self.similarity is not None:
            found["similarity"] = self.similarity
        return found


@dataclass
class ReadyPage:
    """A page fetched and on topic, with the normalised URLs it was read under."""

    doc: RawDocument
    keys: list[str]


def _of(outcome: str, article: Article, reason: str, **more: object) -> PageOutcome:
    return PageOutcome(outcome, reason, article_id=article.id, story_title=article.title, **more)  # type: ignore[arg-type]


class Reader:
    """Reads links into the index for one process; the pipeline (spaCy) loads on the first page that gets that
    far. Fetches run in parallel; the check for copies and the writing are one at a time, so two copies read at
    once are still one story."""

    def __init__(self, settings: Settings, rules: Rules, ingestor: Ingestor | None = None) -> None:
        self.settings = settings
        self.rules = rules
        self.policy = Policy.of(settings)
        self._ingestor = ingestor
        self._lock = threading.Lock()

    @property
    def ingestor(self) -> Ingestor:
        if self._ingestor is None:
            from bot.reading.ingest import Ingestor

            self._ingestor = Ingestor(self.settings, self.rules)
        return self._ingestor

    def read_url(
        self,
        url: str,
        *,
        include: Iterable[str] = (),
        exclude: Iterable[str] = (),
        added_by: str | None = None,
        source: str | None = None,
    ) -> PageOutcome:
        """Fetch, extract, check and index the page at `url`; never raises for a bad page."""
        ready = self.fetch_page(url, include=include, exclude=exclude, source=source)
        return ready if isinstance(ready, PageOutcome) else self.index_page(ready, added_by)

    def fetch_page(
        self, url: str, *, include: Iterable[str] = (), exclude: Iterable[str] = (), source: str | None = None
    ) -> PageOutcome | ReadyPage:
        """The page fetched, its article found and checked for topic: ready to index, or what became of it. Safe
        to run for several links at once."""
        keys = [normalise_url(url)]
        with session_scope(self.settings.database_url) as session:
            known = article_at_url(session, keys)
            if known is not None:
                return _of("duplicate", known, f"this link was already read as “{known.title}” (#{known.id})", url=url)
        try:
            fetched = fetch(url, self.policy)
        except FetchError as exc:
            return PageOutcome("refused" if exc.refused else "failed", str(exc), url=url)
        keys.append(normalise_url(fetched.url))
        try:
            doc = page_document(fetched)
        except DocumentError as exc:
            return PageOutcome("refused" if "feed (XML)" in str(exc) else "failed", str(exc), url=fetched.url)
        if source:
            doc.source = source
        reason = off_topic_reason(self.rules, doc.title or "", doc.text, include, exclude)
        if reason:
            return PageOutcome("off-topic", reason, url=fetched.url, title=doc.title)
        return ReadyPage(doc, keys)

    def index_page(self, ready: ReadyPage, added_by: str | None) -> PageOutcome:
        """Index a fetched page unless its story is known; one page at a time, in the order called."""
        with self._lock:
            return self._index(ready.doc, ready.keys, added_by)

    def _index(self, doc: RawDocument, keys: list[str], added_by: str | None) -> PageOutcome:
        url = doc.url or ""
        try:
            prepared = prepare(doc, self.rules)
        except DocumentError as exc:
            return PageOutcome("failed", str(exc), url=url, title=doc.title)
        found, bands = similar.text_bands(prepared.text)
        stamp = now()
        with session_scope(self.settings.database_url) as session:
            known = article_at_url(session, keys)
            why = "this link was already read as"
            if known is None:
                known, why = article_with_text(session, prepared.text_hash), "same text as"
            if known is not None:
                remember_urls(session, known.id, keys)
                if why == "same text as" and keys[-1] != normalise_url(known.url or ""):
                    # The same words at another address: another outlet carried the story word for word.
                    add_outlet(
                        session,
                        known.id,
                        source=prepared.source,
                        url=url,
                        url_key=keys[-1],
                        title=prepared.title,
                        similarity=1.0,
                        stamp=stamp,
                    )
                reason = f"{why} “{known.title}” (#{known.id})"
                return _of("duplicate", known, reason, url=url, title=doc.title)
            best, score = None, 0.0
            for candidate in band_candidates(session, bands):
                value = similar.jaccard(found, similar.shingles(article_text(session, candidate)))
                if value > score:
                    best, score = candidate, value
            if best is not None and score >= similar.COPY_THRESHOLD:
                story = session.get_one(Article, best)
                add_outlet(
                    session,
                    story.id,
                    source=prepared.source,
                    url=url,
                    url_key=keys[-1],
                    title=prepared.title,
                    similarity=score,
                    stamp=stamp,
                )
                remember_urls(session, story.id, keys)
                reason = f"a copy of “{story.title}” (#{story.id}), {score:.0%} the same; kept as another outlet"
                return _of("near-duplicate", story, reason, url=url, title=doc.title, similarity=round(score, 3))
        result = self.ingestor.ingest_documents([(doc.name, doc)], Overrides(added_by=added_by), progress=False)[0]
        if result.status == "failed" or result.article_id is None:
            return PageOutcome("failed", result.reason or "could not be indexed", url=url, title=doc.title)
        with session_scope(self.settings.database_url) as session:
            remember_urls(session, result.article_id, keys)  # its bands were stored with it
        if result.status == "duplicate":
            return PageOutcome("duplicate", result.reason, url, result.article_id, result.title, title=doc.title)
        return PageOutcome("indexed", "", url, result.article_id, result.title, title=result.title, ingest=result)


_readers: dict[tuple[str, int], Reader] = {}
_readers_lock = threading.Lock()


def shared_reader(settings: Settings, rules: Rules) -> Reader:
    """The process's reader for these settings and rules: its pipeline loads once, and its lock keeps links read
    from Slack and feeds polled in the background one story each."""
    key = (settings.database_url, id(rules))
    with _readers_lock:
        if key not in _readers:
            _readers[key] = Reader(settings, rules)
        return _readers[key]
