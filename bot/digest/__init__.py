"""Digests: what is new and what changed in a period (content), posting each digest exactly once with retries
(delivery), and the APScheduler jobs inside `serve` (scheduler).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.digest.content import Digest, build_digest, digest_text

_EXPORTS = {
    "Digest": "bot.digest.content",
    "build_digest": "bot.digest.content",
    "digest_text": "bot.digest.content",
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
