"""Reading article files (txt, md, html, pdf, docx) into text, refusing bad input with a clear reason."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import Settings

SUPPORTED = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
             ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


class DocumentError(Exception):
    """A file that cannot become an article; the message is the one-line reason shown to the user."""


@dataclass
class RawDocument:
    text: str
    name: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


def kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        shown = suffix or "no extension"
        raise DocumentError(f"unsupported file type ({shown}); send .txt, .md, .html, .pdf or .docx")
    return SUPPORTED[suffix]


@dataclass(frozen=True)
class Limits:
    """What reading one file may cost; each bound is a setting, with its default in `bot.settings` (see
    `.env.example`)."""

    max_bytes: int
    max_chars: int
    max_docx_part_bytes: int
    max_docx_bytes: int
    max_ratio: int
    max_html_depth: int
    max_pdf_pages: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(max_bytes=settings.max_article_bytes, max_chars=settings.max_article_chars,
                   max_docx_part_bytes=settings.max_docx_part_bytes, max_docx_bytes=settings.max_docx_bytes,
                   max_ratio=settings.max_compression_ratio, max_html_depth=settings.max_html_depth,
                   max_pdf_pages=settings.max_pdf_pages)


def _limits(limits: Limits | int) -> Limits:
    """Callers that only care about file size may pass it alone; the other bounds are then the settings' defaults."""
    return Limits.of(Settings(max_article_bytes=limits)) if isinstance(limits, int) else limits


def too_long(chars: int, limits: Limits, *, partial: bool = False) -> DocumentError:
    """The reason for a text over the limit; `partial` when reading stopped as soon as it passed the limit."""
    if partial:
        return DocumentError(f"the text is more than {limits.max_chars:,} characters long, the limit; "
                             "split it into several articles")
    return DocumentError(f"the text is {chars:,} characters long, over the limit of {limits.max_chars:,} "
                         "characters; split it into several articles")


def read_path(path: Path, limits: Limits | int) -> RawDocument:
    """The file where it is; never more than the size limit is read, whatever the file claims or becomes."""
    limits = _limits(limits)
    kind_of(path.name)
    try:
        if not path.is_file():
            raise DocumentError("not a regular file" if path.exists() else "cannot read the file: no such file")
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise DocumentError(f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} bytes")
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror or exc.__class__.__name__}") from None
    return read_bytes(data, path.name, limits)


def read_bytes(data: bytes, name: str, limits: Limits | int) -> RawDocument:
    limits = _limits(limits)
    kind = kind_of(name)
    if len(data) > limits.max_bytes:
        raise DocumentError(f"file is {len(data):,} bytes, over the limit of {limits.max_bytes:,} bytes")
    if not data.strip():
        raise DocumentError("the file is empty")
    if kind in ("text", "markdown", "html"):
        text = _decode(data)
        if kind == "html":
            from bot.reading.html_pages import from_html

            doc = from_html(text, name, limits)
        else:
            if len(text) > limits.max_chars:
                raise too_long(len(text), limits)
            doc = RawDocument(text=_from_markdown(text) if kind == "markdown" else text, name=name)
    elif kind == "pdf":
        doc = _from_pdf(data, name, limits)
    else:
        from bot.reading.docx_files import from_docx

        doc = from_docx(data, name, limits)
    if len(doc.text) > limits.max_chars:
        raise too_long(len(doc.text), limits)
    if not doc.text.strip():
        raise DocumentError("the file has no text in it")
    return doc


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("this looks like a binary file, not text")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError("the text is not in a readable encoding (expected UTF-8)") from exc
    # cp1252 decodes almost anything; text full of control characters was binary after all.
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > len(text) * 0.01:
        raise DocumentError("the text is not in a readable encoding (expected UTF-8)")
    return text


# Linear on any line: no part may run over a bracket, so "[[[[" or "[a]([a](" cannot make it backtrack.
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")


def _from_markdown(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "• ", line)
        line = _MD_LINK.sub(r"\1", line)
        line = re.sub(r"(\*\*|__|`)", "", line)
        lines.append(line)
    return "\n".join(lines)




def _from_pdf(data: bytes, name: str, limits: Limits) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    # pypdf bounds what one stream may inflate to; the page count and the text gathered are bounded here.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("this PDF is encrypted; send a copy without a password")
        count = len(reader.pages)
        if count > limits.max_pdf_pages:
            raise DocumentError(f"this PDF has {count:,} pages, over the limit of {limits.max_pdf_pages:,} pages")
        pages: list[str] = []
        chars = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1]) + 2
            if chars > limits.max_chars:
                raise too_long(chars, limits, partial=True)
        info = reader.metadata
        title = str(info.title).strip() if info and info.title else None
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise DocumentError("this PDF is encrypted; send a copy without a password") from None
    except Exception as exc:  # a damaged PDF can fail anywhere inside the library
        raise DocumentError(f"cannot read this PDF ({exc.__class__.__name__})") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise DocumentError("this PDF has no text layer (a scan?); send a text PDF or the article's text")
    return RawDocument(text=text, name=name, title=title)
