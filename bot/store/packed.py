"""Sentences stored compressed on SQLite: deflate against a preset dictionary of common English words.

The text of an article is most of the database (7 of 17.5 KB per article at 100,000 articles), and each sentence
is its own row, too short for deflate alone. Against `common_words.txt` (made by
scripts/make_sentence_dictionary.py) a sentence takes about 55% of its bytes; packing one costs about 13 µs and
unpacking about 1 µs. A stored value is a format byte and the data: 0 for UTF-8 as is (when deflate would not
save anything), 1 for deflate against the dictionary. PostgreSQL stores the text as it is: its search column is
generated from it in the server.

The full-text index's triggers read the text through the SQL function `unpack`, which every SQLite connection of
the bot registers (`register_functions`); a tool that opens the file without it can read but not change
`sentences`.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

DICTIONARY = Path(__file__).with_name("common_words.txt")
PLAIN = 0
DEFLATED = 1
LEVEL = 9


@lru_cache(maxsize=1)
def _primed() -> Any:
    """A compressor that has read the dictionary: each sentence is packed by a copy of it (copying is cheaper than
    reading the dictionary again)."""
    return zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _dictionary())


@lru_cache(maxsize=1)
def _dictionary() -> bytes:
    return DICTIONARY.read_bytes()


def pack(text: str) -> bytes:
    raw = text.encode("utf-8")
    compressor = _primed().copy()
    deflated = compressor.compress(raw) + compressor.flush()
    return bytes([DEFLATED]) + deflated if len(deflated) < len(raw) else bytes([PLAIN]) + raw


def unpack(value: bytes | str | None) -> str | None:
    """The text of a stored value; text stored before packing (or on PostgreSQL) comes back as it is."""
    if value is None or isinstance(value, str):
        return value
    if not value:
        return ""
    if value[0] == PLAIN:
        return bytes(value[1:]).decode("utf-8")
    if value[0] == DEFLATED:
        inflater = zlib.decompressobj(-15, _dictionary())
        return (inflater.decompress(value[1:]) + inflater.flush()).decode("utf-8")
    raise ValueError(f"unknown sentence format {value[0]}")


class PackedText(TypeDecorator[str]):
    """Text packed on SQLite (the column stays TEXT there: SQLite keeps the bytes as given), as is elsewhere."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        return pack(value) if value is not None and dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return unpack(value)


def register_functions(dbapi_connection: Any) -> None:
    """`pack(text)` and `unpack(value)` in SQL on a SQLite connection (the full-text triggers use `unpack`)."""
    dbapi_connection.create_function("pack", 1, lambda v: None if v is None else pack(str(v)), deterministic=True)
    dbapi_connection.create_function("unpack", 1, unpack, deterministic=True)
