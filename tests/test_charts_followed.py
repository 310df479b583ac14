"""Which series are charted beyond an answer, on SQLite and PostgreSQL: the App Home's followed measures (each the
series its own question gives, the followed company's first) and the series a digest's changes continue."""

from __future__ import annotations

import pytest

from bot.answering.answers import Answerer
from bot.answering.changes import figure_changes
from bot.charts.followed import DIGEST_CHARTS, FOLLOWED, changed_series, followed_series
from bot.charts.series import series_of
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Article
from tests.conftest import RULES


@pytest.mark.both_backends
def test_the_followed_series_are_what_asking_for_them_gives(seeded: Settings) -> None:
    answerer = Answerer(seeded, RULES)
    found = followed_series(answerer)
    assert 1 <= len(found) <= FOLLOWED
    assert len({(s.subject, s.metric) for s in found}) == len(found)
    assert found[0].subject == RULES.company.name  # the followed company's measures come first
    for series in found:
        asked = series_of(answerer.ask(f"{series.subject} {series.metric}"))
        assert asked is not None and asked.version == series.version
        dates = [p.date for p in series.points]
        assert len(dates) >= 2 and dates == sorted(dates)


@pytest.mark.both_backends
def test_a_digests_changes_give_their_series(seeded: Settings) -> None:
    with session_scope(seeded.database_url) as session:
        first = min(a.id for a in session.query(Article))
        changes = figure_changes(session, [first])
        found = changed_series(session, changes, limit=2)
        keys = {(c.new.entity, c.new.metric) for c in changes}
        assert len(changed_series(session, changes + changes)) == min(DIGEST_CHARTS, len(keys))
    assert len(changes) >= 2 and len(found) == 2  # at most `limit`, one per subject and measure
    for series, change in zip(found, changes, strict=False):
        assert (series.subject, series.metric) == (change.new.entity, change.new.metric)
        assert (change.new.value, change.new.placed_on) in [(p.value, p.date) for p in series.points]
        assert (change.old.value, change.old.placed_on) in [(p.value, p.date) for p in series.points]
        dates = [p.date for p in series.points]
        assert dates == sorted(dates)
