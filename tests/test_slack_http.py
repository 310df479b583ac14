"""End to end over HTTP: the real `python -m bot serve` driven as Slack would, against the local stand-in."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.store.db import session_scope
from bot.store.models import Article
from tests.conftest import UPLOAD, make_settings
from tests.slack_helpers import ADMIN, MEMBER, SHARED_SLACK, RunningBot, event_wrapper, sign
from tests.slack_standin import BOT_TOKEN, SlackStandIn, StoredFile


def articles(db: Path) -> int:
    with session_scope(make_settings(db).database_url) as s:
        return int(s.scalar(select(func.count()).select_from(Article)) or 0)


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_slash_command_acks_at_once_then_answers_privately(bot: RunningBot, standin: SlackStandIn) -> None:
    url = standin.response_url()
    reply = bot.command("capex", url)
    assert reply.status == 200 and reply.seconds < 3.0
    answer = standin.wait_response(url)
    assert answer["response_type"] == "ephemeral"
    blocks = answer["blocks"]
    text = all_text(blocks)
    assert "380 billion yuan" in text and "capex" in text
    assert "Alibaba Reassesses Cloud and AI Strategy" in text and "2025-08-28" in text  # title and date
    assert "convert it differently" in text  # sources differ
    buttons = {e["action_id"]: e for e in blocks[-1]["elements"]}
    assert list(buttons) == ["feedback_up", "feedback_down", "share_answer"]
    assert buttons["share_answer"]["text"]["text"] == "Share in channel"
    assert len(blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)


def click(
    bot: RunningBot, standin: SlackStandIn, button: dict[str, Any], user: str = MEMBER, container: str = "message"
) -> str:
    """Press a button as Slack would; returns the response_url the bot may answer on."""
    url = standin.response_url()
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T0001"},
        "channel": {"id": "C0CHANNEL1"},
        "response_url": url,
        "trigger_id": f"trigger-{time.time_ns()}",
        "api_app_id": "A1",
        "token": "x",
        "container": {"type": container},
        "actions": [
            {
                "action_id": button["action_id"],
                "block_id": "b",
                "type": "button",
                "value": button.get("value", ""),
                "action_ts": "1",
            }
        ],
    }
    assert bot.interaction(payload).status == 200
    return url


def answer_buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def test_share_posts_exactly_the_answer_the_user_saw(bot: RunningBot, standin: SlackStandIn) -> None:
    url = standin.response_url()
    bot.command("Eddie Wu", url)
    seen = standin.wait_response(url)["blocks"]
    share = answer_buttons(seen)["share_answer"]
    assert "Eddie Wu" not in share["value"]  # a key to the stored answer, not the query to re-run
    # An article added after the answer was given must not change what is shared.
    standin.add_file(
        StoredFile(
            "F0LATER001",
            "later.md",
            b"Eddie Wu Speaks Again\n\nSeptember 20, 2025\n\n"
            b"Eddie Wu said Alibaba would hire 900 researchers, chief executive Eddie Wu said.",
        )
    )
    bot.event(file_share_event("F0LATER001", "later.md", ADMIN, "1700000009.000001"), "EvLater1")
    assert "Indexed" in thread_result(standin, "1700000009.000001")
    shared = standin.wait_response(click(bot, standin, share))
    assert shared["response_type"] == "in_channel"
    content = [{k: v for k, v in b.items() if k != "accessory"} for b in seen if b["type"] != "actions"]
    assert shared["blocks"][:-1] == content and f"<@{MEMBER}>" in all_text(shared["blocks"][-1:])
    assert "Eddie Wu Speaks Again" not in all_text(shared["blocks"])
    assert "share_answer" not in all_text(shared["blocks"]) and "feedback_up" not in all_text(shared["blocks"])
    stale = standin.wait_response(click(bot, standin, {"action_id": "share_answer", "value": '{"k": "gone"}'}))
    assert stale["response_type"] == "ephemeral" and "no longer be shared" in stale["text"]


@pytest.mark.parametrize(
    ("text", "expected"), [("", "/alibaba capex"), ("help", "/alibaba capex"), ("status", "{n} articles")]
)
def test_help_and_status(bot: RunningBot, standin: SlackStandIn, text: str, expected: str) -> None:
    url = standin.response_url()
    bot.command(text, url)
    assert expected.format(n=articles(bot.db)) in json.dumps(standin.wait_response(url))


def test_unknown_query_says_nothing_found(bot: RunningBot, standin: SlackStandIn) -> None:
    url = standin.response_url()
    bot.command("Tesla deliveries", url)
    body = json.dumps(standin.wait_response(url))
    assert "found nothing" in body and "yuan" not in body


@pytest.mark.parametrize("case", ["unsigned", "bad signature", "stale", "other secret"])
def test_bad_requests_get_401_and_do_nothing(bot: RunningBot, standin: SlackStandIn, case: str) -> None:
    url = standin.response_url()
    from tests.slack_helpers import slash_body

    body = slash_body("capex", url)
    now = int(time.time())
    kwargs: dict[str, Any] = {
        "unsigned": {"signed": False},
        "bad signature": {"signature": "v0=" + "0" * 64},
        "stale": {"timestamp": now - 6 * 60},
        "other secret": {"signature": sign(body, now, "not-the-secret"), "timestamp": now},
    }[case]
    reply = bot.post(body, "application/x-www-form-urlencoded", **kwargs)
    assert reply.status == 401
    time.sleep(0.5)
    assert not any(u.endswith(url.split("/", 3)[-1]) for u, _, _ in standin.responses)


def test_signing_matches_slacks_published_vector() -> None:
    vector = json.loads((SHARED_SLACK / "signing_test_vector.json").read_text())
    assert (
        sign(vector["body"].encode(), int(vector["timestamp"]), vector["signing_secret"])
        == vector["expected_X-Slack-Signature"]
    )


def test_url_verification(bot: RunningBot) -> None:
    body = (SHARED_SLACK / "url_verification.json").read_bytes()
    reply = bot.post(body, "application/json")
    assert reply.status == 200
    assert json.loads((SHARED_SLACK / "url_verification.json").read_text())["challenge"] in reply.body.decode()


def test_mention_answers_in_a_thread(bot: RunningBot, standin: SlackStandIn) -> None:
    event = {
        "type": "app_mention",
        "user": MEMBER,
        "text": "<@U0BOT> qwen downloads",
        "ts": "1700000000.000100",
        "channel": "C0CHANNEL2",
        "event_ts": "1700000000.000100",
    }
    assert bot.event(event, "EvMention1").status == 200
    call = standin.wait_for(
        lambda: next((c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0CHANNEL2"), None)
    )
    assert call.params["thread_ts"] == "1700000000.000100"
    assert "400 million downloads" in json.dumps(call.params["blocks"])


def test_direct_message_answers_in_the_dm(bot: RunningBot, standin: SlackStandIn) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": MEMBER,
        "text": "Wu Yongming",
        "ts": "1700000000.000200",
        "channel": "D0DIRECT01",
        "event_ts": "1700000000.000200",
    }
    bot.event(event, "EvDM1")
    call = standin.wait_for(
        lambda: next((c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "D0DIRECT01"), None)
    )
    assert "thread_ts" not in call.params or call.params["thread_ts"] in (None, "")
    assert "Eddie Wu" in json.dumps(call.params["blocks"])


def test_redelivered_event_is_handled_once(bot: RunningBot, standin: SlackStandIn) -> None:
    event = {
        "type": "app_mention",
        "user": MEMBER,
        "text": "<@U0BOT> employees",
        "ts": "1700000000.000300",
        "channel": "C0RETRY001",
        "event_ts": "1700000000.000300",
    }
    bot.event(event, "EvRetry1")
    standin.wait_for(lambda: any(c.params.get("channel") == "C0RETRY001" for c in standin.calls_to("chat.postMessage")))
    for attempt in (1, 2):  # Slack signs each retry afresh: a new timestamp, so a new signature
        body = json.dumps(event_wrapper(event, "EvRetry1")).encode()
        reply = bot.post(
            body,
            "application/json",
            timestamp=int(time.time()) + attempt,
            headers={"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"},
        )
        assert reply.status == 200
    time.sleep(1.0)
    assert len([c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0RETRY001"]) == 1


def file_share_event(file_id: str, name: str, user: str, ts: str, channel: str = "D0UPLOAD01") -> dict[str, Any]:
    event = json.loads((SHARED_SLACK / "message_file_share_event.inner.json").read_text())
    event.update(
        subtype="file_share",
        user=user,
        ts=ts,
        event_ts=ts,
        channel=channel,
        channel_type="im",
        text="here is an article",
    )
    event["files"] = [{**event["files"][0], "id": file_id, "name": name, "title": name, "user": user}]
    return event


def thread_result(standin: SlackStandIn, ts: str) -> str:
    """The final word in an upload's thread: the update of its "Indexing" reply, or the reply itself."""
    first = standin.wait_for(
        lambda: next(
            (c for c in standin.calls_to("chat.postMessage") if c.params.get("thread_ts") == ts and c.status == 200),
            None,
        )
    )
    if "Indexing" not in str(first.params.get("text")):
        return str(first.params.get("text"))
    reply_ts = first.result["ts"]
    update = standin.wait_for(
        lambda: next((c for c in standin.calls_to("chat.update") if c.params.get("ts") == reply_ts), None), timeout=60
    )
    return str(update.params.get("text"))


def test_admin_upload_is_indexed_and_reports_changes(bot: RunningBot, standin: SlackStandIn) -> None:
    standin.add_file(StoredFile("F0UPLOAD01", UPLOAD.name, UPLOAD.read_bytes()))
    before = articles(bot.db)
    bot.event(file_share_event("F0UPLOAD01", UPLOAD.name, ADMIN, "1700000001.000001"), "EvUpload1")
    result = thread_result(standin, "1700000001.000001")
    assert "Indexed *Alibaba Cloud Revenue Climbs 26% on AI Demand* (2025-08-29)" in result
    assert "figures" in result and "31.742 billion yuan" in result and "33.4 billion yuan" in result  # changed
    assert articles(bot.db) == before + 1
    assert ("F0UPLOAD01", f"Bearer {BOT_TOKEN}") in standin.downloads
    url = standin.response_url()
    bot.command("cloud revenue", url)
    assert "33.4 billion yuan" in json.dumps(standin.wait_response(url)["blocks"][1])

    bot.event(file_share_event("F0UPLOAD01", UPLOAD.name, ADMIN, "1700000001.000002"), "EvUpload2")
    assert "already indexed on" in thread_result(standin, "1700000001.000002")
    assert articles(bot.db) == before + 1


def test_non_admin_upload_is_refused_politely(bot: RunningBot, standin: SlackStandIn) -> None:
    standin.add_file(StoredFile("F0MEMBER01", "member.txt", b"Alibaba said revenue rose 5% to 10 billion yuan."))
    before = articles(bot.db)
    bot.event(file_share_event("F0MEMBER01", "member.txt", MEMBER, "1700000002.000001"), "EvMember1")
    assert "only the bot's admins" in thread_result(standin, "1700000002.000001")
    assert not any(c.params.get("file") == "F0MEMBER01" for c in standin.calls_to("files.info"))
    assert articles(bot.db) == before


BAD_FILES = [
    (StoredFile("F0BAD00001", "photo.png", b"\x89PNG\r\n", "image/png"), "unsupported file type (.png)", False),
    (StoredFile("F0BAD00002", "huge.txt", b"small", size=50_000_000), "over the limit", False),
    (StoredFile("F0BAD00003", "empty.txt", b"", size=0), "empty", False),
    (StoredFile("F0BAD00004", "article.pdf", b"%PDF", "application/pdf", serve_html=True), "web page instead", True),
    (StoredFile("F0BAD00005", "noise.txt", b"\x00\x01\x02\x03" * 200), "binary", True),
    (StoredFile("F0BAD00006", "blank.md", b"   \n\n  \t"), "empty", True),
]


@pytest.mark.parametrize(("stored", "reason", "downloads"), BAD_FILES, ids=[b[0].name for b in BAD_FILES])
def test_bad_uploads_get_a_clear_reply_and_store_nothing(
    bot: RunningBot, standin: SlackStandIn, stored: StoredFile, reason: str, downloads: bool
) -> None:
    standin.add_file(stored)
    before = articles(bot.db)
    ts = f"1700000003.{stored.id[-3:]}"
    bot.event(file_share_event(stored.id, stored.name, ADMIN, ts), f"EvBad{stored.id}")
    assert reason.lower() in thread_result(standin, ts).lower()
    assert articles(bot.db) == before
    assert any(d[0] == stored.id for d in standin.downloads) == downloads  # size and type are checked first


def test_web_api_errors_are_reported_and_rate_limits_waited_out(bot: RunningBot, standin: SlackStandIn) -> None:
    standin.add_file(StoredFile("F0ERR00001", "later.txt", b"Alibaba Cloud hired 500 engineers in Hangzhou."))
    standin.fail_next("files.info", 500, body=b'{"ok": false, "error": "internal_error"}', times=3)
    bot.event(file_share_event("F0ERR00001", "later.txt", ADMIN, "1700000004.000001"), "EvErr1")
    assert "would not give me the file" in thread_result(standin, "1700000004.000001")

    standin.fail_next("chat.postMessage", 429, {"Retry-After": "1"}, b'{"ok": false, "error": "ratelimited"}')
    event = {
        "type": "app_mention",
        "user": MEMBER,
        "text": "<@U0BOT> capex",
        "ts": "1700000004.000002",
        "channel": "C0LIMITED1",
        "event_ts": "1700000004.000002",
    }
    bot.event(event, "EvLimited1")

    def limited() -> list[Any]:
        return [c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0LIMITED1"]

    calls = standin.wait_for(lambda: len(limited()) >= 2 and limited())
    assert len(calls) == 2 and calls[1].at - calls[0].at >= 0.9  # Retry-After honoured, posted once after it
    time.sleep(1.5)
    assert len([c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0LIMITED1"]) == 2
    assert BOT_TOKEN not in bot.logs() and "standin-signing-secret" not in bot.logs()


def test_add_command_opens_the_modal_for_admins_only(bot: RunningBot, standin: SlackStandIn) -> None:
    url = standin.response_url()
    bot.command("add", url, user=MEMBER)
    assert "only the bot's admins" in json.dumps(standin.wait_response(url))
    bot.command("add", standin.response_url(), user=ADMIN)
    view = standin.wait_calls("views.open")[-1].params["view"]
    kinds = {b["element"]["type"] for b in view["blocks"]}
    assert {"file_input", "plain_text_input", "datepicker", "url_text_input"} <= kinds


def test_add_modal_with_pasted_text(bot: RunningBot, standin: SlackStandIn) -> None:
    from bot.slack.views import add_article_view

    view = add_article_view()
    view["state"] = {
        "values": {
            "file": {"file": {"type": "file_input", "files": []}},
            "text": {
                "text": {
                    "type": "plain_text_input",
                    "value": "Alibaba Opens Data Centre\n\nAlibaba Cloud opened a data centre in Seoul "
                    "with 3,000 servers, chief executive Eddie Wu said.",
                }
            },
            "title": {"title": {"type": "plain_text_input", "value": None}},
            "published": {"published": {"type": "datepicker", "selected_date": "2025-09-10"}},
            "source": {"source": {"type": "plain_text_input", "value": "Wire"}},
            "url": {"url": {"type": "url_text_input", "value": None}},
        }
    }
    before = articles(bot.db)
    payload = {
        "type": "view_submission",
        "user": {"id": ADMIN},
        "team": {"id": "T0001"},
        "api_app_id": "A1",
        "token": "x",
        "trigger_id": "1.2.3",
        "view": view,
    }
    assert bot.interaction(payload).status == 200
    dm = standin.wait_for(
        lambda: next(
            (
                c
                for c in standin.calls_to("chat.postMessage")
                if c.params.get("channel") == ADMIN and "Indexed" in str(c.params)
            ),
            None,
        ),
        timeout=60,
    )
    assert "Alibaba Opens Data Centre" in dm.params["text"] and "2025-09-10" in dm.params["text"]
    assert articles(bot.db) == before + 1


def test_digest_now_posts_to_the_channel_for_admins(bot: RunningBot, standin: SlackStandIn) -> None:
    from tests.slack_helpers import slash_body

    url = standin.response_url()
    body = slash_body("digest now", url, ADMIN).replace(b"C0CHANNEL1", b"C0DIGEST77")
    bot.post(body, "application/x-www-form-urlencoded")
    assert "Digest posted" in json.dumps(standin.wait_response(url))
    posts = [c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0DIGEST77"]
    assert len(posts) == 1 and "Alibaba Group AI digest" in json.dumps(posts[0].params["blocks"])
    url = standin.response_url()
    bot.post(
        slash_body("digest now", url, MEMBER).replace(b"C0CHANNEL1", b"C0DIGEST77"), "application/x-www-form-urlencoded"
    )
    assert "only the bot's admins" in json.dumps(standin.wait_response(url))


def test_a_file_shared_in_a_channel_with_a_mention_is_added(bot: RunningBot, standin: SlackStandIn) -> None:
    text_ = (
        b"Alibaba Expands In Europe\n\nSeptember 12, 2025\n\nAlibaba Cloud opened two data centres in "
        b"Frankfurt, president Zhou Jingren said, adding 1,200 staff in Europe."
    )
    standin.add_file(StoredFile("F0CHANNEL1", "europe.md", text_, "text/markdown"))
    before = articles(bot.db)
    event = {
        "type": "app_mention",
        "user": ADMIN,
        "text": "<@U0BOT> please add",
        "ts": "1700000020.000001",
        "channel": "C0NEWS0001",
        "event_ts": "1700000020.000001",
        "files": [{"id": "F0CHANNEL1", "name": "europe.md"}],
    }
    bot.event(event, "EvChannelFile1")
    result = thread_result(standin, "1700000020.000001")
    assert "Indexed *Alibaba Expands In Europe* (2025-09-12)" in result
    assert articles(bot.db) == before + 1
