"""Rating and correcting answers end to end: the real `bot serve`, the stand-in, the App Home and the CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Feedback
from tests.conftest import make_settings
from tests.slack_helpers import ADMIN, MEMBER, RunningBot
from tests.slack_standin import SlackStandIn
from tests.test_project import run_cli
from tests.test_slack_http import answer_buttons, click


def ask(bot: RunningBot, standin: SlackStandIn, query: str, user: str = MEMBER) -> list[dict[str, Any]]:
    url = standin.response_url()
    bot.command(query, url, user=user)
    return standin.wait_response(url)["blocks"]  # type: ignore[no-any-return]


def report_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b["accessory"] for b in blocks if b.get("accessory", {}).get("action_id") == "report_figure"]


def opened_view(standin: SlackStandIn, trigger_before: int) -> dict[str, Any]:
    calls = standin.wait_calls("views.open", trigger_before + 1)
    return calls[trigger_before].params["view"]  # type: ignore[no-any-return]


def submit(bot: RunningBot, view: dict[str, Any], values: dict[str, dict[str, Any]], user: str) -> None:
    view = {**view, "id": "V1", "state": {"values": {k: {k: v} for k, v in values.items()}}}
    payload = {
        "type": "view_submission",
        "user": {"id": user},
        "team": {"id": "T0001"},
        "api_app_id": "A1",
        "token": "x",
        "trigger_id": "1.2.3",
        "view": view,
    }
    reply = bot.interaction(payload)
    assert reply.status == 200 and b"errors" not in reply.body, reply.body


def admin_publishes(standin: SlackStandIn) -> int:
    return len([c for c in standin.calls_to("views.publish") if c.params.get("user_id") == ADMIN])


def submit_report(
    bot: RunningBot, standin: SlackStandIn, view: dict[str, Any], values: dict[str, dict[str, Any]], user: str
) -> None:
    """Submit the report form and wait for the admin's Home refresh it causes, so that no publish from this step
    arrives while a later step waits for its own."""
    before = admin_publishes(standin)
    submit(bot, view, values, user)
    standin.wait_for(lambda: admin_publishes(standin) > before)


def reports(db: Path) -> list[Feedback]:
    with session_scope(make_settings(db).database_url) as s:
        return list(s.scalars(select(Feedback).order_by(Feedback.id)))


def home_of(bot: RunningBot, standin: SlackStandIn, user: str) -> list[dict[str, Any]]:
    before = len([c for c in standin.calls_to("views.publish") if c.params.get("user_id") == user])
    bot.event(
        {
            "type": "app_home_opened",
            "user": user,
            "channel": "D0HOME0001",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        },
        f"EvHome{time.time_ns()}",
    )
    return latest_home(standin, user, before)


def latest_home(standin: SlackStandIn, user: str, before: int) -> list[dict[str, Any]]:
    def published() -> list[Any]:
        return [c for c in standin.calls_to("views.publish") if c.params.get("user_id") == user]

    calls = standin.wait_for(lambda: len(published()) > before and published())
    view = calls[-1].params["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    return view["blocks"]  # type: ignore[no-any-return]


def test_thumbs_up_is_stored_and_thanked(bot: RunningBot, standin: SlackStandIn) -> None:
    buttons = answer_buttons(ask(bot, standin, "qwen downloads"))
    assert {"feedback_up", "feedback_down"} <= set(buttons)
    thanks = standin.wait_response(click(bot, standin, buttons["feedback_up"]))
    assert thanks["response_type"] == "ephemeral" and "Thanks" in thanks["text"]
    ups = [r for r in reports(bot.db) if r.rating == "up"]
    assert ups and ups[-1].user == MEMBER and ups[-1].query == "qwen downloads" and ups[-1].status is None


def test_thumbs_down_opens_the_report_form_without_a_figure_chosen(bot: RunningBot, standin: SlackStandIn) -> None:
    buttons = answer_buttons(ask(bot, standin, "capex"))
    n = len(standin.calls_to("views.open"))
    click(bot, standin, buttons["feedback_down"])
    view = opened_view(standin, n)
    assert view["callback_id"] == "answer_feedback"
    reason = next(b for b in view["blocks"] if b.get("block_id") == "reason")["element"]
    assert [o["value"] for o in reason["options"]] == ["wrong_figure", "wrong_subject", "not_asked", "other"]
    assert "initial_option" not in reason
    figure = next(b for b in view["blocks"] if b.get("block_id") == "figure")["element"]
    assert "initial_option" not in figure and "380 billion yuan" in json.dumps(figure["options"])
    n = len(reports(bot.db))
    view = {**view, "id": "V1", "state": {"values": {"reason": {"reason": {"selected_option": {"value": "other"}}}}}}
    reply = bot.interaction(
        {
            "type": "view_submission",
            "user": {"id": MEMBER},
            "view": view,
            "team": {"id": "T1"},
            "api_app_id": "A1",
            "token": "x",
            "trigger_id": "1",
        }
    )
    assert b"errors" in reply.body and b"note" in reply.body  # "other" needs a word on what was wrong
    assert len(reports(bot.db)) == n


def test_report_correct_and_hide_a_figure(bot: RunningBot, standin: SlackStandIn) -> None:
    blocks = ask(bot, standin, "capex")
    lead = report_buttons(blocks)[0]
    assert "380 billion yuan" in json.dumps(blocks[blocks.index(next(b for b in blocks if b.get("accessory") == lead))])
    n = len(standin.calls_to("views.open"))
    click(bot, standin, lead)
    view = opened_view(standin, n)
    reason = next(b for b in view["blocks"] if b.get("block_id") == "reason")["element"]
    figure = next(b for b in view["blocks"] if b.get("block_id") == "figure")["element"]
    assert reason["initial_option"]["value"] == "wrong_figure"
    assert figure["initial_option"]["value"] == str(json.loads(lead["value"])["f"])  # preselected
    submit_report(
        bot,
        standin,
        view,
        {
            "reason": {"selected_option": {"value": "wrong_figure"}},
            "figure": {"selected_option": figure["initial_option"]},
            "note": {"value": "The pledge was revised"},
        },
        MEMBER,
    )
    report = standin.wait_for(lambda: [r for r in reports(bot.db) if r.note == "The pledge was revised"])[0]
    assert (report.user, report.query, report.status, report.reason) == (MEMBER, "capex", "open", "wrong_figure")
    assert "380 billion yuan" in (report.figure_text or "") and report.article_hash and report.figure_start

    flagged = run_cli("figures", "--flagged", db=bot.db)
    assert flagged.returncode == 0 and f"#{report.id} " in flagged.stdout and "The pledge was revised" in flagged.stdout

    member_home = home_of(bot, standin, MEMBER)
    assert "For admins" not in json.dumps(member_home) and "report_correct" not in json.dumps(member_home)
    admin_home = home_of(bot, standin, ADMIN)
    assert "Open figure reports" in json.dumps(admin_home) and "The pledge was revised" in json.dumps(admin_home)
    correct = next(
        e
        for b in admin_home
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "report_correct" and json.loads(e["value"])["r"] == report.id
    )

    n = len(standin.calls_to("views.open"))
    click(bot, standin, correct, user=ADMIN, container="view")
    form = opened_view(standin, n)
    assert form["callback_id"] == "correct_figure"
    initial = {b["block_id"]: b["element"].get("initial_value") for b in form["blocks"] if b["type"] == "input"}
    assert initial["text"] == "380 billion yuan" and float(initial["value"]) == 380e9
    before = len([c for c in standin.calls_to("views.publish") if c.params.get("user_id") == ADMIN])
    submit(
        bot,
        form,
        {
            "text": {"value": "395 billion yuan"},
            "value": {"value": "395,000,000,000"},
            **{k: {"value": v} for k, v in initial.items() if k not in ("text", "value")},
        },
        ADMIN,
    )
    refreshed = latest_home(standin, ADMIN, before)
    assert "The pledge was revised" not in json.dumps(refreshed)  # resolved, off the list

    answer = json.dumps(ask(bot, standin, "capex"))
    assert "395 billion yuan" in answer and "corrected by an admin" in answer
    assert [r.status for r in reports(bot.db) if r.id == report.id] == ["resolved"]
    assert f"#{report.id} " not in run_cli("figures", "--flagged", db=bot.db).stdout

    # A second report on the corrected figure: the admin hides it, and answers stop showing it.
    corrected = next(
        b["accessory"]
        for b in ask(bot, standin, "capex")
        if "395 billion yuan" in json.dumps(b.get("text")) and b.get("accessory")
    )
    n = len(standin.calls_to("views.open"))
    click(bot, standin, corrected)
    view = opened_view(standin, n)
    chosen = {"value": str(json.loads(corrected["value"])["f"])}
    submit_report(
        bot,
        standin,
        view,
        {"reason": {"selected_option": {"value": "wrong_subject"}}, "figure": {"selected_option": chosen}},
        MEMBER,
    )
    second = standin.wait_for(lambda: [r for r in reports(bot.db) if r.reason == "wrong_subject"])[0]
    hide = next(
        e
        for b in home_of(bot, standin, ADMIN)
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "report_hide" and json.loads(e["value"])["r"] == second.id
    )
    before = len([c for c in standin.calls_to("views.publish") if c.params.get("user_id") == ADMIN])
    click(bot, standin, hide, user=ADMIN, container="view")
    latest_home(standin, ADMIN, before)
    assert "395 billion yuan" not in json.dumps(ask(bot, standin, "capex"))


def test_a_member_cannot_review_reports(bot: RunningBot, standin: SlackStandIn) -> None:
    blocks = ask(bot, standin, "qwen downloads")
    n = len(standin.calls_to("views.open"))
    click(bot, standin, answer_buttons(blocks)["feedback_down"])
    submit_report(
        bot, standin, opened_view(standin, n), {"reason": {"selected_option": {"value": "not_asked"}}}, MEMBER
    )
    report = standin.wait_for(lambda: [r for r in reports(bot.db) if r.reason == "not_asked"])[0]
    click(
        bot,
        standin,
        {"action_id": "report_dismiss", "value": json.dumps({"r": report.id})},
        user=MEMBER,
        container="view",
    )
    standin.wait_for(
        lambda: [
            c
            for c in standin.calls_to("chat.postMessage")
            if c.params.get("channel") == MEMBER and "only the bot's admins" in str(c.params)
        ]
    )
    assert [r.status for r in reports(bot.db) if r.id == report.id] == ["open"]


def test_the_admin_home_stays_within_100_blocks_and_shows_digest_problems(
    bot: RunningBot, standin: SlackStandIn
) -> None:
    from datetime import datetime

    from bot.store.feedback import add_feedback
    from bot.store.models import DigestRun, DigestSubscription

    with session_scope(make_settings(bot.db).database_url) as s:
        for i in range(40):
            add_feedback(s, user=MEMBER, rating="down", answer=None, reason="other", note=f"note {i}")
        for i in range(30):
            s.add(
                DigestSubscription(
                    channel=f"C0MANY{i:04d}",
                    schedule="0 9 * * mon",
                    timezone="UTC",
                    created_by=ADMIN,
                    created_at=datetime(2025, 1, 1),
                )
            )
        s.add(
            DigestRun(
                channel="C0PRIVATE1",
                period_start=datetime(2025, 1, 1),
                period_end=datetime(2025, 1, 8),
                status="failed",
                attempts=4,
                claimed_by="x",
                claimed_at=datetime(2025, 1, 8),
                last_error="not_in_channel",
            )
        )
    blocks = home_of(bot, standin, ADMIN)  # home_of asserts at most 100 blocks
    text = json.dumps(blocks)
    assert "or more" in text and "invite the bot" in text and "C0PRIVATE1" in text
    unsubscribe = [b["accessory"] for b in blocks if b.get("accessory", {}).get("action_id") == "home_unsubscribe"]
    assert unsubscribe
    url = standin.response_url()
    bot.command("status", url)
    assert "invite the bot" in json.dumps(standin.wait_response(url))

    before = len([c for c in standin.calls_to("views.publish") if c.params.get("user_id") == ADMIN])
    click(bot, standin, unsubscribe[0], user=ADMIN, container="view")
    refreshed = json.dumps(latest_home(standin, ADMIN, before))
    gone = json.loads(unsubscribe[0]["value"])["c"]
    assert f"<#{gone}>" not in refreshed
    with session_scope(make_settings(bot.db).database_url) as s:
        assert s.scalar(select(DigestSubscription).where(DigestSubscription.channel == gone)) is None


def test_home_quick_lookups_answer_in_messages_and_add_opens_the_form(bot: RunningBot, standin: SlackStandIn) -> None:
    home = home_of(bot, standin, MEMBER)
    lookups = [e for b in home if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "home_lookup"]
    capex = next(e for e in lookups if json.loads(e["value"])["q"] == "capex")
    before = len([c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == MEMBER])
    click(bot, standin, capex, container="view")
    answer = standin.wait_for(
        lambda: [c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == MEMBER][before:]
    )[0]
    assert "380 billion yuan" in json.dumps(answer.params["blocks"]) and "feedback_down" in json.dumps(answer.params)
    assert "home_add" not in json.dumps(home)
    add = next(
        e
        for b in home_of(bot, standin, ADMIN)
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "home_add"
    )
    n = len(standin.calls_to("views.open"))
    click(bot, standin, add, user=ADMIN, container="view")
    assert opened_view(standin, n)["callback_id"] == "add_article"
