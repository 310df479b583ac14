"""Charts in Slack, end to end with the real `bot serve` and the stand-in: an answer with a series gets its chart
uploaded under it (files.getUploadURLExternal, the upload, files.completeUploadExternal) after the text; the
uploaded PNG holds exactly the answer's series; a failed upload loses nothing; private answers get *Show chart*;
the App Home shows the followed measures' charts; a digest attaches a chart per changed series."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering.answers import Answerer
from bot.charts.series import series_of
from bot.digest import delivery
from bot.settings import Settings
from bot.slack.app import web_client
from tests import test_digest
from tests.conftest import RULES, make_settings
from tests.slack_helpers import MEMBER, RunningBot, start_bot
from tests.slack_standin import SlackStandIn, Upload
from tests.test_charts import read_png
from tests.test_digest import FACING, NOW, settings_for
from tests.test_slack_conversation import reply_in, say
from tests.test_slack_feedback import ask, home_of
from tests.test_slack_http import answer_buttons, click

CHANNEL = "C0CHARTS01"
week = test_digest.week  # the digest tests' fixtures: seeds two weeks old, an upload in the last week
slack = test_digest.slack


@pytest.fixture(scope="module")
def bot(standin: SlackStandIn, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("charts")
    db = tmp / "bot.db"
    shutil.copy(seeded_db, db)
    running = start_bot(standin, db, tmp)
    yield running
    running.stop()


def expected_points(bot: RunningBot, query: str) -> list[tuple[str, float]]:
    series = series_of(Answerer(make_settings(bot.db), RULES).ask(query))
    assert series is not None
    return [(p.date.isoformat(), p.value) for p in series.points]


def drawn(upload: Upload) -> list[tuple[str, float]]:
    assert upload.data is not None
    width, _, texts = read_png(upload.data)
    assert width >= 600
    return [(d["date"], d["value"]) for d in json.loads(texts["chart-data"])]


def test_an_answer_in_a_thread_gets_its_chart_under_it(bot: RunningBot, standin: SlackStandIn) -> None:
    ts = say(bot, "<@U0BOT> cloud growth", channel=CHANNEL, mention=True)
    answer = reply_in(standin, CHANNEL)
    (upload,) = standin.wait_uploads(1)
    assert (upload.channel, upload.thread_ts) == (CHANNEL, ts)
    assert drawn(upload) == expected_points(bot, "cloud growth")
    assert upload.alt_txt and all(f"{v:g}%" in upload.alt_txt for _, v in drawn(upload))
    asked = standin.calls_to("files.getUploadURLExternal")[-1]
    assert answer.at <= asked.at  # the text went out first
    assert int(asked.params["length"]) == len(upload.data or b"")


def test_a_failed_upload_keeps_the_text_answer(bot: RunningBot, standin: SlackStandIn) -> None:
    before = len(standin.completed_uploads())
    channel = "C0CHARTS02"
    standin.failing_uploads = 3  # the upload URL answers 500 (and the client does not retry it)
    say(bot, "<@U0BOT> cloud growth", channel=channel, mention=True)
    assert "26%" in reply_in(standin, channel).params["text"]
    standin.wait_for(lambda: "chart upload failed" in bot.logs())
    standin.failing_uploads = 0
    assert len(standin.completed_uploads()) == before
    say(bot, "<@U0BOT> status", channel=channel, mention=True)
    assert "articles" in reply_in(standin, channel, 2).params["text"]  # still answering


def test_no_series_no_upload_and_no_button(bot: RunningBot, standin: SlackStandIn) -> None:
    channel = "C0CHARTS03"
    say(bot, "<@U0BOT> who is the ceo", channel=channel, mention=True)
    reply_in(standin, channel)
    say(bot, "<@U0BOT> status", channel=channel, mention=True)
    reply_in(standin, channel, 2)  # answers are handled in order: the first one's chart would be under way
    assert not [c for c in standin.calls_to("files.getUploadURLExternal") if c.params.get("channel") == channel]
    assert all(u.channel != channel for u in standin.uploads.values())
    assert "show_chart" not in answer_buttons(ask(bot, standin, "who is the ceo"))


def test_a_private_answer_shows_its_chart_on_request(bot: RunningBot, standin: SlackStandIn) -> None:
    url = standin.response_url()
    acked = bot.command("qwen derivatives", url)
    assert acked.status == 200 and acked.seconds < 3  # Slack's acknowledgement never waits on a chart
    buttons = answer_buttons(standin.wait_response(url)["blocks"])
    assert "show_chart" in buttons and "share_answer" in buttons
    before = len(standin.completed_uploads())
    shown = standin.wait_response(click(bot, standin, buttons["show_chart"], user=MEMBER))
    assert shown["response_type"] == "ephemeral" and shown.get("replace_original") is False
    (image,) = shown["blocks"]
    upload = standin.completed_uploads()[before]
    assert image["type"] == "image" and image["slack_file"] == {"id": upload.id}
    assert upload.channel is None  # a private file, shown to the one user through the ephemeral message
    assert drawn(upload) == expected_points(bot, "qwen derivatives")
    assert image["alt_text"] == upload.alt_txt


def test_the_app_home_shows_the_followed_measures_charts(bot: RunningBot, standin: SlackStandIn) -> None:
    blocks = home_of(bot, standin, MEMBER)
    images = [b for b in blocks if b["type"] == "image"]
    assert 1 <= len(images) <= 3
    uploads = {u.id: u for u in standin.completed_uploads()}
    for image in images:
        upload = uploads[image["slack_file"]["id"]]
        assert upload.channel is None and upload.data and upload.data.startswith(b"\x89PNG")
        assert image["alt_text"] == upload.alt_txt
    count = len(standin.completed_uploads())
    again = [b for b in home_of(bot, standin, MEMBER) if b["type"] == "image"]
    assert again == images and len(standin.completed_uploads()) == count  # drawn and uploaded once


def test_a_digest_attaches_a_chart_per_changed_series_in_its_thread(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack)
    assert delivery.deliver(settings, web_client(settings), "C0DIGESTCH", NOW, FACING) is True
    (post,) = [c for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == "C0DIGESTCH"]
    uploads = slack.completed_uploads()
    assert 1 <= len(uploads) <= 3
    assert {(u.channel, u.thread_ts) for u in uploads} == {("C0DIGESTCH", post.result["ts"])}
    charts = [drawn(u) for u in uploads]
    revenue = next(c for c in charts if any(v == 33.4e9 for _, v in c))
    assert [d for d, _ in revenue] == sorted(d for d, _ in revenue) and any(v == 31.742e9 for _, v in revenue)


def test_a_failed_digest_chart_leaves_the_digest_posted_once(week: Settings, slack: SlackStandIn) -> None:
    settings = settings_for(week, slack)
    slack.failing_uploads = 10
    assert delivery.deliver(settings, web_client(settings), "C0DIGESTFL", NOW, FACING) is True
    assert len([c for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == "C0DIGESTFL"]) == 1
    assert slack.completed_uploads() == []
    off = dataclasses.replace(settings, charts=False)
    slack.failing_uploads = 0
    assert delivery.deliver(off, web_client(off), "C0DIGESTOF", NOW, FACING) is True
    assert slack.calls_to("files.getUploadURLExternal") == slack.calls_to("files.getUploadURLExternal")[:1]


def test_an_app_home_lookup_is_charted_in_the_direct_message_it_went_to(bot: RunningBot, standin: SlackStandIn) -> None:
    user = "UCHARTDM01"
    lookup = {"action_id": "home_lookup", "value": json.dumps({"q": "cloud growth"}), "type": "button"}
    click(bot, standin, lookup, user=user, container="view")
    answer = standin.wait_for(lambda: [c for c in standin.calls_to("chat.postMessage") if c.params["channel"] == user])
    upload = standin.wait_for(lambda: [u for u in standin.completed_uploads() if u.channel == user])[0]
    assert upload.thread_ts is None and drawn(upload) == expected_points(bot, "cloud growth")
    assert answer[0].at <= standin.calls_to("files.getUploadURLExternal")[-1].at
