"""The feed verbs through the command layer: who may change feeds, how a line's words become a feed's words, and a
bad line answered in one sentence that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.commands.context import CONSOLE, REFUSAL, SLACK, Context
from bot.commands.parse import parse
from bot.commands.run import run
from bot.feeds.manage import feed_rows
from bot.settings import Settings
from bot.store.db import migrate
from tests.conftest import RULES, make_settings


class _Answerer:
    rules = RULES


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    s = make_settings(tmp_path / "c.db")
    migrate(s.database_url)
    return s


def context(settings: Settings, surface: str = SLACK, admin: bool = False, **changes: Any) -> Context:
    return Context(settings, _Answerer(), surface, is_admin=lambda: admin, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line", ["feed add https://news.example/rss", "feed remove 1", "feed pause 1", "add https://news.example/a"]
)
def test_only_admins_change_feeds_or_add_links(settings: Settings, line: str) -> None:
    assert run(parse(line), context(settings)).text == REFUSAL.format(command="/alibaba")
    assert feed_rows(settings) == []


def test_a_feed_s_words_come_from_the_line(settings: Settings) -> None:
    line = "feed add <https://news.example/tech.rss|Tech> cloud Qwen -sports"
    assert run(parse(line), context(settings, admin=True)).text.startswith("Following feed #1: https://news.example")
    (row,) = feed_rows(settings)
    assert (row["url"], row["include"], row["exclude"]) == (
        "https://news.example/tech.rss",
        ["Qwen", "cloud"],
        ["sports"],
    )
    listed = run(parse("feed list"), context(settings, CONSOLE)).text
    assert listed.startswith("#1 https://news.example/tech.rss: 0 seen, 0 indexed, 0 skipped; last success never")
    assert json.loads(json.dumps(row))["paused"] is False


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        ("feed add ftp://news.example/rss", "Only http and https links can be read"),
        ("feed add", "Usage: `/alibaba feed add URL"),
        ("feed frobnicate", "Usage: `/alibaba feed add URL"),
        ("feed remove 7", "No feed '7'"),
        ("add notalink", "Only http and https links can be read"),
        ("watch everything", "Usage, in the channel: `/alibaba watch links`"),
    ],
)
def test_a_bad_feed_line_says_why_and_changes_nothing(settings: Settings, line: str, reply: str) -> None:
    outcome = run(parse(line), context(settings, admin=True, channel="C1"))
    assert outcome.text.startswith(reply) and "\n" not in outcome.text
    assert feed_rows(settings) == []


def test_watching_links_is_per_channel_and_said_once(settings: Settings) -> None:
    ctx = context(settings, admin=True, channel="C1", user="UADMIN")
    assert run(parse("watch links"), ctx).text.startswith("Links posted in this channel will be read")
    assert run(parse("watch links"), ctx).text == "This channel's links are already read."
    assert run(parse("unwatch links"), ctx).text == "Links posted in this channel are no longer read."
    assert run(parse("unwatch links"), ctx).text == "This channel was not watched."


def test_status_lists_the_feeds(settings: Settings) -> None:
    run(parse("feed add https://news.example/rss"), context(settings, admin=True))
    text = run(parse("status"), context(settings, CONSOLE)).text
    assert "1 feed followed:\n#1 https://news.example/rss: 0 seen" in text


def test_the_app_home_shows_admins_the_feeds(settings: Settings) -> None:
    from bot.slack.home import home_blocks
    from tests.conftest import FACING

    def texts(admin: bool) -> str:
        return json.dumps(home_blocks(settings, FACING, admin=admin))

    assert "News feeds:* none; follow one with `/alibaba feed add URL`" in texts(True)
    run(parse("feed add https://news.example/rss?a=1&b=2"), context(settings, admin=True))
    shown = texts(True)
    assert "*News feeds*\\n#1 https://news.example/rss?a=1&amp;b=2: 0 seen" in shown  # escaped for mrkdwn
    assert "News feeds" not in texts(False)
