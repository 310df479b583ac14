"""Recognising a syndicated copy from its body text: word shingles, a MinHash signature cut into LSH bands (stored,
indexed, so a lookup reads only the articles sharing a band), then the exact Jaccard similarity of the shingles
on those few candidates.

A copy is the same report under another headline or outlet, with other page furniture, paragraphs in another
order and light edits: most of its runs of SHINGLE words are the same. Two reports of the same event written
apart share names and figures but few runs of words. `COPY_THRESHOLD` sits between the two; the pairs it was
measured on are in tests/test_feeds_similar.py, the numbers in docs/BENCHMARKS.md ("Feeds").

>>> a = shingles("Acme said on Tuesday it would buy Foo Ltd for three billion dollars in cash.")
>>> b = shingles("ACME said on Tuesday it would buy Foo Ltd for three billion dollars, in cash!")
>>> jaccard(a, b)
1.0
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

SHINGLE = 4  # words per shingle
BANDS = 32
ROWS = 3  # rows per band: a pair is a candidate with probability 1 - (1 - J**ROWS)**BANDS
PERMUTATIONS = BANDS * ROWS
COPY_THRESHOLD = 0.4  # exact Jaccard of the shingles at or above which a text is a copy
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20261207)  # fixed: signatures stored by one process are read by every other
_A = _rng.integers(1, (1 << 61) - 1, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, PERMUTATIONS, dtype=np.uint64)
_LOW32 = np.uint64(0xFFFFFFFF)
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> set[int]:
    """The text's runs of SHINGLE words, each as a 32-bit hash (a text shorter than that: its words)."""
    found = words(text)
    if len(found) < SHINGLE:
        return {zlib.crc32(w.encode()) for w in found}
    return {zlib.crc32(" ".join(found[i : i + SHINGLE]).encode()) for i in range(len(found) - SHINGLE + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def signature(found: set[int]) -> np.ndarray:
    """The MinHash signature: for each of PERMUTATIONS hash functions (a*x + b mod p), the least value."""
    if not found:
        return np.zeros(PERMUTATIONS, dtype=np.uint64)
    values = np.fromiter(found, dtype=np.uint64, count=len(found))
    # As datasketch does: the product wraps at 64 bits (which mixes it), then the modulo and the low 32 bits.
    hashed = ((np.outer(values, _A) + _B) % _PRIME) & _LOW32
    return np.asarray(hashed.min(axis=0))


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band: the band's number and its ROWS values, hashed."""
    keys = []
    for band in range(BANDS):
        part = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "big") + part, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def text_bands(text: str) -> tuple[set[int], list[int]]:
    """The text's shingles and its band keys."""
    found = shingles(text)
    return found, band_keys(signature(found)) if found else []
