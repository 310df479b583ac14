"""Sentences stored packed on SQLite (bot/store/packed.py): any text comes back exactly, the dictionary is the one
the script makes, a seed article's sentences take well under deflate-alone's size, and PostgreSQL keeps text."""

from __future__ import annotations

import subprocess
import sys
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from bot.settings import PROJECT_ROOT
from bot.store.db import session_scope
from bot.store.models import Sentence
from bot.store.packed import DEFLATED, PLAIN, pack, unpack


@given(st.text(max_size=2000))
def test_any_text_comes_back_exactly(value: str) -> None:
    packed = pack(value)
    assert packed[0] in (PLAIN, DEFLATED) and unpack(packed) == value


def test_a_value_never_grows_by_more_than_its_format_byte() -> None:
    assert pack("Q") == bytes([PLAIN]) + b"Q"  # deflate's own framing would cost more than the byte
    noise = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(300))
    assert len(pack(noise)) <= len(noise.encode()) + 1
    assert unpack("stored before packing") == "stored before packing" and unpack(None) is None


def test_the_dictionary_is_what_the_script_makes() -> None:
    check = subprocess.run(
        [sys.executable, "scripts/make_sentence_dictionary.py", "--check"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.both_backends
def test_sentences_are_packed_on_sqlite_and_text_on_postgres(seeded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(seeded.database_url) as s:
        sentences = s.scalars(select(Sentence.text).order_by(Sentence.id)).all()
        stored = s.execute(text("SELECT text FROM sentences ORDER BY id")).scalars().all()
        dialect = s.get_bind().dialect.name
    assert sentences and all(isinstance(t, str) and t.strip() for t in sentences)
    raw = sum(len(t.encode()) for t in sentences)
    if dialect == "postgresql":
        assert stored == sentences
        return
    assert all(isinstance(v, bytes) for v in stored) and [unpack(v) for v in stored] == sentences
    alone = sum(min(len(zlib.compress(t.encode(), 9)) - 6, len(t.encode())) for t in sentences)
    packed = sum(len(v) for v in stored)
    # The dictionary is what makes it worth it: deflate alone keeps about 80% of a sentence, with it about 55%.
    assert packed < 0.65 * raw and packed < 0.85 * alone, (raw, alone, packed)
