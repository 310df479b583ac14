"""Reading articles: files to text (files), title/date/source and cleaning (articles, dates), the spaCy
pipeline (nlp), mentions and figures (entities, figures, analysis), the names articles state for one another and a
person's name in another order (names), the entity catalog and the names learned (catalog), the rule types
(rules, loaded by `bot.rules`) and the ingest that stores one article per transaction (ingest). spaCy loads only
when an article is read.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.reading.files import DocumentError, RawDocument, read_bytes, read_path
    from bot.reading.ingest import Ingestor, IngestResult, Overrides
    from bot.rules import Rules

_EXPORTS = {
    "Ingestor": "bot.reading.ingest",
    "IngestResult": "bot.reading.ingest",
    "Overrides": "bot.reading.ingest",
    "DocumentError": "bot.reading.files",
    "RawDocument": "bot.reading.files",
    "read_path": "bot.reading.files",
    "read_bytes": "bot.reading.files",
    "Rules": "bot.rules",
}
__all__ = [
    "DocumentError",
    "IngestResult",
    "Ingestor",
    "Overrides",
    "RawDocument",
    "Rules",
    "read_bytes",
    "read_path",
]


def __getattr__(name: str) -> Any:
    """Exports load their module on first use, so importing the package stays cheap."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
