"""Digests: content on real articles, scheduling with a controllable clock, and posting exactly once."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from bot.answering.model import ArticleRef, FigureHit
from bot.answering.status import status_text
from bot.answering.views.wording import Facing
from bot.digest import delivery, scheduler
from bot.digest.content import AddedArticle, Digest, build_digest
from bot.digest.sections import SECTION_LIMIT, Section, digest_sections
from bot.digest.views.digest_blocks import digest_blocks, digest_fallback
from bot.digest.views.digest_text import digest_text
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.slack.app import web_client
from bot.store.db import session_scope
from bot.store.models import Article, DigestRun, DigestSubscription, Entity
from tests.conftest import RULES, UPLOAD
from tests.slack_standin import BOT_TOKEN, SlackStandIn

NOW = datetime(2025, 9, 1, 9, 0)  # a Monday

FACING = Facing("Alibaba Group", "/alibaba")  # as the seed pack presents itself


@pytest.fixture()
def week(seeded_copy: Settings) -> Settings:
    """Seeds added two weeks ago, the upload added in the last week."""
    with session_scope(seeded_copy.database_url) as s:
        s.execute(update(Article).values(added_at=NOW - timedelta(days=14), added_by="U0SEEDER1"))
    result = Ingestor(seeded_copy, RULES).ingest_paths([UPLOAD], progress=False)[0]
    with session_scope(seeded_copy.database_url) as s:
        s.execute(
            update(Article)
            .where(Article.id == result.article_id)
            .values(added_at=NOW - timedelta(days=2), added_by="U0ANALYST")
        )
    return seeded_copy


@pytest.mark.both_backends
def test_digest_of_a_week_with_an_upload(week: Settings) -> None:
    with session_scope(week.database_url) as s:
        digest = build_digest(s, NOW - timedelta(days=7), NOW)
    assert [a.article.title for a in digest.articles] == ["Alibaba Cloud Revenue Climbs 26% on AI Demand"]
    assert digest.articles[0].added_by == "U0ANALYST"
    assert digest.articles[0].article.published.isoformat() == "2025-08-29"
    changed = {(c.old.value, c.new.value, c.old.unit) for c in digest.changed}
    assert (31.742e9, 33.4e9, "CNY") in changed  # cloud revenue rose, with both sources and dates
    new_values = {f.value for f in digest.new_figures}
    assert 38.7e9 in new_values and 380e9 not in new_values  # the 380bn plan was known already
    assert dict(digest.top_entities)["Alibaba Group"] >= 1
    assert "Alibaba Group" not in [n for n, _ in digest.new_entities]
    for start in (NOW - timedelta(days=7), datetime(2000, 1, 1)):  # this week; all time (every name is new)
        with session_scope(week.database_url) as s:  # the truth by a pass over every mention
            first_seen = (
                s.execute(
                    text(
                        "SELECT e.name FROM entities e JOIN (SELECT entity_id, min(article_id) AS first FROM mentions "
                        "GROUP BY entity_id) f ON f.entity_id = e.id JOIN articles a ON a.id = f.first "
                        "WHERE a.added_at >= :start ORDER BY e.name"
                    ),
                    {"start": start},
                )
                .scalars()
                .all()
            )
            catalog = set(s.scalars(select(Entity.name).where(Entity.from_catalog)))
            built = build_digest(s, start, NOW)
        # Listed: the names the catalog knows; the names only the parser found are counted.
        assert [n for n, _ in built.new_entities] == [n for n in first_seen if n in catalog]
        assert built.other_names == len([n for n in first_seen if n not in catalog])
    assert len(first_seen) > 10 and built.other_names > 0
    text_ = digest_text(digest, FACING)
    assert "31.742 billion yuan (Oct–Dec 2024) → 33.4 billion yuan" in text_
    assert "2025-08-28" in text_ and "2025-08-29" in text_
    blocks = digest_blocks(digest, FACING)
    assert len(blocks) <= 50 and all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert "U0ANALYST" in json.dumps(blocks) and "<@U0ANALYST>" not in json.dumps(blocks)  # named, not pinged


def test_a_week_with_nothing_new_says_so_in_one_line(week: Settings) -> None:
    with session_scope(week.database_url) as s:
        digest = build_digest(s, NOW + timedelta(days=1), NOW + timedelta(days=8))
    text_ = digest_text(digest, FACING)
    assert digest.empty and text_.count("\n") == 0 and "Nothing new" in text_
    assert len(digest_blocks(digest, FACING)) == 1


def test_text_and_blocks_show_the_same_parts_and_escape_article_text() -> None:
    hostile = ArticleRef(1, "<!channel> *Cloud* & AI", date(2025, 8, 29), "Wire <@U1>", None)
    fig = FigureHit(
        1, "percent", 26.0, "%", "26% <b>", None, None, None, "Growth <!here> was 26%.", hostile, "Cloud <!here>"
    )
    fig.metric = "revenue growth"
    added = [AddedArticle(hostile, "<@U0EVIL>", NOW), AddedArticle(hostile, "U0ANALYST", NOW)] * 5
    digest = Digest(
        NOW - timedelta(days=7),
        NOW,
        articles=added,
        results=[fig],
        unlabelled=1,
        new_entities=[(f"Name<{i}>", "org") for i in range(25)],
        top_entities=[("A&B", 3)],
    )
    parts = digest_sections(digest)
    assert [getattr(p, "kind", getattr(p, "title", "note")) for p in parts] == [
        "articles",
        "results",
        "note",
        "First mentioned",
        "Most mentioned",
    ]
    assert isinstance(parts[0], Section) and parts[0].lines == added[:SECTION_LIMIT] and parts[0].more == 2
    text_ = digest_text(digest, Facing("Acme", "/ali"))
    blocks = json.dumps(digest_blocks(digest, Facing("Acme", "/ali")), ensure_ascii=False)
    assert "1 new figure without a named subject or metric, not listed." in text_  # counted, not listed
    for title in ("Articles added", "New results", "First mentioned", "Most mentioned"):
        assert title in text_ and title in blocks
    assert "…and 2 more: try /ali status" in text_ and "…and 2 more: try `/ali status`" in blocks
    assert "<!channel>" in text_ and "<!channel>" not in blocks and "&lt;!channel&gt;" in blocks
    assert "<!here>" not in blocks and "<@U0EVIL>" not in blocks and "<@U0ANALYST>" not in blocks
    assert "<!channel>" not in digest_fallback(digest, FACING) and "&lt;!channel&gt;" in digest_fallback(digest, FACING)


def test_the_first_digest_covers_the_last_seven_days(week: Settings) -> None:
    assert delivery.period_start(week, "C0NEW0001", NOW) == NOW - timedelta(days=7)


def test_schedule_in_the_configured_time_zone() -> None:
    trigger = scheduler.trigger_for("0 9 * * mon", "Asia/Shanghai")
    # 09:00 in Shanghai is 01:00 UTC: at 01:05 UTC on Monday the slot is that morning.
    assert scheduler.scheduled_slot(trigger, datetime(2025, 9, 1, 1, 5), timedelta(days=8)) == datetime(
        2025, 9, 1, 1, 0
    )
    # An hour earlier the week's slot has not come: it is the previous Monday's.
    assert scheduler.scheduled_slot(trigger, datetime(2025, 9, 1, 0, 5), timedelta(days=8)) == datetime(
        2025, 8, 25, 1, 0
    )
    utc = scheduler.trigger_for("30 14 * * *", "UTC")
    assert scheduler.scheduled_slot(utc, datetime(2025, 9, 3, 14, 31), timedelta(days=2)) == datetime(
        2025, 9, 3, 14, 30
    )


@pytest.fixture()
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackStandIn]:
    standin = SlackStandIn()
    monkeypatch.setattr(delivery, "sleep", lambda _s: None)
    yield standin
    standin.close()


def settings_for(base: Settings, standin: SlackStandIn, **changes: object) -> Settings:
    import dataclasses

    return dataclasses.replace(base, slack_bot_token=BOT_TOKEN, slack_api_url=standin.api_url, **changes)


def posts_to(standin: SlackStandIn, channel: str) -> list[object]:
    return [c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == channel and c.status == 200]


@pytest.mark.both_backends
def test_deliver_posts_once_however_often_it_is_called(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack)
    client = web_client(settings)
    assert delivery.deliver(settings, client, "C0DIGEST01", NOW, FACING) is True
    assert delivery.deliver(settings, client, "C0DIGEST01", NOW, FACING) is False
    posts = posts_to(slack, "C0DIGEST01")
    assert len(posts) == 1
    assert "Alibaba Cloud Revenue Climbs" in json.dumps(posts[0].params["blocks"])  # type: ignore[attr-defined]


def test_rate_limit_then_success_posts_once(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack)
    slack.fail_next("chat.postMessage", 429, {"Retry-After": "1"}, b'{"ok": false, "error": "ratelimited"}')
    assert delivery.deliver(settings, web_client(settings), "C0LIMIT001", NOW, FACING)
    assert len(posts_to(slack, "C0LIMIT001")) == 1
    assert len(slack.calls_to("chat.postMessage")) == 2
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(DigestRun.status).where(DigestRun.channel == "C0LIMIT001")) == "posted"


def test_a_failing_post_is_retried_then_reported_by_status(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack)
    slack.fail_next("chat.postMessage", 200, body=b'{"ok": false, "error": "channel_not_found"}', times=10)
    assert delivery.deliver(settings, web_client(settings), "C0BROKEN01", NOW, FACING) is False
    assert len(slack.calls_to("chat.postMessage")) == delivery.MAX_ATTEMPTS
    status = status_text(settings, delivery.failed_digest_lines(settings, FACING))
    assert "C0BROKEN01" in status and "channel_not_found" in status


@pytest.mark.both_backends
def test_a_crash_after_claiming_is_finished_on_restart(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack)
    with session_scope(settings.database_url) as s:
        s.add(
            DigestRun(
                channel="C0CRASH001",
                period_start=NOW - timedelta(days=7),
                period_end=NOW,
                status="claimed",
                attempts=0,
                claimed_by=f"{socket.gethostname()}:999999",
                claimed_at=NOW,
            )
        )
    sched = scheduler.start_scheduler(settings, web_client(settings), FACING)
    try:
        assert len(posts_to(slack, "C0CRASH001")) == 1
        with session_scope(settings.database_url) as s:
            assert s.scalar(select(DigestRun.status).where(DigestRun.channel == "C0CRASH001")) == "posted"
    finally:
        assert sched is not None
        sched.shutdown(wait=False)


@pytest.mark.both_backends
def test_a_live_claim_elsewhere_is_left_alone(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack)
    with session_scope(settings.database_url) as s:
        s.add(
            DigestRun(
                channel="C0BUSY0001",
                period_start=NOW - timedelta(days=7),
                period_end=NOW,
                status="claimed",
                attempts=0,
                claimed_by=delivery.CLAIMER,
                claimed_at=delivery.clock(),
            )
        )
    assert delivery.deliver(settings, web_client(settings), "C0BUSY0001", NOW, FACING) is False
    assert posts_to(slack, "C0BUSY0001") == []


def _due_soon(settings: Settings, channel: str, when: datetime) -> None:
    """Move the channel's stored job so it is due at `when` (naive UTC), as a restart would find it."""
    import pickle

    with session_scope(settings.database_url) as s:
        state = pickle.loads(
            s.execute(
                text("SELECT job_state FROM apscheduler_jobs WHERE id = :i"), {"i": scheduler.JOB_PREFIX + channel}
            ).scalar_one()
        )
        from zoneinfo import ZoneInfo

        state["next_run_time"] = when.replace(tzinfo=ZoneInfo("UTC"))
        s.execute(
            text("UPDATE apscheduler_jobs SET job_state = :s, next_run_time = :t WHERE id = :i"),
            {
                "s": pickle.dumps(state),
                "t": when.replace(tzinfo=ZoneInfo("UTC")).timestamp(),
                "i": scheduler.JOB_PREFIX + channel,
            },
        )


def _every_ten_minutes_not_soon() -> str:
    """A ten-minute schedule whose next run is at least four minutes away, so no live run lands in the test."""
    offset = (datetime.now().minute + 5) % 10
    return f"{offset}-59/10 * * * *"


def test_jobs_live_in_the_database_and_a_missed_run_posts_once(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack, digest_channel="C0MISSED01", digest_schedule=_every_ten_minutes_not_soon())
    client = web_client(settings)
    first = scheduler.start_scheduler(settings, client, FACING)
    assert first is not None
    job = first.get_job(scheduler.JOB_PREFIX + "C0MISSED01")
    assert job is not None and job.next_run_time > datetime.now(job.next_run_time.tzinfo)
    first.shutdown()
    # The bot was down for an hour: six ten-minute runs were missed.
    _due_soon(settings, "C0MISSED01", datetime.utcnow() - timedelta(hours=1))
    second = scheduler.start_scheduler(settings, client, FACING)
    assert second is not None
    try:
        slack.wait_for(lambda: posts_to(slack, "C0MISSED01"), timeout=20)
        time.sleep(2.0)
        assert len(posts_to(slack, "C0MISSED01")) == 1  # once, not once per missed run
        job = second.get_job(scheduler.JOB_PREFIX + "C0MISSED01")
        assert job is not None and job.next_run_time > datetime.now(job.next_run_time.tzinfo)
    finally:
        second.shutdown(wait=False)


@pytest.mark.both_backends
def test_two_schedulers_on_one_database_post_once(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack, digest_channel="C0TWICE001", digest_schedule="0 9 * * mon")
    client = web_client(settings)
    one = scheduler.start_scheduler(settings, client, FACING)
    two = scheduler.build_scheduler(settings)  # a second process's scheduler reading the same job store
    two.start()
    try:
        assert one is not None
        soon = datetime.utcnow() + timedelta(seconds=2)
        from zoneinfo import ZoneInfo

        for sched in (one, two):
            sched.modify_job(scheduler.JOB_PREFIX + "C0TWICE001", next_run_time=soon.replace(tzinfo=ZoneInfo("UTC")))
        slack.wait_for(lambda: posts_to(slack, "C0TWICE001"), timeout=20)
        time.sleep(3.0)
        assert len(posts_to(slack, "C0TWICE001")) == 1
    finally:
        two.shutdown(wait=False)
        if one is not None:
            one.shutdown(wait=False)


@pytest.mark.both_backends
def test_subscriptions_from_slack(week: Settings, slack: SlackStandIn) -> None:
    from bot.answering.answers import Answerer
    from bot.commands.context import SLACK, Context
    from bot.commands.digests import parse_subscription
    from bot.commands.parse import parse
    from bot.commands.run import run

    assert parse_subscription(["<#C0SUBS0001|news>", "daily", "07:30"], "UTC") == ("C0SUBS0001", "30 7 * * *")
    assert parse_subscription(["<#C0SUBS0001|news>", "weekly", "friday", "17:00"], "UTC") == (
        "C0SUBS0001",
        "0 17 * * fri",
    )
    assert isinstance(parse_subscription(["#news"], "UTC"), str)
    settings = settings_for(week, slack, admin_user_ids=frozenset({"U0ADMIN001"}))
    client = web_client(settings)
    answerer = Answerer(settings, RULES)

    def said(text: str, user: str, channel: str = "") -> str:
        ctx = Context(
            settings,
            answerer,
            SLACK,
            user=user,
            channel=channel or settings.digest_channel,
            is_admin=lambda: user in settings.admin_user_ids,
            slack=client,
        )
        return run(parse(text), ctx).text

    assert "only the bot's admins" in said("subscribe <#C0SUBS0001|news> daily 07:30", "U0MEMBER1")
    said("subscribe <#C0SUBS0001|news> daily 07:30", "U0ADMIN001")
    with session_scope(settings.database_url) as s:
        assert (
            s.scalar(select(DigestSubscription.schedule).where(DigestSubscription.channel == "C0SUBS0001"))
            == "30 7 * * *"
        )
    preview = said("digest", "U0MEMBER1", "C0SUBS0001")
    assert preview.startswith("Alibaba Group AI digest, ") or preview.startswith("Nothing new in the Alibaba Group")
    said("unsubscribe <#C0SUBS0001|news>", "U0ADMIN001")
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(DigestSubscription).where(DigestSubscription.channel == "C0SUBS0001")) is None


def test_digest_cli_prints_without_posting(week: Settings, tmp_path: Path) -> None:
    from tests.test_project import run_cli

    db = Path(week.database_url.removeprefix("sqlite:///"))
    result = run_cli("digest", "--since", "2000-01-01", "--json", db=db)
    assert result.returncode == 0, result.stderr
    digest = json.loads(result.stdout)
    assert len(digest["articles"]) == 5 and {"changed", "new_figures", "new_entities", "top_entities"} <= set(digest)


def test_the_default_job_runs_at_the_configured_local_time(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(
        week, slack, digest_channel="C0TZONE001", digest_schedule="0 9 * * mon", digest_timezone="Asia/Shanghai"
    )
    sched = scheduler.start_scheduler(settings, web_client(settings), FACING)
    assert sched is not None
    try:
        job = sched.get_job(scheduler.JOB_PREFIX + "C0TZONE001")
        assert job is not None
        local = job.next_run_time.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
        utc = job.next_run_time.astimezone(__import__("zoneinfo").ZoneInfo("UTC"))
        assert (utc.hour, utc.minute) == (1, 0)  # 09:00 in Shanghai is 01:00 UTC
    finally:
        sched.shutdown(wait=False)


def test_an_empty_week_is_skipped_when_the_setting_says_so(week: Settings, slack: SlackStandIn) -> None:
    quiet = NOW + timedelta(days=30)
    skip = settings_for(week, slack, digest_skip_empty=True)
    assert delivery.deliver(skip, web_client(skip), "C0QUIET001", quiet, FACING)
    assert posts_to(slack, "C0QUIET001") == []
    say = settings_for(week, slack, digest_skip_empty=False)
    assert delivery.deliver(say, web_client(say), "C0QUIET002", quiet, FACING)
    [post] = posts_to(slack, "C0QUIET002")
    assert "nothing new" in json.dumps(post.params["blocks"])  # type: ignore[attr-defined]
