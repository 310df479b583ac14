"""Socket Mode end to end: the real bot connects to the stand-in's websocket, acks envelopes and answers."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from pathlib import Path

from tests.slack_helpers import MEMBER, SHARED_SLACK, start_bot
from tests.slack_standin import APP_TOKEN, SlackStandIn


def test_socket_mode_slash_command_and_mention(seeded_db: Path, tmp_path: Path) -> None:
    standin = SlackStandIn()
    db = tmp_path / "bot.db"
    shutil.copy(seeded_db, db)
    bot = start_bot(standin, db, tmp_path, socket_mode=True)
    try:
        opened = standin.wait_calls("apps.connections.open")[0]
        assert opened.auth == f"Bearer {APP_TOKEN}"
        frames = json.loads((SHARED_SLACK / "socket_mode_frames.json").read_text())

        command = frames["slash_commands_envelope"]
        command["envelope_id"] = str(uuid.uuid4())
        url = standin.response_url()
        command["payload"].update(command="/alibaba", text="derivative models", response_url=url, user_id=MEMBER)
        start = time.perf_counter()
        ack = standin.send_envelope(command)
        assert ack["envelope_id"] == command["envelope_id"] and time.perf_counter() - start < 3
        answer = json.dumps(standin.wait_response(url))
        assert "140,000 derived models" in answer and "Changed over time" in answer

        event = frames["events_api_envelope"]
        event["envelope_id"] = str(uuid.uuid4())
        event["payload"]["event"].update(text="<@U111> Joe Tsai", channel="C0SOCKET01", ts="1700000009.000001")
        event["payload"]["event"].pop("blocks", None)
        assert standin.send_envelope(event)["envelope_id"] == event["envelope_id"]
        posted = standin.wait_for(
            lambda: next(
                (c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0SOCKET01"), None
            )
        )
        assert posted.params["thread_ts"] == "1700000009.000001"
        assert "Joseph Tsai" in json.dumps(posted.params["blocks"])

        retry = json.loads(json.dumps(event))
        retry.update(envelope_id=str(uuid.uuid4()), retry_attempt=1, retry_reason="timeout")
        standin.send_envelope(retry)  # same event_id again: acked, not answered twice
        time.sleep(1.0)
        assert len([c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0SOCKET01"]) == 1
    finally:
        bot.stop()
        standin.close()


def test_event_dedupe_survives_a_restart(seeded_db: Path, tmp_path: Path) -> None:
    standin = SlackStandIn()
    db = tmp_path / "bot.db"
    shutil.copy(seeded_db, db)
    event = {
        "type": "app_mention",
        "user": MEMBER,
        "text": "<@U0BOT> capex",
        "ts": "1700000010.000001",
        "channel": "C0RESTART1",
        "event_ts": "1700000010.000001",
    }
    try:
        first = start_bot(standin, db, tmp_path)
        first.event(event, "EvRestart1")
        standin.wait_for(
            lambda: any(c.params.get("channel") == "C0RESTART1" for c in standin.calls_to("chat.postMessage"))
        )
        first.stop()
        second = start_bot(standin, db, tmp_path)
        reply = second.event(
            event, "EvRestart1", headers={"X-Slack-Retry-Num": "3", "X-Slack-Retry-Reason": "http_timeout"}
        )
        assert reply.status == 200
        time.sleep(1.0)
        second.stop()
        assert len([c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0RESTART1"]) == 1
    finally:
        standin.close()
