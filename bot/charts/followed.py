"""Which series to chart beyond an answer: the followed measures for the App Home (each the series the answer to
"<subject> <metric>" gives, so the Home shows what a user asking would see) and the series a digest's changes
continue."""

from __future__ import annotations

import threading

from sqlalchemy import and_
from sqlalchemy.orm import Session

from bot.answering.answers import Answerer
from bot.answering.changes import KNOWN_PER_KEY, Change
from bot.answering.claims import chart_points, find_series, group_claims
from bot.answering.figure_store import amounts
from bot.answering.model import Answer
from bot.charts.series import Series, series_of
from bot.store.db import session_scope
from bot.store.models import Figure
from bot.store.popular import measured_over_time
from bot.store.vocabulary import corpus_version

FOLLOWED = 3  # charts on the App Home
DIGEST_CHARTS = 3  # charts with a digest, one per changed series
TRIED = 4  # candidates asked per chart shown (some answer with another measure's series)
CANDIDATES = 200  # measures read, the followed company's sorted first among them
_candidates: dict[str, tuple[tuple[int, int], list[tuple[int, str, str, int]]]] = {}  # database -> (version, keys)
_lock = threading.Lock()


def followed_series(answerer: Answerer, limit: int = FOLLOWED) -> list[Series]:
    """Up to `limit` series the articles follow, the followed company's first, then the measures reported at the
    most dates; a candidate whose answer leads with another measure is left out."""
    url = answerer.settings.database_url
    with session_scope(url) as session:
        focus = answerer.lexicon(session).focus_ids
        version = corpus_version(session)
        with _lock:
            known = _candidates.get(url)
        if known is None or known[0] != version:  # one pass over the figures per corpus change, not per Home
            known = (version, measured_over_time(session, CANDIDATES))
            with _lock:
                _candidates[url] = known
    keys = sorted(known[1], key=lambda k: (k[0] not in focus, -k[3]))
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


def changed_series(session: Session, changes: list[Change], limit: int = DIGEST_CHARTS) -> list[Series]:
    """The series a digest's changes continue, one per subject and measure, at most `limit`: each the changed
    figure's claim and the claims of the same measure in other periods (as an answer's series is made), drawn
    from the stored figures of that subject and metric."""
    out: list[Series] = []
    seen: set[tuple[int | None, str | None]] = set()
    for change in changes:
        new = change.new
        key = (new.entity_id, new.metric)
        if key in seen or new.entity_id is None or new.metric is None:
            continue
        seen.add(key)
        known = amounts(session, and_(Figure.entity_id == new.entity_id, Figure.metric == new.metric), KNOWN_PER_KEY)
        claims = group_claims([new, *(f for f in known if f.id != new.id)])
        timeline = find_series(claims)
        answer = Answer(f"{new.entity} {new.metric}", "figure", claims, timeline=timeline)
        answer.series = chart_points(timeline, claims)
        series = series_of(answer)
        if series is not None:
            out.append(series)
        if len(out) == limit:
            break
    return out
