"""A zip bomb uploaded through Slack to the real `python -m bot serve`: its one-line reason lands in the thread,
lookups sent meanwhile are all answered, nothing is stored, and the process stays up within bounded memory."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.store.db import session_scope
from bot.store.models import Article
from tests import hostile
from tests.conftest import make_settings
from tests.slack_helpers import ADMIN, SHARED_SLACK, RunningBot
from tests.slack_standin import SlackStandIn, StoredFile

PEAK_LIMIT_MB = 900  # the serving process with spaCy loaded is about 400 MB; the bomb must add little


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def upload_event(file_id: str, name: str, ts: str) -> dict[str, object]:
    event = json.loads((SHARED_SLACK / "message_file_share_event.inner.json").read_text())
    event.update(
        subtype="file_share",
        user=ADMIN,
        ts=ts,
        event_ts=ts,
        channel="D0UPLOAD01",
        channel_type="im",
        text="here is an article",
    )
    event["files"] = [{**event["files"][0], "id": file_id, "name": name, "title": name, "user": ADMIN}]
    return event


def final_reply(standin: SlackStandIn, ts: str) -> str | None:
    """The update of the upload's "Indexing" reply in its thread, once it is there."""
    first = next(
        (c for c in standin.calls_to("chat.postMessage") if c.params.get("thread_ts") == ts and c.status == 200), None
    )
    if first is None:
        return None
    update = next((c for c in standin.calls_to("chat.update") if c.params.get("ts") == first.result["ts"]), None)
    return str(update.params.get("text")) if update else None


def articles(db: Path) -> int:
    with session_scope(make_settings(db).database_url) as s:
        return int(s.scalar(select(func.count()).select_from(Article)) or 0)


@pytest.mark.parametrize(
    ("index", "name", "make", "reason"),
    [
        (1, "bomb.docx", lambda: hostile.docx_bomb(200_000_000), "like a zip bomb"),
        (2, "malformed.docx", hostile.malformed_docx, "its XML is malformed"),
        (3, "nested.html", lambda: hostile.nested_html(1_000_000), "nested more than 200 levels deep"),
    ],
)
def test_a_hostile_upload_gets_its_reason_while_lookups_are_answered(
    bot: RunningBot,
    standin: SlackStandIn,
    index: int,
    name: str,
    make,  # type: ignore[no-untyped-def]
    reason: str,
) -> None:
    file_id = "F0HOSTILE" + name[:3].upper()
    standin.add_file(StoredFile(file_id, name, make(), "application/octet-stream"))
    before = articles(bot.db)
    ts = f"1700000099.{index:06d}"
    bot.event(upload_event(file_id, name, ts), f"EvHostile{file_id}")
    answered = 0
    deadline = time.time() + 60
    reply = None
    while reply is None and time.time() < deadline:
        url = standin.response_url()
        assert bot.command("capex", url).status == 200
        assert "380 billion yuan" in json.dumps(standin.wait_response(url, timeout=10)["blocks"])
        answered += 1
        reply = final_reply(standin, ts)
    assert reply is not None, "no reply in the thread"
    assert reply.startswith(f"Could not add {name}: ") and reason in reply and "\n" not in reply
    assert answered >= 1 and bot.proc.poll() is None
    assert articles(bot.db) == before
    assert peak_mb(bot.proc.pid) < PEAK_LIMIT_MB
