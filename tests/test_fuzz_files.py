"""Fuzzing the readers and ingest with generated hostile files: every file ends in a document or a one-line
reason, never a traceback, never a partial article; the whole hostile corpus runs in a subprocess whose memory
and time are measured. FUZZ_LONG=1 runs the issue-sized corpus and many more examples (docs/BENCHMARKS.md)."""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.reading.files import SUPPORTED, DocumentError, Limits, RawDocument, read_bytes
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Article, Figure, Mention, Sentence
from tests import hostile
from tests.conftest import RULES
from tests.docs_factory import ARTICLE_LINES, docx_bytes, pdf_bytes

hostile.load_fuzz_profile()

LIMITS = Limits.of(Settings())
VALID = {
    "a.docx": docx_bytes(ARTICLE_LINES, title="A title"),
    "a.pdf": pdf_bytes(ARTICLE_LINES),
    "a.html": (
        b"<html><head><meta property='og:title' content='T'></head><body><article><p>"
        + hostile.SENTENCE.encode()
        + b"</p></article></body></html>"
    ),
    "a.md": b"# Title\n\n[link](http://x) **bold** " + hostile.SENTENCE.encode(),
    "a.txt": "\n".join(ARTICLE_LINES).encode(),
}


def read_or_refuse(data: bytes, name: str) -> RawDocument | None:
    """What every reader promises: a document with text within the limit, or a DocumentError of one line."""
    try:
        doc = read_bytes(data, name, LIMITS)
    except DocumentError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 300, message
        return None
    assert doc.text.strip() and len(doc.text) <= LIMITS.max_chars
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    """A valid file of some type with bytes flipped, cut, or spliced in."""
    name = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[name])
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data), name


@given(st.binary(max_size=4096), st.sampled_from(sorted(SUPPORTED)))
def test_any_bytes_under_any_name_are_read_or_refused(data: bytes, suffix: str) -> None:
    read_or_refuse(data, "fuzz" + suffix)


@given(mutated())
def test_damaged_files_are_read_or_refused(case: tuple[bytes, str]) -> None:
    read_or_refuse(*case)


TAGS = st.sampled_from(["div", "p", "b", "span", "li", "table", "tr", "td", "script", "article", "br", "!--", "h1"])


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """Pages of random tags, often unclosed, sometimes very deep."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(TAGS)
        repeat = draw(st.sampled_from([1, 1, 2, 50, 190, 260, 3000]))
        closing = draw(st.booleans())
        text = draw(st.text(max_size=30))
        parts.append(f"<{tag}>" * repeat + text + (f"</{tag}>" * repeat if closing else ""))
    return "".join(parts).encode("utf-8", "surrogatepass")


@given(html_pages())
def test_generated_html_is_read_or_refused(data: bytes) -> None:
    doc = read_or_refuse(data, "page.html")
    if doc is not None:
        assert "<div>" not in doc.text


XML_NOISE = st.sampled_from(
    [
        "<!DOCTYPE w:document>",
        '<!ENTITY x "y">',
        "&x;",
        "&amp;",
        "<![CDATA[ x ]]>",
        "<w:p>",
        "</w:p>",
        "<w:r>",
        "<w:t>",
        "</w:t>",
        "<?pi x?>",
        "\x00",
        "\ud800",
        "<w:tab/>",
        "<w:br/>",
        "]]>",
        "&#0;",
        "&#x110000;",
    ]
)


@given(st.lists(st.one_of(XML_NOISE, st.text(max_size=20)), max_size=30))
def test_docx_with_generated_xml_is_read_or_refused(pieces: list[str]) -> None:
    body = hostile.BODY_OPEN + "".join(pieces).encode("utf-8", "surrogatepass") + hostile.BODY_CLOSE
    read_or_refuse(hostile.docx_with_body(body), "gen.docx")


@given(st.integers(1, 60), st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_archives_with_many_parts_are_bounded(parts: int, method: int) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for i in range(parts):
            archive.writestr(f"word/part{i}.xml", b"<x>" + b" " * (i * 7919 % 50_000) + b"</x>")
    assert read_or_refuse(out.getvalue(), "parts.docx") is None  # no document part: refused, not a crash


def table_counts(settings) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Article, Sentence, Mention, Figure)
        }


@pytest.fixture(scope="module")
def ingestor(tmp_path_factory: pytest.TempPathFactory) -> Ingestor:
    from bot.store.db import migrate
    from tests.conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    migrate(settings.database_url)
    return Ingestor(settings, RULES)


@given(st.one_of(mutated(), st.tuples(st.binary(max_size=2048), st.sampled_from(["x.txt", "x.html", "x.docx"]))))
def test_ingest_never_raises_and_a_failure_stores_nothing(ingestor: Ingestor, case: tuple[bytes, str]) -> None:
    data, name = case
    before = table_counts(ingestor.settings)
    result = ingestor.ingest_bytes(data, name)
    assert result.status in {"new", "duplicate", "failed"}
    assert "\n" not in result.reason
    after = table_counts(ingestor.settings)
    if result.status == "new":
        assert after["articles"] == before["articles"] + 1
    else:
        assert after == before, result.reason


# -- the hostile corpus in a subprocess, with its memory and time measured --------------------------------------
PEAK_LIMIT_MB = 700  # resident memory of the whole run, spaCy's pipeline included (about 250 MB on its own)


def test_hostile_corpus_in_a_subprocess(tmp_path: Path) -> None:
    """`python -m bot ingest` over a folder of hostile files and one good article, under an address-space cap."""
    folder = tmp_path / "hostile"
    files, _ = hostile.write_corpus(folder, long=hostile.LONG)
    db = tmp_path / "hostile.db"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", LOG_LEVEL="WARNING")
    run = hostile.run_measured(
        [sys.executable, "-m", "bot", "ingest", "--json", str(folder)],
        env,
        tmp_path,
        timeout=300 if hostile.LONG else 90,
    )
    assert run.returncode == 1, run.stderr[-3000:]  # some files failed: the run says so in its exit status
    assert "Traceback" not in run.stdout + run.stderr
    results = {Path(r["name"]).name: r for r in map(json.loads, run.stdout.splitlines())}
    for item in files:
        result = results[item.name]
        if item.reason:
            assert result["status"] == "failed" and item.reason in result["reason"], (item.name, result)
            assert "\n" not in result["reason"]
        else:
            assert result["status"] == "new", (item.name, result)
    assert results["link-out.txt"]["reason"] == "skipped: a link to a file outside the folder"
    assert results["good.pdf"]["status"] == "new"
    from tests.conftest import make_settings

    settings = make_settings(db)
    readable = 1 + sum(1 for item in files if not item.reason)
    assert table_counts(settings)["articles"] == readable
    with session_scope(settings.database_url) as s:
        stored = "".join(s.scalars(select(Sentence.text)))
    assert hostile.SECRET_TEXT not in stored and "lollol" not in stored
    assert run.peak_mb < PEAK_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"
    assert run.seconds < (240 if hostile.LONG else 60), f"{run.seconds:.1f} s"
