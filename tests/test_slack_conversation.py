"""Talking to the bot outside the slash command, through the real `bot serve` and the stand-in: the same commands
in DMs and mentions, Slack's escaping decoded, the 👀 working signal, and follow-ups in a thread it answered."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import DigestSubscription
from tests.conftest import make_settings
from tests.slack_helpers import ADMIN, MEMBER, RunningBot
from tests.slack_standin import Call, SlackStandIn

_ts = iter(range(1, 10_000))


def say(
    bot: RunningBot, text: str, *, channel: str, user: str = MEMBER, mention: bool = False, thread: str | None = None
) -> str:
    ts = f"1700001000.{next(_ts):06d}"
    event: dict[str, Any] = {
        "type": "app_mention" if mention else "message",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "im" if channel.startswith("D") else "channel",
    }
    if thread:
        event["thread_ts"] = thread
    assert bot.event(event, f"Ev{channel}{ts}").status == 200
    return ts


def posts(standin: SlackStandIn, channel: str) -> list[Call]:
    return [c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def reply_in(standin: SlackStandIn, channel: str, count: int = 1) -> Call:
    return standin.wait_for(lambda: len(posts(standin, channel)) >= count and posts(standin, channel)[count - 1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("text", "expected", "mention"),
    [
        ("status", "articles, ", False),
        ("help", "subscribe #channel", False),
        ("<@U0BOT> status", "articles, ", True),
        ("<@U0BOT> help?", "subscribe #channel", True),
        ("digest", "Alibaba Group AI digest", False),
        ("add", "only the bot's admins", False),
    ],
)
def test_commands_work_the_same_in_dms_and_mentions(
    bot: RunningBot, standin: SlackStandIn, text: str, expected: str, mention: bool
) -> None:
    channel = f"{'C' if mention else 'D'}0CMD{abs(hash(text)) % 10**6:06d}"
    say(bot, text, channel=channel, mention=mention)
    body = json.dumps(reply_in(standin, channel).params)
    assert expected in body
    assert "Read “" not in body and "No figure answers" not in body and "found nothing" not in body


def test_subscribe_from_a_mention_is_a_command_for_admins_only(bot: RunningBot, standin: SlackStandIn) -> None:
    say(bot, "<@U0BOT> subscribe <#C0SUBSCR01|news> daily 08:30", channel="C0ASK00001", mention=True)
    assert "only the bot's admins" in json.dumps(reply_in(standin, "C0ASK00001").params)
    say(bot, "<@U0BOT> subscribe <#C0SUBSCR01|news> daily 08:30", channel="C0ASK00002", user=ADMIN, mention=True)
    assert "will get the digest" in json.dumps(reply_in(standin, "C0ASK00002").params)
    with session_scope(make_settings(bot.db).database_url) as s:
        assert (
            s.scalar(select(DigestSubscription.schedule).where(DigestSubscription.channel == "C0SUBSCR01"))
            == "30 8 * * *"
        )


def test_slack_escaping_is_decoded_before_answering(bot: RunningBot, standin: SlackStandIn) -> None:
    url = standin.response_url()
    bot.command("<@U0OTHER1|bob> qwen &amp; downloads", url)
    shown = standin.wait_response(url)
    restated = shown["blocks"][0]["elements"][0]["text"]
    assert restated == "*/alibaba* bob qwen &amp; downloads"  # decoded, then escaped once for display
    assert "400 million downloads" in json.dumps(shown["blocks"]) and "<@U0OTHER1" not in json.dumps(shown)


def test_mentions_show_a_working_reaction_until_answered(bot: RunningBot, standin: SlackStandIn) -> None:
    ts = say(bot, "<@U0BOT> capex", channel="C0EYES0001", mention=True)
    answer = reply_in(standin, "C0EYES0001")
    removed = standin.wait_for(
        lambda: [c for c in standin.calls_to("reactions.remove") if c.params.get("timestamp") == ts]
    )
    added = [c for c in standin.calls_to("reactions.add") if c.params.get("timestamp") == ts]
    assert added and added[0].params["name"] == "eyes" and added[0].params["channel"] == "C0EYES0001"
    assert added[0].at <= answer.at <= removed[0].at


def test_follow_ups_in_an_answered_thread_need_no_mention(bot: RunningBot, standin: SlackStandIn) -> None:
    top = say(bot, "<@U0BOT> capex", channel="C0THREAD01", mention=True)
    assert reply_in(standin, "C0THREAD01").params["thread_ts"] == top
    say(bot, "qwen downloads", channel="C0THREAD01", thread=top)
    follow_up = reply_in(standin, "C0THREAD01", 2)
    assert follow_up.params["thread_ts"] == top and "400 million downloads" in json.dumps(follow_up.params["blocks"])
    # Not followed: another thread, a top-level message, and a mention (answered through app_mention instead).
    other = say(bot, "just chatting", channel="C0THREAD01")
    say(bot, "capex", channel="C0THREAD01", thread=other)
    say(bot, "<@U0BOT> capex", channel="C0THREAD01", thread=top)
    time.sleep(1.5)
    assert len(posts(standin, "C0THREAD01")) == 2
