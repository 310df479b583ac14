"""Words as search sees them: Porter stems (the algorithm SQLite's FTS5 `porter` tokenizer applies)."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("porter")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """a an the of for on in at to by from with and or but as is are was were be been being it its this that these
    those has have had do does did will would can could should may might than then there their his her he she they
    we our you your i me my so such not no into over under about also which who whom whose what when where why how
    up out more most very just said says say""".split()  # noqa: SIM905
)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower()))


def words(text: str) -> list[str]:
    """Word tokens as FTS5's unicode61 tokenizer splits them (hyphens and apostrophes split too)."""
    return [w for w in re.split(r"[^\w]+|_", text) if w]


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w.lower() not in STOPWORDS and not w.isdigit()]


@lru_cache(maxsize=20_000)
def phrase_stems(text: str) -> frozenset[str]:
    """The stems of a short phrase (a period, a name), cached: the same ones recur across figures."""
    return frozenset(stems(text))


@lru_cache(maxsize=20_000)
def unit_words(unit: str | None) -> frozenset[str]:
    """The content stems of a counted unit ("derived models" -> {"deriv", "model"})."""
    return frozenset(content_stems(unit or ""))
