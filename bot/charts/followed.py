"""The followed company's measures over time, as charts: for the App Home. Each is the series the answer to
"<subject> <metric>" gives, so the Home shows what a user asking it would see."""

from __future__ import annotations

from bot.answering.answers import Answerer
from bot.charts.series import Series, series_of
from bot.store.db import session_scope
from bot.store.popular import measured_over_time

FOLLOWED = 3  # charts on the App Home
TRIED = 4  # candidates asked per chart shown (some answer with another measure's series)
CANDIDATES = 200  # measures read, the followed company's sorted first among them


def followed_series(answerer: Answerer, limit: int = FOLLOWED) -> list[Series]:
    """Up to `limit` series the articles follow, the followed company's first, then the measures reported at the
    most dates; a candidate whose answer leads with another measure is left out."""
    with session_scope(answerer.settings.database_url) as session:
        focus = answerer.lexicon(session).focus_ids
        keys = measured_over_time(session, CANDIDATES)
    keys.sort(key=lambda k: (k[0] not in focus, -k[3]))
    shown: list[Series] = []
    for _, name, metric, _ in keys[: limit * TRIED]:
        series = series_of(answerer.ask(f"{name} {metric}"))
        if series is None or (series.subject, series.metric) != (name, metric):
            continue
        if all(s.version != series.version for s in shown):
            shown.append(series)
        if len(shown) == limit:
            break
    return shown
