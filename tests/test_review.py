"""Uploads held for review (REVIEW_UPLOADS, `ingest --review`): the preview shows what publishing would add and
change; nothing of a held upload is stored, answerable or in a digest until an admin publishes it; any admin may
publish or discard it, and the thread says who did."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.commands.pending import NotPending, discard, hold_upload, preview_lines, publish
from bot.digest.content import build_digest
from bot.reading.ingest import Ingestor, Overrides
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Article, Entity, Figure, Mention, PendingUpload, Sentence, Term
from tests.conftest import RULES, make_settings
from tests.slack_helpers import ADMIN, MEMBER, RunningBot, start_bot
from tests.slack_standin import SlackStandIn, StoredFile
from tests.test_project import run_cli
from tests.test_slack_http import file_share_event

HERE = Path(__file__).parent / "fixtures" / "digest_note"
SECOND_ADMIN = "U0ADMIN002"


def _counts(settings: Settings) -> dict[str, int]:
    with session_scope(settings.database_url) as s:
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Article, Sentence, Entity, Mention, Figure, Term, PendingUpload)
        }


@pytest.mark.both_backends
def test_a_held_upload_is_previewed_and_stores_nothing_until_published(seeded_copy: Settings) -> None:
    ingestor = Ingestor(seeded_copy, RULES)
    first = ingestor.ingest_paths([HERE / "a_cloud.txt"], Overrides(source="Wire One"), progress=False)[0]
    assert first.status == "new"
    before = _counts(seeded_copy)
    preview = hold_upload(
        ingestor, (HERE / "b_wire.txt").read_bytes(), "b_wire.txt", Overrides(source="Desk", added_by="U0X")
    )
    after = _counts(seeded_copy)
    assert after == before | {"pending_uploads": before["pending_uploads"] + 1}  # not a row of the article
    assert preview.held and preview.result.title == "Cloud Unit Beats Estimates"
    assert preview.result.published is not None and preview.result.published.isoformat() == "2025-11-22"
    assert preview.source == "Desk" and "Alibaba Cloud" in preview.names
    assert {(f.entity, f.metric, f.value) for f in preview.figures} >= {("Alibaba Cloud", "revenue growth", 38.0)}
    [conflict] = preview.conflicts  # the stored article gives 41% for the same quarter
    assert {conflict.old.value, conflict.new.value} == {41.0, 38.0} and conflict.conflict == "disagreement"
    assert any((c.old.value, c.new.value) == (26.0, 38.0) for c in preview.changes)
    text = "\n".join(preview_lines(preview))
    assert f"Held for review as upload {preview.pending_id}: “Cloud Unit Beats Estimates” (2025-11-22, Desk)" in text
    assert "It would disagree with:" in text and "sources disagree" in text
    with session_scope(seeded_copy.database_url) as s:  # not in any digest
        assert "Cloud Unit Beats Estimates" not in {
            a.article.title for a in build_digest(s, datetime(2000, 1, 1), datetime.now() + timedelta(1)).articles
        }
    assert preview.pending_id is not None
    published = publish(ingestor, preview.pending_id)
    assert published.status == "new" and _counts(seeded_copy)["articles"] == before["articles"] + 1
    assert _counts(seeded_copy)["pending_uploads"] == before["pending_uploads"]
    with pytest.raises(NotPending):
        publish(ingestor, preview.pending_id)  # a second admin's click: already published
    with session_scope(seeded_copy.database_url) as s:
        row = s.get(Article, published.article_id)
        assert row is not None and row.source == "Desk" and row.added_by == "U0X"


def test_a_duplicate_or_unreadable_upload_is_not_held(seeded_copy: Settings) -> None:
    ingestor = Ingestor(seeded_copy, RULES)
    before = _counts(seeded_copy)
    stored = sorted(Path(seeded_copy.seeds_dir).glob("*.txt"))[0]
    duplicate = hold_upload(ingestor, stored.read_bytes(), stored.name, Overrides())
    assert not duplicate.held and duplicate.result.status == "duplicate"
    broken = hold_upload(ingestor, b"\x00\x01\x02" * 300, "noise.txt", Overrides())
    assert not broken.held and broken.result.status == "failed"
    assert "nothing was held" in preview_lines(broken)[0]
    assert _counts(seeded_copy) == before
    assert not discard(seeded_copy.database_url, 999)


def test_cli_review_publish_and_discard(seeded_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    shutil.copy(seeded_db, db)
    held = run_cli("ingest", "--review", str(HERE / "a_cloud.txt"), str(HERE / "b_wire.txt"), db=db)
    assert held.returncode == 0, held.stderr
    assert "2 held for review" in held.stderr
    assert "Held for review as upload 1: “Alibaba Cloud Growth Quickens Again” (2025-11-20" in held.stdout
    assert "It would change:" in held.stdout and "26% (Apr–Jun 2025) → 41% (Jul–Sep 2025)" in held.stdout
    assert "publish: python -m bot publish 1   discard: python -m bot discard 1" in held.stdout
    assert "Alibaba Cloud Growth" not in run_cli("ask", "cloud revenue growth", db=db).stdout  # not answerable
    digest = json.loads(run_cli("digest", "--since", "2000-01-01", "--json", db=db).stdout)
    assert len(digest["articles"]) == 4
    assert " 1  " in run_cli("pending", db=db).stdout
    published = run_cli("publish", "1", db=db)
    assert published.returncode == 0 and "published upload 1: “Alibaba Cloud Growth Quickens Again” is article 5" in (
        published.stdout
    )
    again = run_cli("publish", "1", db=db)
    assert again.returncode == 1 and "no upload 1 is waiting" in again.stderr
    assert run_cli("discard", "2", db=db).stdout.strip() == "discarded upload 2"
    assert run_cli("discard", "2", db=db).returncode == 1
    assert run_cli("publish", "two", db=db).returncode == 2
    digest = json.loads(run_cli("digest", "--since", "2000-01-01", "--json", db=db).stdout)
    assert [a["title"] for a in digest["articles"]][-1] == "Alibaba Cloud Growth Quickens Again"
    assert len(digest["articles"]) == 5  # the discarded one never counted
    assert "41%" in run_cli("ask", "Alibaba Cloud revenue growth", db=db).stdout


@pytest.fixture(scope="module")
def review_bot(
    standin: SlackStandIn, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("review")
    db = tmp / "bot.db"
    shutil.copy(seeded_db, db)
    standin.users[ADMIN] = {"id": ADMIN, "profile": {"display_name": "Uma Uploader"}}
    standin.users[SECOND_ADMIN] = {"id": SECOND_ADMIN, "profile": {"real_name": "Pat Publisher"}}
    running = start_bot(
        standin, db, tmp, extra_env={"REVIEW_UPLOADS": "true", "ADMIN_USER_IDS": f"{ADMIN},{SECOND_ADMIN}"}
    )
    yield running
    running.stop()


def _articles(db: Path) -> list[tuple[str, str | None, str | None]]:
    with session_scope(make_settings(db).database_url) as s:
        return [(a.title, a.added_by, a.added_by_name) for a in s.scalars(select(Article).order_by(Article.id))]


def _preview(standin: SlackStandIn, ts: str) -> dict[str, Any]:
    """The held upload's preview: the update of the "Indexing" reply in the upload's thread."""
    first = standin.wait_for(
        lambda: next((c for c in standin.calls_to("chat.postMessage") if c.params.get("thread_ts") == ts), None)
    )
    reply_ts = first.result["ts"]
    return standin.wait_for(
        lambda: next((c for c in standin.calls_to("chat.update") if c.params.get("ts") == reply_ts), None), timeout=60
    ).params


def test_slack_upload_waits_for_an_admin_to_publish(review_bot: RunningBot, standin: SlackStandIn) -> None:
    standin.add_file(StoredFile("F0REVIEW01", "a_cloud.txt", (HERE / "a_cloud.txt").read_bytes()))
    before = _articles(review_bot.db)
    review_bot.event(file_share_event("F0REVIEW01", "a_cloud.txt", ADMIN, "1700000101.000001"), "EvReview1")
    preview = _preview(standin, "1700000101.000001")
    shown = json.dumps(preview["blocks"], ensure_ascii=False)
    assert "Held for review as upload" in shown and "Alibaba Cloud Growth Quickens Again" in shown
    assert "Alibaba Cloud · revenue growth" in shown and "41% (Jul–Sep 2025)" in shown
    buttons = {e["action_id"]: e for b in preview["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert set(buttons) == {"upload_publish", "upload_discard"}
    assert _articles(review_bot.db) == before  # nothing counts yet

    def press(user: str) -> None:
        """The Publish button pressed on the preview, as Slack sends it: with the message it is on."""
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "team": {"id": "T0001"},
            "channel": {"id": preview["channel"]},
            "container": {"type": "message", "channel_id": preview["channel"], "message_ts": preview["ts"]},
            "message": {"ts": preview["ts"], "thread_ts": "1700000101.000001", "blocks": preview["blocks"]},
            "response_url": standin.response_url(),
            "trigger_id": f"trigger-{time.time_ns()}",
            "api_app_id": "A1",
            "token": "x",
            "actions": [
                {
                    "action_id": "upload_publish",
                    "block_id": "b",
                    "type": "button",
                    "value": buttons["upload_publish"]["value"],
                    "action_ts": "1",
                }
            ],
        }
        assert review_bot.interaction(payload).status == 200

    press(MEMBER)  # not an admin: refused, nothing published
    refusal = standin.wait_for(
        lambda: next((c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == MEMBER), None)
    )
    assert "admins" in str(refusal.params.get("text"))
    time.sleep(0.5)
    assert _articles(review_bot.db) == before
    press(SECOND_ADMIN)  # any admin, not only the uploader
    said = standin.wait_for(
        lambda: next(
            (c for c in standin.calls_to("chat.postMessage") if "Published by" in str(c.params.get("text"))), None
        ),
        timeout=60,
    )
    assert "Published by Pat Publisher" in str(said.params["text"]) and "<@" not in str(said.params["text"])
    assert said.params["thread_ts"] == "1700000101.000001"  # in the upload's thread
    updates = standin.wait_for(
        lambda: [c for c in standin.calls_to("chat.update") if c.params.get("ts") == preview["ts"]][1:]
    )
    last = updates[-1]
    assert "upload_publish" not in json.dumps(last.params["blocks"])  # decided: the buttons are gone
    assert _articles(review_bot.db)[-1] == ("Alibaba Cloud Growth Quickens Again", ADMIN, "Uma Uploader")
    assert len(_articles(review_bot.db)) == len(before) + 1
