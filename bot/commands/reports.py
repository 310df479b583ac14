"""Reviewing a reported figure: the figure as answers show it now, and the fields a correction starts from."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.answering.figure_store import load_figures
from bot.answering.model import FigureHit
from bot.store.feedback import figure_id_at
from bot.store.models import Figure


def figure_at(session: Session, article_hash: str, start: int) -> FigureHit | None:
    """The figure at (article content hash, offset) as answers show it now, corrections applied."""
    fid = figure_id_at(session, article_hash, start)
    found = load_figures(session, Figure.id == fid) if fid is not None else []
    return found[0] if found else None


def current_fields(hit: FigureHit) -> dict[str, str]:
    """What a correction form starts from: each correctable field as answers show it."""
    values = {
        "text": hit.text,
        "value": f"{hit.value:g}",
        "unit": hit.unit or "",
        "subject": getattr(hit, "subject", None) or hit.entity or "",
        "metric": getattr(hit, "metric", None),
        "period": hit.period or "",
    }
    return {k: str(v) for k, v in values.items() if v}
