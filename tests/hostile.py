"""A generated corpus of hostile files (zip bombs, billion laughs, XXE, deep HTML, bad PDFs, huge texts, links),
each with the words its one-line refusal must contain. Used by the fuzz tests and `python -m bench files`."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.docs_factory import ARTICLE_LINES, docx_bytes, pdf_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY_OPEN = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>'.encode()
BODY_CLOSE = b"</w:body></w:document>"
PARAGRAPH = b"<w:p><w:r><w:t>Alibaba Cloud revenue rose again this quarter.</w:t></w:r></w:p>"
# Mostly empty paragraphs, so 2 GB of them compress under the 5 MB upload limit (about 650 to 1).
BOMB_FILLER = b"<w:p/>" * 500 + PARAGRAPH
# Text that looks like an article, so a file refused for its form is not refused for its content.
SENTENCE = "Alibaba Cloud said its revenue rose 26% to 33.4 billion yuan as demand for AI services grew. "


def replace_member(docx: bytes, member: str, write: Callable[[io.BufferedIOBase], None]) -> bytes:
    """A copy of a .docx with one part rewritten by `write`, streamed so a bomb never sits in memory."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == member:
                with target.open(member, "w", force_zip64=True) as stream:
                    write(stream)  # type: ignore[arg-type]
            else:
                target.writestr(info.filename, source.read(info))
    return out.getvalue()


def docx_with_body(body: bytes) -> bytes:
    return replace_member(docx_bytes(ARTICLE_LINES), "word/document.xml", lambda s: s.write(body))


def docx_bomb(inflated: int, filler: bytes = BOMB_FILLER) -> bytes:
    """A small .docx whose document.xml inflates to `inflated` bytes (paragraphs, or whitespace)."""

    def write(stream: io.BufferedIOBase) -> None:
        stream.write(BODY_OPEN)
        block = filler * max(1, 1_000_000 // len(filler))
        written = 0
        while written < inflated:
            stream.write(block)
            written += len(block)
        if filler.strip():
            stream.write(BODY_CLOSE)
        else:
            stream.write(PARAGRAPH + BODY_CLOSE)

    return replace_member(docx_bytes(ARTICLE_LINES), "word/document.xml", write)


def billion_laughs_docx() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE w:document [{''.join(entities)}]>"
    xml = (
        f'<?xml version="1.0"?>{doctype}<w:document {W}><w:body>'
        f"<w:p><w:r><w:t>{SENTENCE}&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return docx_with_body(xml.encode())


def xxe_docx(secret: Path) -> bytes:
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    xml = (
        f'<?xml version="1.0"?>{doctype}<w:document {W}><w:body>'
        f"<w:p><w:r><w:t>{SENTENCE}&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    return docx_with_body(xml.encode())


def malformed_docx() -> bytes:
    return docx_with_body(BODY_OPEN + PARAGRAPH + b"<w:p><w:r><w:t>cut off here")


def nested_html(size: int, tag: str = "div") -> bytes:
    """Tags nested as deep as `size` bytes allow, with an article's sentence at the bottom."""
    depth = max(1, (size - 200) // (len(tag) * 2 + 5))
    return (
        "<html><head><title>Deep</title></head><body>"
        + f"<{tag}>" * depth
        + SENTENCE
        + f"</{tag}>" * depth
        + "</body></html>"
    ).encode()


def xxe_html(secret: Path) -> bytes:
    return (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><article>'
        f"<p>{SENTENCE}</p><p>&xxe;</p></article></body></html>"
    ).encode()


def huge_text(chars: int) -> bytes:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars].encode()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(ARTICLE_LINES))))
    writer.encrypt(user_password="not-given", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_pages_pdf(pages: int) -> bytes:
    """One text page shown `pages` times: a small file with a large page count."""
    content = f"BT /F1 11 Tf 50 760 Td ({SENTENCE}) Tj ET"
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + [
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>"
    ] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def corrupt_pdf() -> bytes:
    """A real PDF cut short and with its cross-reference table overwritten."""
    data = bytearray(pdf_bytes(ARTICLE_LINES))
    start = data.index(b"xref")
    data[start : start + 40] = b"\x00\xff" * 20
    return bytes(data[: len(data) - 30])


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    reason: str  # words the one-line refusal must contain


def corpus(secret: Path, *, long: bool = False) -> list[Hostile]:
    """The hostile files; `long` makes the bombs and texts as large as the issue's measurements."""
    scale = 10 if long else 1
    return [
        Hostile("bomb.docx", docx_bomb(200_000_000 * scale), "zip bomb"),
        Hostile("whitespace-bomb.docx", docx_bomb(100_000_000 * scale, b" " * 4096), "zip bomb"),
        Hostile("malformed.docx", malformed_docx(), "XML is malformed"),
        Hostile("laughs.docx", billion_laughs_docx(), "declares entities"),
        Hostile("xxe.docx", xxe_docx(secret), "declares entities"),
        Hostile("nested.html", nested_html(4_900_000 if long else 1_000_000), "nested"),
        Hostile("nested-b.html", nested_html(4_900_000 if long else 1_000_000, "b"), "nested"),
        Hostile("xxe.html", xxe_html(secret), ""),  # read as a page; the entity is never fetched
        Hostile("huge.txt", huge_text(1_200_000), "characters long"),
        Hostile("huge.md", huge_text(1_200_000 * (4 if long else 1)), "characters long"),
        Hostile("encrypted.pdf", encrypted_pdf(), "encrypted"),
        Hostile("corrupt.pdf", corrupt_pdf(), "cannot read this PDF"),
        Hostile("pages.pdf", many_pages_pdf(2000 if long else 600), "pages"),
    ]


SECRET_TEXT = "Joss Whedon-Marlowe owns 91,337 secret shares"  # must never reach the database


def write_corpus(folder: Path, *, long: bool = False) -> tuple[list[Hostile], Path]:
    """Write the corpus into `folder` with a good article and a link leaving the folder; returns the secret file."""
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.txt"
    secret.write_text(f"Private notes\n\n{SENTENCE}\n{SECRET_TEXT}.\n")
    files = corpus(secret, long=long)
    for item in files:
        (folder / item.name).write_bytes(item.data)
    os.symlink(secret, folder / "link-out.txt")
    (folder / "good.pdf").write_bytes(pdf_bytes(ARTICLE_LINES))
    return files, secret


# -- fuzzing profiles: `make test` runs the fast one; FUZZ_LONG=1 runs the long one (see docs/BENCHMARKS.md) -------
LONG = os.environ.get("FUZZ_LONG") == "1"


def load_fuzz_profile() -> None:
    from hypothesis import HealthCheck, settings

    quiet = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
    settings.register_profile(
        "fast", max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=quiet
    )
    settings.register_profile("long", max_examples=2_000, deadline=None, database=None, suppress_health_check=quiet)
    settings.load_profile("long" if LONG else "fast")


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float  # the child's own peak resident memory
    seconds: float


MEMORY_CAP = 2 * 1024**3  # address space a measured child may use; the old reader needed several times this


def run_measured(args: list[str], env: dict[str, str], tmp: Path, timeout: float) -> Measured:
    """Run a command under an address-space cap and a time limit; its own peak RSS comes from wait4."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    out, err = tmp / "measured.out", tmp / "measured.err"
    start = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(args, env=env, stdout=stdout, stderr=stderr, preexec_fn=cap)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            raise AssertionError(f"still running after {timeout} s: {err.read_text()[-2000:]}")
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    return Measured(proc.returncode, out.read_text(), err.read_text(), usage.ru_maxrss / 1024, time.monotonic() - start)
