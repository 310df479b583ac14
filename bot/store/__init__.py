"""The store: SQLAlchemy models, engines and sessions (SQLite WAL by default), the Alembic upgrade, full-text
search over sentences, and the Porter stems shared by the index and by queries. Imports nothing above it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.store.db import article_count, engine_for, migrate, session_scope
    from bot.store.models import Article, Entity, EntityAlias, Figure, Mention, Sentence

_EXPORTS = {
    "session_scope": "bot.store.db",
    "engine_for": "bot.store.db",
    "migrate": "bot.store.db",
    "article_count": "bot.store.db",
    "Article": "bot.store.models",
    "Sentence": "bot.store.models",
    "Entity": "bot.store.models",
    "EntityAlias": "bot.store.models",
    "Mention": "bot.store.models",
    "Figure": "bot.store.models",
}
__all__ = [
    "Article",
    "Entity",
    "EntityAlias",
    "Figure",
    "Mention",
    "Sentence",
    "article_count",
    "engine_for",
    "migrate",
    "session_scope",
]


def __getattr__(name: str) -> Any:
    """Exports load their module on first use, so importing the package stays cheap."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
