"""The bounded newest-first window: the newest matches of an expression, with work bounded whatever the corpus.

An index stops at the limit only when matches come often; an AND of common words that seldom meet, or a phrase of
common words that is absent, makes it read whole posting lists, a cost that grows with the corpus. Such expressions
(`_cheap` tells them from the word counts) are evaluated here over the newest span of the index, word by word
(`_bounded`), and handed to the index only when that span shows the matches come often enough for it to stop
early.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sqlalchemy import Integer, bindparam, text
from sqlalchemy.orm import Session

from bot.store.packed import PackedText
from bot.store.search.backends import SearchBackend, backend_for
from bot.store.search.expression import Node, key_words, parse, quoted, stem_line
from bot.store.search.lookup_cache import newest_id
from bot.store.words import stem, words

MAX_CANDIDATES = 1000
# Searches the index cannot bound (see `_cheap`; a word is common when more than COMMON_ARTICLES articles use it)
# are evaluated over the newest span that PROBE_WINDOW sentences of their anchor words reach, no word read for more
# than SPAN_CAP sentences; an AND checks a part on the sentences' text once CHECK_ON_TEXT or fewer remain.
COMMON_ARTICLES = 2_000
PROBE_WINDOW = 100
SPAN_CAP = 20_000
CHECK_ON_TEXT = 200
DENSE_DEPTH = 1_000_000
LOOSE_READS = 32

# Sentences' texts by id (unpacked on SQLite by the column's type).
SENTENCE_TEXTS = (
    text("SELECT id, text FROM sentences WHERE id IN :ids")
    .bindparams(bindparam("ids", expanding=True))
    .columns(id=Integer(), text=PackedText())
)


_stem_counts: dict[tuple[str, int], dict[str, int]] = {}


def stem_counts(session: Session) -> dict[str, int]:
    """stem -> about how many articles use a word of it (the sum over its words in `terms`), read once per corpus
    version: the index searches stems, so "manager" costs what "manager", "managers" and "management" cost."""
    newest = newest_id(session, "articles") or 0
    key = (str(session.get_bind().engine.url), int(newest))
    counts = _stem_counts.get(key)
    if counts is None:
        counts = {}
        for term, df in session.execute(text("SELECT term, df FROM terms")):
            counts[stem(str(term))] = counts.get(stem(str(term)), 0) + int(df)
        if len(_stem_counts) > 8:
            _stem_counts.clear()
        _stem_counts[key] = counts
    return counts


def _counted(word: str) -> bool:
    """Whether ingest counts this word in `terms` (the rule of `reading.analysis`); others have no count."""
    return (word.isalpha() and 2 < len(word) < 40) or (word.isdigit() and len(word) <= 6)


class _Span:
    """One bounded search: the newest part of the index, from `floor` up, read word by word."""

    def __init__(self, backend: SearchBackend, session: Session, df: dict[str, int]) -> None:
        # df: stem -> article count (`stem_counts`)
        self.backend, self.session, self.df = backend, session, df
        self.floor = 0
        self.postings: dict[str, set[int]] = {}
        self.texts: dict[int, str] = {}

    def count(self, node: Node) -> float:
        """About how many articles match a part: a phrase its rarest key word, an OR the sum, an AND the least."""
        if node.op == "phrase":
            return min((self.word_count(w) for w in key_words(node.phrase)), default=0)
        counts = [self.count(part) for part in node.parts]
        return sum(counts) if node.op == "OR" else min(counts)

    def word_count(self, word: str) -> float:
        # A word ingest does not count in `terms` ("e", "AI") is taken as common.
        return self.df.get(stem(word), 0) if _counted(word) else math.inf

    def anchor(self, node: Node) -> set[str]:
        """Words of which every match of `node` has one: a phrase's rarest, an OR's all, an AND's rarest part's."""
        if node.op == "phrase":
            keys = key_words(node.phrase)
            return {min(keys, key=lambda w: (self.word_count(w), w))} if keys else set()
        if node.op == "OR":
            return set().union(*(self.anchor(part) for part in node.parts))
        return self.anchor(min(node.parts, key=self.count))

    def read(self, word: str) -> set[int]:
        """Sentences with `word` from the floor up; a word too common to read that far raises the floor."""
        if word not in self.postings:
            ids = self.backend.candidate_sentences(self.session, quoted(word), limit=SPAN_CAP, floor=self.floor)
            if len(ids) == SPAN_CAP:
                self.floor = max(self.floor, ids[-1])
            self.postings[word] = set(ids)
        return self.postings[word]

    def line(self, sid: int) -> str:
        return self.texts.get(sid, "")

    def load(self, ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in self.texts]
        if missing:
            rows = self.session.execute(SENTENCE_TEXTS, {"ids": missing})
            self.texts.update((int(sid), stem_line(t)) for sid, t in rows)

    def evaluate(self, node: Node) -> set[int]:
        """Sentences from the floor up that have every key word of some alternative (phrases checked later); an
        AND checks its commoner parts on the few sentences left rather than reading their postings."""
        if node.op == "phrase":
            found: set[int] | None = None
            for word in sorted(key_words(node.phrase), key=lambda w: (self.word_count(w), w)):
                found = self.read(word) if found is None else found & self.read(word)
                if not found:
                    break
            return set(found or ())
        if node.op == "OR":
            return set().union(*(self.evaluate(part) for part in node.parts))
        parts = sorted(node.parts, key=self.count)
        found = self.evaluate(parts[0])
        for part in parts[1:]:
            if not found:
                break
            if len(found) <= CHECK_ON_TEXT or (len(found) <= 5 * CHECK_ON_TEXT and self.count(part) == math.inf):
                self.load(found)
                found = {i for i in found if part.matches(self.line(i))}
            else:
                found &= self.evaluate(part)
        return found


def _cheap(span: _Span, node: Node) -> bool:
    """Whether the index's own evaluation stays cheap on any corpus: no phrase of common words (the index reads
    the positions of every sentence that has them all), and no AND of parts that are all common (the index reads
    their whole posting lists to learn that they seldom meet)."""
    if node.op == "phrase":
        keys = key_words(node.phrase)
        return len(words(node.phrase)) <= 1 or any(span.word_count(w) < COMMON_ARTICLES for w in keys)
    if not all(_cheap(span, part) for part in node.parts):
        return False
    return node.op == "OR" or any(span.count(part) < COMMON_ARTICLES for part in node.parts)


def _loose(phrase: str) -> bool:
    """A phrase of several words. The SQLite index keeps no word positions (they would be a fifth of the database,
    and where a phrase of common words is absent, reading them costs a pass over every sentence that has its
    words), so a phrase is searched as the AND of its key words and checked on the sentence, on both backends."""
    return len(words(phrase)) > 1


def _relaxed(node: Node) -> str:
    """The expression with each phrase of several words as the AND of its key words: found through posting lists
    alone, a superset that `_exact` narrows."""
    if node.op == "phrase":
        keys = [quoted(w) for w in key_words(node.phrase)] or ['""']
        return keys[0] if len(keys) == 1 else "(" + " AND ".join(keys) + ")"
    return "(" + f" {node.op} ".join(_relaxed(part) for part in node.parts) + ")"


def _exact(span: _Span, ids: list[int], node: Node, limit: int) -> list[int]:
    """The first `limit` of `ids` (newest first) that match `node` itself, phrases included."""
    if not any(_loose(p) for p in node.phrases()):
        return ids[:limit]
    kept: list[int] = []
    for start in range(0, len(ids), limit):
        chunk = ids[start : start + limit]
        span.load(chunk)
        kept += [i for i in chunk if node.matches(span.line(i))]
        if len(kept) >= limit:
            break
    return kept[:limit]


def _through_index(span: _Span, node: Node, limit: int, deep: bool = True) -> list[int]:
    """The index evaluates the expression itself, phrases as their key words, checked here the same on both
    backends (PostgreSQL's own phrase query drops a stop word and lets any word stand in its place); when a
    phrase's words stand apart in most sentences, the index is read further, up to LOOSE_READS times the limit."""
    relaxed = _relaxed(node)
    if not any(_loose(p) for p in node.phrases()):
        return span.backend.candidate_sentences(span.session, relaxed, limit=limit, deep=deep)
    wanted = 2 * limit
    while True:
        found = span.backend.candidate_sentences(span.session, relaxed, limit=wanted, deep=deep)
        kept = _exact(span, found, node, limit)
        if len(kept) >= limit or len(found) < wanted or wanted >= LOOSE_READS * limit:
            return kept
        wanted *= 4


def _bounded(span: _Span, node: Node, limit: int) -> list[int]:
    """The newest `limit` matches of `node`, with the work bounded by a probe of the newest end of the index.

    Every match has one of the anchor words; their newest `window` sentences reach down to a floor, above which
    each word of the expression is read (the index stops at the floor, so a read is as long as the word's
    matches in the span, whatever the corpus) and the expression is evaluated exactly. When that finds fewer
    than `limit`, it also tells how dense the matches are: dense enough, the index evaluates the expression
    itself, phrases as their words (it stops at the limit, within DENSE_DEPTH sentences); otherwise the span
    deepens once, and what lies deeper is left to the caller's OR search.
    """
    anchor = " OR ".join(quoted(w) for w in sorted(span.anchor(node)))
    if not anchor:
        return []
    kept: list[int] = []
    for window in (PROBE_WINDOW, PROBE_WINDOW * 16):
        probe = span.backend.candidate_sentences(span.session, anchor, limit=window)
        span.floor = probe[-1] if len(probe) == window else 0
        span.postings.clear()
        found = sorted((i for i in span.evaluate(node) if i >= span.floor), reverse=True)
        kept = _exact(span, found, node, limit)
        if len(kept) >= limit or span.floor == 0:
            break
        if kept and (probe[0] - span.floor) * limit / len(kept) <= DENSE_DEPTH:
            return _through_index(span, node, limit)
    return kept


def candidate_sentences(session: Session, expression: str, *, limit: int = MAX_CANDIDATES) -> list[int]:
    """Ids of the newest `limit` sentences matching `expression`, newest first.

    The caller ranks the window it gets, and narrows the expression (AND before OR, names as a group) to make
    the window count. Work is bounded whatever the corpus: an expression the index evaluates cheaply goes to it
    whole (`_cheap`); any other is evaluated here over the newest span of the index (`_bounded`).
    """
    node = parse(expression)
    backend = backend_for(session)
    span = _Span(backend, session, stem_counts(session))
    cheap = _cheap(span, node)
    if backend.bounds_itself or cheap:
        return _through_index(span, node, limit, deep=cheap)
    return _bounded(span, node, limit)
