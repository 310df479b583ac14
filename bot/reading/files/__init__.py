"""Reading article files (txt, md, html, pdf, docx) into text, refusing bad input with a clear reason.

`read_path` and `read_bytes` choose the reader by the file's extension: `text` (plain text and Markdown), `html`,
`pdf` and `docx`, each on what `base` holds (the document, the error, the limits)."""

from __future__ import annotations

from pathlib import Path

from bot.reading.files.base import (
    SUPPORTED,
    DocumentError,
    Limits,
    RawDocument,
    as_limits,
    kind_of,
    too_long,
)
from bot.reading.files.docx import from_docx
from bot.reading.files.html import from_html
from bot.reading.files.pdf import from_pdf
from bot.reading.files.text import decode, from_markdown

__all__ = ["SUPPORTED", "DocumentError", "Limits", "RawDocument", "kind_of", "read_bytes", "read_path", "too_long"]


def read_path(path: Path, limits: Limits | int) -> RawDocument:
    """The file where it is; never more than the size limit is read, whatever the file claims or becomes."""
    limits = as_limits(limits)
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
    limits = as_limits(limits)
    kind = kind_of(name)
    if len(data) > limits.max_bytes:
        raise DocumentError(f"file is {len(data):,} bytes, over the limit of {limits.max_bytes:,} bytes")
    if not data.strip():
        raise DocumentError("the file is empty")
    if kind in ("text", "markdown", "html"):
        text = decode(data)
        if kind == "html":
            doc = from_html(text, name, limits)
        else:
            if len(text) > limits.max_chars:
                raise too_long(len(text), limits)
            doc = RawDocument(text=from_markdown(text) if kind == "markdown" else text, name=name)
    elif kind == "pdf":
        doc = from_pdf(data, name, limits)
    else:
        doc = from_docx(data, name, limits)
    if len(doc.text) > limits.max_chars:
        raise too_long(len(doc.text), limits)
    if not doc.text.strip():
        raise DocumentError("the file has no text in it")
    return doc
