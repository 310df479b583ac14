"""Answers that know what time it is, on the seed articles and two of the tests' own (tests/fixtures/time_aware):
a results article of 2025-11-20 (cloud revenue growth and capital expenditure for Jul–Sep 2025) and a Qwen
article of 2025-07-15. As of a date, known by a date, what changed since a date, "now"; and how fresh every
answer is, by an injected clock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.answering.answers import Answerer
from bot.answering.model import Answer
from bot.answering.views.answer_blocks import answer_blocks
from bot.answering.views.blockkit import MAX_SECTION
from bot.reading.ingest import Ingestor
from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import engine_for
from tests.conftest import FACING, FIXTURES, RULES, make_settings

OWN = FIXTURES / "time_aware"
RESULTS = OWN / "cloud_results_2025-11-20.txt"
QWEN = OWN / "qwen_partners_2025-07-15.txt"
TODAY = date(2025, 12, 1)  # nine weeks after the newest quarter ended: fresh


@pytest.fixture(scope="module")
def timed(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seeds and the two articles of the tests' own."""
    path = tmp_path_factory.mktemp("timed") / "timed.db"
    shutil.copy(seeded_db, path)
    settings = make_settings(path)
    results = Ingestor(settings, RULES).ingest_paths([OWN], progress=False)
    assert [r.status for r in results] == ["new", "new"]
    with engine_for(settings.database_url).connect() as conn:  # everything into the main file, so a copy is whole
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return settings


@pytest.fixture(scope="module")
def answerer(timed: Settings) -> Answerer:
    return Answerer(timed, RULES, today=lambda: TODAY)


def lead(answer: Answer) -> tuple[float, str]:
    fig = answer.figures[0]
    return fig.value, fig.when


# -- as of ----------------------------------------------------------------------------------------------------------
def test_as_of_a_date_leads_with_the_latest_period_ended_by_then(answerer: Answerer) -> None:
    dated = answerer.ask("Alibaba cloud revenue growth as of 2025-03-01")
    assert lead(dated) == (13.0, "Oct–Dec 2024")  # reported in August, for a quarter ended by March
    assert all(f.period_end is None or f.period_end <= date(2025, 3, 1) for f in dated.figures)
    assert dated.lead == "As of 2025-03-01: figures for periods ended by then, whenever reported."
    assert dated.timing.as_of == date(2025, 3, 1)
    undated = answerer.ask("Alibaba cloud revenue growth")
    assert lead(undated) == (34.0, "Jul–Sep 2025")  # the newest quarter, from the article of the tests' own
    assert undated.timing.as_of is None and undated.lead is None


def test_as_of_a_month_is_its_end_and_other_periods_of_the_measure_follow(answerer: Answerer) -> None:
    answer = answerer.ask("cloud revenue growth as of June 2025")
    assert lead(answer) == (26.0, "Apr–Jun 2025")
    assert [f.when for f in answer.figures[:3]] == ["Apr–Jun 2025", "Oct–Dec 2024", "Jul–Sep 2024"]


def test_as_of_and_known_by_the_same_day_differ(answerer: Answerer) -> None:
    """As of 2025-09-01: the Apr–Jun quarter, from an undated article placed after that day. Known by that day:
    only what the articles published by then said, whose newest quarter is Oct–Dec 2024."""
    as_of = answerer.ask("cloud revenue growth as of 2025-09-01")
    known = answerer.ask("cloud revenue growth as reported by 2025-09-01")
    assert lead(as_of) == (26.0, "Apr–Jun 2025")
    assert lead(known) == (13.0, "Oct–Dec 2024")
    assert all(a.sort_date and a.sort_date <= date(2025, 9, 1) for a in known.sources)
    assert known.lead == "As known by 2025-09-01: only articles published by then."


def test_an_as_of_date_before_every_figure_is_said_plainly(answerer: Answerer) -> None:
    answer = answerer.ask("cloud revenue growth as of 2023-06-30")
    assert answer.kind == "none" and not answer.figures and not answer.passages
    assert "No figure for “cloud revenue growth” in the articles is for a period ended by 2023-06-30." in answer.notes
    assert any(n.startswith("The articles do not reach back to 2023-06-30: they run from") for n in answer.notes)


def test_an_as_of_date_after_the_newest_article_is_said_plainly(answerer: Answerer) -> None:
    answer = answerer.ask("cloud revenue growth as of 2026-06-30")
    assert lead(answer) == (34.0, "Jul–Sep 2025")
    assert any(
        n.startswith("The articles do not reach 2026-06-30: they run from") and "to 2025-11-20" in n
        for n in answer.notes
    )


# -- known by -------------------------------------------------------------------------------------------------------
def test_what_we_knew_on_a_day_reads_only_articles_published_by_then(answerer: Answerer) -> None:
    now = answerer.ask("Qwen")
    assert "Carmakers Sign Up for Qwen in Cockpit Assistants" in {a.title for a in now.entity.articles}  # type: ignore[union-attr]
    then = answerer.ask("what did we know about Qwen on June 1")
    assert then.kind == "entity" and then.entity is not None
    assert then.timing.known_by == date(2025, 6, 1)
    assert "Read “June 1” as 2025-06-01, the latest such date the articles reach." in then.notes
    assert then.entity.articles and all(a.sort_date and a.sort_date <= date(2025, 6, 1) for a in then.sources)
    assert "Carmakers" not in then.text
    # counted over the articles of then: the two dated by June 1 of the five that mention it now
    assert (then.entity.article_count, now.entity.article_count) == (2, 5)  # type: ignore[union-attr]
    assert then.entity.mention_count < now.entity.mention_count  # type: ignore[union-attr]
    assert "in 2 articles." in then.text


def test_known_by_a_day_before_every_article_is_said_plainly(answerer: Answerer) -> None:
    answer = answerer.ask("what did we know about Qwen on 2024-06-01")
    assert answer.kind == "none" and answer.entity is None
    assert any(n.startswith("No article is dated 2024-06-01 or earlier: they run from") for n in answer.notes)


# -- since ----------------------------------------------------------------------------------------------------------
def test_what_changed_since_a_date_lists_the_changes_reported_after_it(answerer: Answerer) -> None:
    answer = answerer.ask("what changed since 2025-10-01")
    assert answer.kind == "changes" and answer.timing.since == date(2025, 10, 1)
    steps = {(c.old.value, c.new.value, c.new.when) for c in answer.changes}
    assert (26.0, 34.0, "Jul–Sep 2025") in steps
    assert all(c.new.article.sort_date and c.new.article.sort_date >= date(2025, 10, 1) for c in answer.changes)
    assert answer.lead == "What changed since 2025-10-01, in the 1 article dated 2025-10-01 or later:"
    assert "• Changed: 26% (Apr–Jun 2025" in answer.text and "→ 34% (Jul–Sep 2025" in answer.text
    earlier = answerer.ask("what changed since June")  # more articles, more changes: the 13% → 26% step too
    assert {(c.old.value, c.new.value) for c in earlier.changes} >= {(26.0, 34.0), (13.0, 26.0)}
    assert earlier.timing.since == date(2025, 6, 1)


def test_changes_since_a_date_keep_to_the_topic_asked(answerer: Answerer) -> None:
    growth = answerer.ask("what changed in cloud revenue growth since 2025-10-01")
    assert growth.changes and all(c.new.metric == "revenue growth" for c in growth.changes)
    capex = answerer.ask("what changed in capex since 2025-10-01")  # the first quarterly capex: nothing before it
    assert capex.kind == "changes" and capex.changes == []
    assert capex.lead == "No figure about “capex” changed in the 1 article dated 2025-10-01 or later."


def test_since_a_date_after_the_newest_article_is_said_plainly(answerer: Answerer) -> None:
    answer = answerer.ask("what changed since 2026-01-01")
    assert answer.kind == "changes" and answer.changes == []
    assert answer.lead == "No article is dated 2026-01-01 or later, so nothing has changed since then in the articles."
    assert any(n.startswith("The articles do not reach 2026-01-01") for n in answer.notes)


# -- now, and how fresh an answer is ---------------------------------------------------------------------------------
def test_latest_leads_with_the_newest_reported_period(answerer: Answerer) -> None:
    plain = answerer.ask("capex")
    assert plain.figures[0].status == "plan"  # the three-year plan is the best match for the word alone
    latest = answerer.ask("latest capex")
    assert (latest.figures[0].value, latest.figures[0].when, latest.figures[0].status) == (
        31.2e9,
        "Jul–Sep 2025",
        "actual",
    )
    assert lead(answerer.ask("cloud revenue growth currently")) == (34.0, "Jul–Sep 2025")


def test_every_answer_dates_its_newest_source(answerer: Answerer) -> None:
    answer = answerer.ask("Alibaba cloud revenue growth")
    assert answer.timing.newest_source == date(2025, 11, 20)
    assert answer.timing.newest_figure == date(2025, 9, 30)
    assert not answer.timing.stale  # nine weeks before the injected today
    assert answer.notes[-1] == "Newest source: 2025-11-20."
    passages = answerer.ask("carmakers")
    assert passages.timing.newest_source == date(2025, 7, 15)
    assert "Newest source: 2025-07-15." in passages.notes


def test_a_figure_more_than_a_quarter_old_is_said_to_be(timed: Settings) -> None:
    later = Answerer(timed, RULES, today=lambda: date(2026, 6, 1))
    answer = later.ask("Alibaba cloud revenue growth")
    assert answer.timing.stale
    assert answer.notes[-1] == (
        "Newest source: 2025-11-20. The newest figure is for Jul–Sep 2025, 8 months before today."
    )
    card = later.ask("Qwen")  # a card's figures are context, not the answer: no age is claimed for them
    assert card.kind == "entity" and not card.timing.stale and "The newest figure" not in card.text
    assert card.notes[-1] == "Newest source: 2025-09-05 (undated; the latest date its text mentions)."
    # as of a date, the figure's age is counted from that date
    dated = later.ask("Alibaba cloud revenue growth as of 2025-06-01")
    assert dated.timing.stale and "The newest figure is for Oct–Dec 2024, 5 months before 2025-06-01." in dated.text


def test_the_json_carries_the_moment_and_the_freshness(answerer: Answerer) -> None:
    data = answerer.ask("Alibaba cloud revenue growth as of 2025-03-01").as_dict()
    assert {k: data[k] for k in ("as_of", "known_by", "since", "newest_source", "stale")} == {
        "as_of": "2025-03-01",
        "known_by": None,
        "since": None,
        "newest_source": "2025-08-28",
        "stale": False,
    }
    changes = answerer.ask("what changed since 2025-10-01").as_dict()
    assert changes["kind"] == "changes" and changes["since"] == "2025-10-01"
    step = next(c for c in changes["changes"] if c["new"]["value"] == 34.0)
    assert (step["kind"], step["old"]["value"], step["new"]["period_start"]) == ("changed", 26.0, "2025-07-01")
    json.dumps(changes)  # all of it can be printed


def test_changes_show_in_slack_within_its_limits(answerer: Answerer) -> None:
    answer = answerer.ask("what changed since June")
    blocks = answer_blocks(answer, FACING.command, key="k1")
    text = json.dumps(blocks, ensure_ascii=False)
    assert "What changed since 2025-06-01" in text and "→ 34% (Jul–Sep 2025" in text
    assert len(blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= MAX_SECTION for b in blocks)
    assert any(e.get("action_id") == "share_answer" for b in blocks for e in b.get("elements", []))


def test_a_moment_alone_asks_what_to_look_up(answerer: Answerer) -> None:
    answer = answerer.ask("as of March 2025")
    assert answer.kind == "none"
    assert "Say what to look up as of March 2025, for example “revenue as of March 2025”." in answer.notes


# -- on PostgreSQL too: the articles' span and the ones since a date are read in SQL -----------------------------
@pytest.mark.both_backends
def test_as_of_and_since_on_each_database(seeded_copy: Settings) -> None:
    answerer = Answerer(seeded_copy, RULES, today=lambda: TODAY)
    before = answerer.ask("cloud revenue growth as of 2023-06-30")
    assert any("they run from 2025-02-28 to 2025-09-05" in n for n in before.notes)
    Ingestor(seeded_copy, RULES).ingest_paths([RESULTS], progress=False)  # the span moves with it
    assert lead(answerer.ask("Alibaba cloud revenue growth as of 2025-03-01")) == (13.0, "Oct–Dec 2024")
    since = answerer.ask("what changed since 2025-10-01")
    assert (26.0, 34.0) in {(c.old.value, c.new.value) for c in since.changes}
    assert since.lead == "What changed since 2025-10-01, in the 1 article dated 2025-10-01 or later:"
    early = answerer.ask("cloud revenue growth as of 2023-06-30")
    assert any("they run from 2025-02-28 to 2025-11-20" in n for n in early.notes)


# -- the command line, as a user runs it ---------------------------------------------------------------------------
def test_ask_json_as_of_a_date_and_without_one(timed: Settings, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    shutil.copy(timed.database_url.removeprefix("sqlite:///"), db)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SLACK_BOT_TOKEN": ""}
    queries = ["Alibaba cloud revenue growth as of 2025-03-01", "Alibaba cloud revenue growth"]
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", *queries],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
        check=True,
    )
    dated, undated = (json.loads(line) for line in out.stdout.splitlines())
    assert (dated["figures"][0]["value"], dated["figures"][0]["period_start"]) == (13.0, "2024-10-01")
    assert (undated["figures"][0]["value"], undated["figures"][0]["period_start"]) == (34.0, "2025-07-01")
    assert dated["as_of"] == "2025-03-01" and undated["as_of"] is None
    assert undated["newest_source"] == "2025-11-20"
