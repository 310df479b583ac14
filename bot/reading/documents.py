"""Reading article files (txt, md, html, pdf, docx) into text, refusing bad input with a clear reason."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

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


def read_path(path: Path, max_bytes: int) -> RawDocument:
    kind_of(path.name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror or exc}") from exc
    return read_bytes(data, path.name, max_bytes)


def read_bytes(data: bytes, name: str, max_bytes: int) -> RawDocument:
    kind = kind_of(name)
    if len(data) > max_bytes:
        raise DocumentError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
    if not data.strip():
        raise DocumentError("the file is empty")
    if kind in ("text", "markdown", "html"):
        text = _decode(data)
        if kind == "html":
            doc = _from_html(text, name)
        else:
            doc = RawDocument(text=_from_markdown(text) if kind == "markdown" else text, name=name)
    elif kind == "pdf":
        doc = _from_pdf(data, name)
    else:
        doc = _from_docx(data, name)
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


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _from_markdown(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "• ", line)
        line = _MD_LINK.sub(r"\1", line)
        line = re.sub(r"(\*\*|__|`)", "", line)
        lines.append(line)
    return "\n".join(lines)


_HTML_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "div", "section", "br"]


def _from_html(html: str, name: str) -> RawDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")

    def meta(*keys: str) -> str | None:
        for key in keys:
            tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
            content = tag.get("content") if tag else None
            if isinstance(content, str) and content.strip():
                return content.strip()
        return None

    title = meta("og:title", "twitter:title")
    h1 = soup.find("h1")
    if not title and h1:
        title = h1.get_text(" ", strip=True)
    if not title and soup.title:
        title = soup.title.get_text(" ", strip=True)
    published = meta("article:published_time", "datePublished", "date", "pubdate")
    if not published:
        time_tag = soup.find("time")
        value = time_tag.get("datetime") if time_tag else None
        published = value if isinstance(value, str) else None
    source = meta("og:site_name", "application-name")
    url = meta("og:url")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg"]):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    if h1 and root.find("h1") is None:
        h1.decompose()  # the title is passed separately
    for tag in root.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = root.get_text("")
    text = "\n".join(re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines())
    return RawDocument(text=text, name=name, title=title, published=published, source=source, url=url)


def _from_pdf(data: bytes, name: str) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"cannot read this PDF ({exc.__class__.__name__})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise DocumentError("this PDF has no text layer (a scan?); send a text PDF or the article's text")
    title = str(info.title).strip() if info and info.title else None
    return RawDocument(text=text, name=name, title=title)


def _from_docx(data: bytes, name: str) -> RawDocument:
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError("cannot read this .docx file (is it really a Word document?)") from exc
    text = "\n\n".join(p.text for p in document.paragraphs)
    props = document.core_properties
    return RawDocument(text=text, name=name, title=(props.title or None))
