"""Ranking inside the window: BM25 of the window's sentences, with term weights from the article counts ingest
keeps (`terms`), so ranking never scores the whole match set and both backends rank alike."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from bot.store.search.expression import parse
from bot.store.search.lookup_cache import newest_id
from bot.store.search.window import SENTENCE_TEXTS, candidate_sentences
from bot.store.words import stem, stems, words

BM25_K1 = 1.2
BM25_B = 0.75


def document_counts(session: Session, words_: Iterable[str]) -> dict[str, int]:
    """word (lower case) -> the number of articles using it, from the `terms` table ingest keeps."""
    lowered = sorted({w.lower() for w in words_})
    if not lowered:
        return {}
    sql = text("SELECT term, df FROM terms WHERE term IN :terms").bindparams(bindparam("terms", expanding=True))
    return {str(t): int(n) for t, n in session.execute(sql, {"terms": lowered})}


_corpus_sizes: dict[tuple[str, int], int] = {}


def corpus_size(session: Session) -> int:
    """The number of articles, counted once per corpus version (the newest article id)."""
    newest = newest_id(session, "articles") or 0
    key = (str(session.get_bind().engine.url), int(newest))
    if key not in _corpus_sizes:
        if len(_corpus_sizes) > 64:
            _corpus_sizes.clear()
        _corpus_sizes[key] = int(session.execute(text("SELECT count(*) FROM articles")).scalar_one())
    return _corpus_sizes[key]


def term_weights(session: Session, query_words: list[str]) -> dict[str, float]:
    """query stem -> BM25 idf, from the article counts ingest keeps per word (`terms`): primary-key reads."""
    lowered = sorted({w.lower() for w in query_words})
    if not lowered:
        return {}
    total = max(corpus_size(session), 1)
    df = document_counts(session, lowered)
    weights: dict[str, float] = {}
    for word in lowered:
        n = min(df.get(word, 0), total)
        idf = math.log((total - n + 0.5) / (n + 0.5) + 1.0)
        key = stem(word)
        weights[key] = max(weights.get(key, 0.0), idf)
    return weights


def bm25_scores(texts: dict[int, str], weights: dict[str, float]) -> dict[int, float]:
    """BM25 of each sentence for the weighted query stems; lengths relative to the window's mean."""
    if not texts:
        return {}
    counted = {sid: Counter(stems(t)) for sid, t in texts.items()}
    mean = sum(sum(c.values()) for c in counted.values()) / len(counted) or 1.0
    scores: dict[int, float] = {}
    for sid, counts in counted.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * sum(counts.values()) / mean)
        scores[sid] = sum(w * counts[s] * (BM25_K1 + 1) / (counts[s] + norm) for s, w in weights.items() if counts[s])
    return scores


def ranked_window(session: Session, expression: str, *, limit: int) -> list[tuple[int, float]]:
    """The newest `limit` matches ranked best first: (sentence id, score), lower is better (as FTS5's bm25).

    The window comes through the index; the score is BM25 computed for the window's sentences only, with term
    weights from cached document counts, so no query scores every match in the corpus.
    """
    ids = candidate_sentences(session, expression, limit=limit)
    if not ids:
        return []
    weights = term_weights(session, [w for p in parse(expression).phrases() for w in words(p)])
    texts = {int(sid): str(t) for sid, t in session.execute(SENTENCE_TEXTS, {"ids": ids})}
    scores = bm25_scores(texts, weights)
    # Ties keep the newer sentence first, so the order is the same on every run and every backend.
    return sorted(((sid, -scores.get(sid, 0.0)) for sid in ids), key=lambda r: (r[1], -r[0]))
