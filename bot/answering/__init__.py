"""Answering lookups: query planning (query), what an answer holds (model), the answerer and its parts (answers),
claims, series and conflicts (claims), stored figures as answer objects (figure_store), what an article changed
(changes), how answers are shown as text and Block Kit (views) and the corpus status (status).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.answering.answers import Answerer
    from bot.answering.changes import Change, figure_changes
    from bot.answering.model import Answer, ArticleRef, Claim, FigureHit
    from bot.answering.status import status_text
    from bot.answering.views.answer_text import help_text, render_text

_EXPORTS = {
    "Answerer": "bot.answering.answers",
    "Answer": "bot.answering.model",
    "ArticleRef": "bot.answering.model",
    "FigureHit": "bot.answering.model",
    "Claim": "bot.answering.model",
    "render_text": "bot.answering.views.answer_text",
    "help_text": "bot.answering.views.answer_text",
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
