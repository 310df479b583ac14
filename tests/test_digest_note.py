"""The digest as an analyst's note, on the seeds and articles written for these tests: labelled facts grouped by
subject, changes with both sources, results apart from plans, typed disagreements, names the catalog agrees on,
uploaders named without a mention, `--json` fields, Slack's limits at 200 figures, and windows that lose no
article added in the second a digest is built."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.answering.model import ArticleRef, FigureHit
from bot.answering.views.blockkit import MAX_HEADER, MAX_SECTION
from bot.answering.views.wording import Facing
from bot.digest import delivery
from bot.digest.content import AddedArticle, Digest, build_digest
from bot.digest.views.digest_blocks import digest_blocks, digest_fallback
from bot.digest.views.digest_text import digest_text
from bot.reading.ingest import Ingestor, Overrides
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Article, DigestRun
from tests.conftest import RULES

HERE = Path(__file__).parent / "fixtures" / "digest_note"
NOW = datetime(2025, 11, 24, 9, 0)
FACING = Facing("Alibaba Group", "/alibaba")


@pytest.fixture()
def note(seeded_copy: Settings) -> Settings:
    """The seeds added two weeks ago; this week a results article (with an outlet and a link, uploaded by a
    Slack user whose name is known) and a wire story giving another growth rate for the same quarter."""
    with session_scope(seeded_copy.database_url) as s:
        s.execute(update(Article).values(added_at=NOW - timedelta(days=14), added_by="U0SEEDER1"))
    ingestor = Ingestor(seeded_copy, RULES)
    first = ingestor.ingest_paths(
        [HERE / "a_cloud.txt"],
        Overrides(source="Wire One", url="https://news.example.com/cloud", added_by="U0ANALYST", added_by_name="Ana"),
        progress=False,
    )[0]
    second = ingestor.ingest_paths([HERE / "b_wire.txt"], Overrides(added_by="U0OTHER01"), progress=False)[0]
    with session_scope(seeded_copy.database_url) as s:
        for result, days in ((first, 3), (second, 2)):
            s.execute(
                update(Article).where(Article.id == result.article_id).values(added_at=NOW - timedelta(days=days))
            )
    return seeded_copy


def _week(settings: Settings) -> Digest:
    with session_scope(settings.database_url) as s:
        return build_digest(s, NOW - timedelta(days=7), NOW)


@pytest.mark.both_backends
def test_a_change_is_a_labelled_fact_with_both_sources_and_dates(note: Settings) -> None:
    digest = _week(note)
    growth = [c for c in digest.changed if (c.new.entity, c.new.metric) == ("Alibaba Cloud", "revenue growth")]
    assert {(c.old.value, c.new.value) for c in growth} >= {(26.0, 41.0)}  # the seeds' quarter → this week's
    text = digest_text(digest, FACING)
    line = next(x for x in text.splitlines() if "26% (Apr–Jun 2025) → 41% (Jul–Sep 2025)" in x)
    assert line.lstrip("• ").startswith("Alibaba Cloud · revenue growth: ")
    assert "reported 2025-11-20" in line and "Alibaba Cloud Growth Quickens Again, 2025-11-20, Wire One" in line
    assert "AI Powerhouse" in line  # the older source, too
    assert "“" not in text  # facts, not clipped sentences


@pytest.mark.both_backends
def test_results_plans_and_disagreements_are_apart_and_typed(note: Settings) -> None:
    digest = _week(note)
    assert {(f.entity, f.metric, f.status) for f in digest.plans} >= {
        ("Alibaba Group", "capital expenditure", "plan"),
        ("Alibaba Cloud", "revenue growth", "forecast"),
    }
    assert all(f.status not in ("plan", "forecast", "estimate") for f in digest.results)
    assert all(f.entity and f.metric for f in digest.new_figures)  # a fact without a subject is not listed
    [split] = [c for c in digest.disagreements if c.new.metric == "revenue growth"]
    assert {split.old.value, split.new.value} == {41.0, 38.0} and split.conflict == "disagreement"
    assert all(c.old.article.id != c.new.article.id for c in digest.disagreements)
    text = digest_text(digest, FACING)
    assert text.index("New results:") < text.index("New plans and forecasts:")
    plans = text[text.index("New plans and forecasts:") :]
    assert "120 billion yuan (2026), plan" in plans and "45% (2026), forecast" in plans
    assert "sources disagree (reported vs reported)" in text
    # Grouped by subject: each subject's lines together (all time: the seeds' figures too).
    with session_scope(note.database_url) as s:
        text = digest_text(build_digest(s, datetime(2000, 1, 1), NOW), FACING)
    results = text[text.index("New results:") : text.index("New plans and forecasts:")].splitlines()[1:]
    subjects = [x.split(" · ")[0].strip(" •") for x in results if " · " in x]
    runs = [s for i, s in enumerate(subjects) if i == 0 or subjects[i - 1] != s]
    assert len(subjects) > 3 and len(runs) == len(set(runs))


def test_uploaders_are_named_never_mentioned_and_articles_linked(note: Settings) -> None:
    digest = _week(note)
    blocks = json.dumps(digest_blocks(digest, FACING), ensure_ascii=False)
    assert "added by Ana" in blocks and "<@U0ANALYST>" not in blocks and "<@" not in blocks
    assert "added by U0OTHER01" in blocks  # no name known: the id as plain text, which notifies nobody
    assert "<https://news.example.com/cloud|Alibaba Cloud Growth Quickens Again>" in blocks
    assert "added by Ana" in digest_text(digest, FACING)


def test_new_names_are_the_ones_the_catalog_agrees_on(note: Settings) -> None:
    with session_scope(note.database_url) as s:
        everything = build_digest(s, datetime(2000, 1, 1), NOW)
    listed = [n for n, _ in everything.new_entities]
    assert "Alibaba Cloud" in listed and "Eddie Wu" in listed
    assert "Asia" not in listed and "AI Powerhouse" not in listed  # a place and a title's words
    assert everything.other_names > 0
    assert f"{everything.other_names} other new names the catalog does not list" in digest_text(everything, FACING)


def test_json_carries_subject_metric_period_status_and_date(note: Settings) -> None:
    data = _week(note).as_dict()
    assert data["new_figures"] and data["changed"]
    for fact in data["new_figures"] + [
        side for c in data["changed"] + data["disagreements"] for side in (c["old"], c["new"])
    ]:
        assert fact["subject"] and fact["metric"] and fact["status"] and fact["date"]
        assert fact["period"] or fact["as_of"] or fact["status"] != "actual"
    growth = next(c for c in data["changed"] if c["new"]["value"] == 41.0)
    assert (growth["subject"], growth["metric"]) == ("Alibaba Cloud", "revenue growth")
    assert (growth["old"]["period"], growth["new"]["period"]) == ("Apr–Jun 2025", "Jul–Sep 2025")
    assert growth["new"]["article"]["url"] == "https://news.example.com/cloud"
    downloads = next(
        f for f in data["new_figures"] + [c["new"] for c in data["changed"]] if f["metric"] == "model downloads"
    )
    assert downloads["as_of"] == "2025-10-31"
    assert data["articles"][0]["added_by"] == "Ana"


def _figure(i: int) -> FigureHit:
    long_title = f"Article {i} " + "with a very long headline " * 20
    ref = ArticleRef(i, long_title, date(2025, 11, 1), "Outlet " * 20, "https://news.example.com/" + "x" * 900)
    hit = FigureHit(i, "money", float(i), "CNY", f"{i} billion yuan", None, None, None, "s", ref, f"Subject {i % 7}")
    hit.metric, hit.status = f"metric number {i}", ("plan" if i % 3 == 0 else "actual")
    return hit


def test_blocks_stay_within_slacks_limits_at_200_new_figures() -> None:
    figures = [_figure(i) for i in range(200)]
    digest = Digest(
        NOW - timedelta(days=7),
        NOW,
        results=[f for f in figures if f.status == "actual"],
        plans=[f for f in figures if f.status == "plan"],
        unlabelled=12,
        new_entities=[(f"Name {i}", "company") for i in range(200)],
        other_names=40,
    )
    digest.articles = [AddedArticle(f.article, "U1", NOW) for f in figures]
    blocks = digest_blocks(digest, FACING)
    assert len(blocks) <= 50
    for b in blocks:
        texts = [b.get("text", {}).get("text", "")] + [e.get("text", "") for e in b.get("elements", [])]
        assert all(len(t) <= MAX_SECTION for t in texts)
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= MAX_HEADER
    shown = json.dumps(blocks)
    assert "more: try `/alibaba &lt;topic&gt;`" in shown and "12 new figures without a named subject" in shown
    # Every section ends whole: a link cut in half would show raw mrkdwn.
    for b in blocks:
        text = b.get("text", {}).get("text", "")
        assert text.count("<") == text.count(">")
    assert len(digest_fallback(digest, FACING)) <= MAX_SECTION


@pytest.mark.both_backends
def test_an_article_added_in_the_second_a_digest_is_built_is_in_exactly_one_digest(note: Settings) -> None:
    """The CLI's window ends at the moment it is built; posted digests follow each other by article id."""
    with session_scope(note.database_url) as s:
        last = s.scalar(select(func.max(Article.id)))
        built = s.scalar(select(Article.added_at).where(Article.id == last))
        assert built is not None
        # Built a few microseconds after the article was added, in the same second: it is in.
        assert last in [a.article.id for a in build_digest(s, built - timedelta(days=1), built).articles]
    # Two posted digests: the first claimed with the article stored, another article added in the same second.
    with session_scope(note.database_url) as s:
        s.execute(update(Article).values(added_at=NOW))  # every article "now", to the second
    slot = NOW.replace(second=0)
    run1 = delivery.claim(note, "C0WINDOW1", slot)
    assert run1 is not None and run1.through_article_id == last
    extra = Ingestor(note, RULES).ingest_bytes(
        b"Qwen Team Grows\n\nNovember 24, 2025\n\nThe Qwen team now has 300 members, Alibaba said.\n",
        "late.txt",
        Overrides(added_by="U0LATE001"),
    )
    with session_scope(note.database_url) as s:
        s.execute(update(Article).where(Article.id == extra.article_id).values(added_at=NOW))
        s.execute(update(DigestRun).where(DigestRun.id == run1.id).values(status="posted"))
    run2 = delivery.claim(note, "C0WINDOW1", slot + timedelta(days=7))
    assert run2 is not None and run2.after_article_id == last and run2.through_article_id == extra.article_id
    with session_scope(note.database_url) as s:
        one = build_digest(s, run1.period_start, run1.period_end, after_id=None, through_id=run1.through_article_id)
        two = build_digest(s, run2.period_start, run2.period_end, after_id=last, through_id=run2.through_article_id)
    ids_one, ids_two = {a.article.id for a in one.articles}, {a.article.id for a in two.articles}
    assert extra.article_id in ids_two and extra.article_id not in ids_one and not ids_one & ids_two
    assert last in ids_one


def test_the_cli_digest_includes_an_article_added_a_moment_ago(note: Settings) -> None:
    from tests.test_project import run_cli

    db = Path(note.database_url.removeprefix("sqlite:///"))
    with session_scope(note.database_url) as s:
        s.execute(update(Article).values(added_at=datetime.utcnow()))
    result = run_cli("digest", "--json", db=db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["articles"]) == 6
    assert all(f["subject"] and f["metric"] and f["status"] for f in data["new_figures"])
    text = run_cli("digest", db=db).stdout
    assert "Alibaba Cloud · revenue growth: 26% (Apr–Jun 2025) → 41% (Jul–Sep 2025)" in text


def test_a_conversion_is_not_a_disagreement_and_one_article_does_not_disagree_with_itself() -> None:
    from bot.answering.changes import Change
    from bot.digest.content import disagreements_of

    a, b = _figure(1), _figure(2)
    a.status, b.status = "actual", "converted"
    b.article = ArticleRef(99, "Other outlet", date(2025, 11, 2))
    conversion = Change(a, b, "contradicts", "status")
    same_article = Change(_figure(3), _figure(3), "contradicts", "disagreement")
    c, d = _figure(4), _figure(5)
    c.status = d.status = "actual"
    real = Change(c, d, "contradicts", "disagreement")
    forecast = Change(c, replace(d, status="forecast", id=6), "contradicts", "status")
    assert disagreements_of(
        [conversion, same_article, real, Change(d, c, "contradicts", "disagreement"), forecast]
    ) == [
        real,
        forecast,
    ]
