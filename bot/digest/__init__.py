"""Digests: what is new and what changed in a period (content), its parts laid out once (sections) and shown as
text and Block Kit (views), posting each digest exactly once with retries (delivery), the APScheduler jobs inside
`serve` (scheduler) and `python -m bot digest` (command).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.digest.content import Digest, build_digest
    from bot.digest.views.digest_text import digest_text

_EXPORTS = {
    "Digest": "bot.digest.content",
    "build_digest": "bot.digest.content",
    "digest_text": "bot.digest.views.digest_text",
}
__all__ = [
    "Digest",
    "build_digest",
    "digest_text",
]


def __getattr__(name: str) -> Any:
    """Exports load their module on first use, so importing the package stays cheap."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
