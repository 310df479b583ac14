"""Feeds and links in Slack, through the real `bot serve` and the stand-in: admins follow feeds and add links, anyone
lists the feeds, a watched channel's posted links are read with a reply in their thread, and the running bot polls
the feeds by itself."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Article, Feed
from tests.feeds_site import Site, news_site
from tests.slack_helpers import ADMIN, MEMBER, RunningBot, start_bot
from tests.slack_standin import SlackStandIn
from tests.test_slack_conversation import posts, say


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    site = news_site(slow_seconds=5).start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def bot(standin: SlackStandIn, site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("feeds-bot")
    env = {"FETCH_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "FETCH_TIMEOUT_SECONDS": "2", "FETCH_MAX_BYTES": "1000000"}
    running = start_bot(standin, tmp / "bot.db", tmp, extra_env=env)
    yield running
    running.stop()


def last_text(standin: SlackStandIn, channel: str, count: int) -> str:
    call = standin.wait_for(lambda: len(posts(standin, channel)) >= count and posts(standin, channel)[count - 1], 60)
    return str(call.params.get("text"))


def url(bot: RunningBot) -> str:
    return f"sqlite:///{bot.db}"


def test_only_admins_follow_feeds_and_anyone_lists_them(bot: RunningBot, standin: SlackStandIn, site: Site) -> None:
    say(bot, f"feed add <{site.url('/atom.xml')}> cloud -bakery", channel="DMEMBER", user=MEMBER)
    assert "only the bot's admins" in last_text(standin, "DMEMBER", 1)
    say(bot, f"feed add <{site.url('/atom.xml')}> cloud -bakery", channel="DADMIN", user=ADMIN)
    assert last_text(standin, "DADMIN", 1).startswith("Following feed #1: http://127.0.0.1:")
    say(bot, f"feed add <{site.url('/atom.xml')}>", channel="DADMIN", user=ADMIN)
    assert "already followed (#1)" in last_text(standin, "DADMIN", 2)
    say(bot, "feed list", channel="DMEMBER", user=MEMBER)
    assert last_text(standin, "DMEMBER", 2).startswith(f"#1 {site.url('/atom.xml')}")
    with session_scope(url(bot)) as session:
        feed = session.scalars(select(Feed)).one()
        assert (json.loads(feed.include_words), json.loads(feed.exclude_words)) == (["cloud"], ["bakery"])


def test_add_url_reads_one_page_for_admins(bot: RunningBot, standin: SlackStandIn, site: Site) -> None:
    say(bot, f"add <{site.url('/bad/elsewhere')}>", channel="DADMIN", user=ADMIN)
    assert last_text(standin, "DADMIN", 3) == (
        f"Could not add {site.url('/bad/elsewhere')}: refused: 127.0.0.2 is a loopback address."
    )
    say(bot, f"add <{site.url('/wire/cainiao-budapest-hub')}>", channel="DADMIN", user=ADMIN)
    assert last_text(standin, "DADMIN", 4).startswith("Indexed *Cainiao opens Budapest parcel hub* (2026-11-28)")


def test_a_watched_channel_s_links_are_read_with_a_reply_in_their_thread(
    bot: RunningBot, standin: SlackStandIn, site: Site
) -> None:
    link = site.url("/harbour/alibaba-cloud-cuts-qwen-prices")
    say(bot, f"look: <{link}|a story>", channel="CNEWS", user=MEMBER)  # not watched yet: nothing happens
    time.sleep(1)
    assert posts(standin, "CNEWS") == []
    say(bot, "<@U0BOT> watch links", channel="CNEWS", user=MEMBER, mention=True)
    assert "only the bot's admins" in last_text(standin, "CNEWS", 1)
    say(bot, "<@U0BOT> watch links", channel="CNEWS", user=ADMIN, mention=True)
    assert last_text(standin, "CNEWS", 2).startswith("Links posted in this channel will be read")
    ts = say(bot, f"look: <{link}|a story> and <{site.url('/harbour/lyon-bakery-expands')}>", channel="CNEWS")
    assert last_text(standin, "CNEWS", 3).startswith("Indexed *Alibaba Cloud cuts Qwen model prices by up to 60%*")
    assert posts(standin, "CNEWS")[2].params.get("thread_ts") == ts
    time.sleep(1)
    assert len(posts(standin, "CNEWS")) == 3  # the off-topic link gets no reply


def test_the_running_bot_polls_its_feeds(bot: RunningBot, standin: SlackStandIn) -> None:
    """The feed added above is polled in the background: the copy of the story read from the channel is reported
    as a copy, the other report of the event is indexed, and status shows the feed's counts."""
    deadline = time.time() + 90
    while time.time() < deadline:
        with session_scope(url(bot)) as session:
            feed = session.scalars(select(Feed)).one()
            if feed.last_success_at is not None:
                break
        time.sleep(0.5)
    assert (feed.items_seen, feed.items_indexed) == (2, 1), bot.logs()[-3000:]
    with session_scope(url(bot)) as session:
        titles = sorted(a.title for a in session.scalars(select(Article)))
    assert "China's AI price war deepens as Alibaba slashes rates" not in titles
    assert "Analysts split on Alibaba's AI price cuts" in titles
    say(bot, "status", channel="DMEMBER", user=MEMBER)
    status: Any = last_text(standin, "DMEMBER", 3)
    assert "1 feed followed:" in status and "2 seen, 1 indexed, 1 skipped" in status
