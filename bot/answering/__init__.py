"""Answering lookups: query planning (query), answer objects (answer), the answerer and its parts (answers),
claims, series and conflicts (claims), stored figures as answer objects (figure_store), what an article changed
(changes), plain-text rendering (render) and the corpus status (status).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.answering.answer import Answer, ArticleRef, Claim, FigureHit
    from bot.answering.answers import Answerer
    from bot.answering.changes import Change, figure_changes
    from bot.answering.render import help_text, render_text
    from bot.answering.status import status_text

_EXPORTS = {
    "Answerer": "bot.answering.answers",
    "Answer": "bot.answering.answer",
    "ArticleRef": "bot.answering.answer",
    "FigureHit": "bot.answering.answer",
    "Claim": "bot.answering.answer",
    "render_text": "bot.answering.render",
    "help_text": "bot.answering.render",
    "Change": "bot.answering.changes",
    "figure_changes": "bot.answering.changes",
    "status_text": "bot.answering.status",
}
__all__ = [
    "Answer",
    "Answerer",
    "ArticleRef",
    "Change",
    "Claim",
    "FigureHit",
    "figure_changes",
    "help_text",
    "render_text",
    "status_text",
]


def __getattr__(name: str) -> Any:
    """Exports load their module on first use, so importing the package stays cheap."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
