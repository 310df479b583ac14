"""What every file reader shares: the supported types, the error that gives the reason a file is refused, the
document read, and the limits on what reading one file may cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import Settings

SUPPORTED = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}


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
        return cls(
            max_bytes=settings.max_article_bytes,
            max_chars=settings.max_article_chars,
            max_docx_part_bytes=settings.max_docx_part_bytes,
            max_docx_bytes=settings.max_docx_bytes,
            max_ratio=settings.max_compression_ratio,
            max_html_depth=settings.max_html_depth,
            max_pdf_pages=settings.max_pdf_pages,
        )


def as_limits(limits: Limits | int) -> Limits:
    """Callers that only care about file size may pass it alone; the other bounds are then the settings' defaults."""
    return Limits.of(Settings(max_article_bytes=limits)) if isinstance(limits, int) else limits


def too_long(chars: int, limits: Limits, *, partial: bool = False) -> DocumentError:
    """The reason for a text over the limit; `partial` when reading stopped as soon as it passed the limit."""
    if partial:
        return DocumentError(
            f"the text is more than {limits.max_chars:,} characters long, the limit; split it into several articles"
        )
    return DocumentError(
        f"the text is {chars:,} characters long, over the limit of {limits.max_chars:,} "
        "characters; split it into several articles"
    )
