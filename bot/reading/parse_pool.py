"""Parsing and analysing articles in batches: in this process for a few, in worker processes (forked, one per
core) for many, while the caller stores what comes back. Only the small analyses come back, not the parsed
documents."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy loads with the pipeline, when an article is read, not when this module is imported
    from bot.reading.analysis import Analysis
    from bot.reading.articles import PreparedArticle
    from bot.rules import Rules

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


def analyse_articles(
    nlp: Any, rules: Rules, todo: Sequence[PreparedArticle], max_chars: int
) -> Iterator[tuple[int, Analysis | Exception]]:
    """(position in `todo`, its analysis or the error analysing it), in order. With enough articles, worker
    processes parse and analyse while the caller stores; otherwise this process does it all."""
    nlp.max_length = max(nlp.max_length, max_chars + 1)
    processes, batch_size = parse_plan(len(todo))
    jobs = [(k, p.text, p.published or p.mentions_until, p.published) for k, p in enumerate(todo)]
    batches = list(_job_batches(jobs, batch_size, max(max_chars, BATCH_CHARS)))
    if processes == 1:
        for batch in batches:
            yield from _analyse_jobs(nlp, rules, batch, len(batch))
        return
    import multiprocessing

    _WORKER["nlp"], _WORKER["rules"] = nlp, rules  # inherited by the forked workers
    with multiprocessing.get_context("fork").Pool(
        processes, initializer=_die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        for done in pool.imap(_analyse_batch, batches):
            yield from done


_WORKER: dict[str, Any] = {}  # the pipeline and rules a forked worker process analyses with


def _analyse_jobs(
    nlp: Any, rules: Rules, jobs: list[tuple[int, str, date | None, date | None]], batch_size: int
) -> Iterator[tuple[int, Analysis | Exception]]:
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


def _job_batches(
    jobs: list[tuple[int, str, date | None, date | None]], size: int, chars: int
) -> Iterator[list[tuple[int, str, date | None, date | None]]]:
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
