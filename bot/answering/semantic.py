"""Semantic similarity of words and sentences from static word-piece embeddings distilled from all-MiniLM-L6-v2.

A text's vector is the mean of its word pieces' vectors (each already weighted by how rare the piece is), scaled
to unit length, so that words the articles do not use still match: "released" is near "unveiled", "staff" near
"employees". The model (embeddings/, made by scripts/distill_embeddings.py) is read from the package on first
use, never fetched; everything here is deterministic and runs on numpy alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

MODEL_DIR = Path(__file__).resolve().parent / "embeddings"
# [PAD], [UNK], [CLS], [SEP], [MASK] come first in the vocabulary and carry no meaning.
SPECIAL_TOKENS = 5


class StaticModel:
    """Word-piece vectors and the tokenizer that splits text into those pieces."""

    def __init__(self, tokenizer: Tokenizer, table: np.ndarray) -> None:
        if tokenizer.get_vocab_size() != table.shape[0]:
            raise ValueError(f"tokenizer has {tokenizer.get_vocab_size()} tokens, embeddings {table.shape[0]}")
        self.tokenizer = tokenizer
        self.table = table
        self.dims = int(table.shape[1])

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> StaticModel:
        tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(tokenizer, np.load(directory / "embeddings.npy"))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text; a text with no known word piece gets a zero row."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if not texts:
            return out
        pieces = [
            [i for i in e.ids if i >= SPECIAL_TOKENS]
            for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        ]
        rows = [r for r, ids in enumerate(pieces) if ids]
        if not rows:
            return out
        flat = np.fromiter((i for r in rows for i in pieces[r]), dtype=np.int64)
        counts = np.array([len(pieces[r]) for r in rows])
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        sums = np.add.reduceat(self.table[flat].astype(np.float32), starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        # The mean and the sum point the same way: scaling to unit length makes them one.
        out[rows] = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
        return out


class WordVectors:
    """The vectors of corpus words, each computed once and kept: the articles' vocabulary grows slowly."""

    CHUNK = 4096  # words encoded per call, which bounds the tokenizer's temporary memory

    def __init__(self, model: StaticModel) -> None:
        self.model = model
        self.index: dict[str, int] = {}
        self._data = np.zeros((1024, model.dims), dtype=np.float32)

    @property
    def matrix(self) -> np.ndarray:
        """One row per word seen so far, in the order of `index` (rows are only ever appended)."""
        return self._data[: len(self.index)]

    def rows(self, words: Sequence[str]) -> np.ndarray:
        """Row numbers in `matrix` for `words`, encoding the words not seen before."""
        new = [w for w in dict.fromkeys(words) if w not in self.index]
        first = len(self.index)
        if first + len(new) > len(self._data):
            # Grow by doubling, so adding a few words at a time does not copy the whole matrix each time.
            grown = np.zeros((max(2 * len(self._data), first + len(new)), self.model.dims), dtype=np.float32)
            grown[:first] = self._data[:first]
            self._data = grown
        for start in range(0, len(new), self.CHUNK):
            chunk = new[start : start + self.CHUNK]
            self._data[first + start : first + start + len(chunk)] = self.model.encode(chunk)
        self.index.update((w, first + n) for n, w in enumerate(new))
        return np.fromiter((self.index[w] for w in words), dtype=np.int64, count=len(words))


class WordIndex:
    """A vocabulary made ready for nearest-word lookups: its words, their rows in the word cache, and where each
    spelling sits (to leave the query word out)."""

    def __init__(self, vocabulary: Iterable[str], store: WordVectors) -> None:
        self.words = [w for w in dict.fromkeys(vocabulary) if w.strip()]
        self.rows = store.rows(self.words)
        self.positions: dict[str, list[int]] = {}
        for n, w in enumerate(self.words):
            self.positions.setdefault(w.strip().lower(), []).append(n)


_load_lock = threading.Lock()
_words_lock = threading.Lock()
_model: StaticModel | None = None
_words: WordVectors | None = None
# The last few vocabularies asked about, made ready: the caller usually asks about the same corpus words again.
_indexes: OrderedDict[tuple[str, ...], WordIndex] = OrderedDict()
INDEXES_KEPT = 2


def model() -> StaticModel:
    """The packaged model, loaded on first use (thread-safe: Slack listeners and the scheduler share it)."""
    global _model, _words
    if _model is None:
        with _load_lock:
            if _model is None:
                loaded = StaticModel.load()
                _words = WordVectors(loaded)
                _model = loaded
    return _model


def encode(texts: Iterable[str]) -> np.ndarray:
    """L2-normalised sentence vectors (rows), the mean of each text's weighted word-piece vectors."""
    return model().encode(list(texts))


def similarity(query: str, sentences: Iterable[str]) -> list[float]:
    """Cosine similarity of `query` to each sentence, in order (0.0 when either has no known word piece)."""
    vectors = encode([query, *sentences])
    return [float(s) for s in vectors[1:] @ vectors[0]]


def neighbours(word: str, vocabulary: Iterable[str], k: int = 10, min_score: float = 0.0) -> list[tuple[str, float]]:
    """The `k` words of `vocabulary` nearest to `word` (best first, ties by word), the word itself left out.

    Words are compared as given (the tokenizer lowercases); only scores above `min_score` are returned. The words'
    vectors are cached, and so is the prepared vocabulary: passing the same words again costs one matrix product.
    """
    query = word.strip()
    target = model().encode([query])[0] if query and k > 0 else None
    if target is None or not target.any():
        return []
    key = tuple(vocabulary)
    with _words_lock:
        assert _words is not None
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = WordIndex(key, _words)
            while len(_indexes) > INDEXES_KEPT:
                _indexes.popitem(last=False)
        _indexes.move_to_end(key)
        # Scoring every cached word and then picking the rows is cheaper than copying the rows out first.
        scores = (_words.matrix @ target)[index.rows]
    scores[index.positions.get(query.lower(), [])] = -np.inf
    count = len(index.words) - len(index.positions.get(query.lower(), []))
    if count <= 0:
        return []
    top = np.flatnonzero(np.isfinite(scores))
    if k < count:
        # argpartition's choice among equal scores is arbitrary: widen to every word tying the k-th score.
        kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
        top = np.flatnonzero(scores >= kth)
    ranked = sorted(((index.words[i], float(scores[i])) for i in top), key=lambda p: (-p[1], p[0]))
    return [(w, s) for w, s in ranked[:k] if s > min_score]


EXPAND_MIN = 0.6  # similarity a corpus word needs to be searched for in place of the user's word
EXPAND_TOP = 3


def related_words(word: str, vocabulary: Sequence[str]) -> tuple[str, ...]:
    """Words of the articles close in meaning to a query word, other than its own forms ("unveiled" for
    "released" if the articles use it; "expenditure" for "spending")."""
    from bot.store.words import stem

    own = stem(word)
    return tuple(
        w for w, _score in neighbours(word, vocabulary, k=EXPAND_TOP + 3, min_score=EXPAND_MIN) if stem(w) != own
    )[:EXPAND_TOP]
