"""Untrusted text never becomes a mention or a link: hostile titles, entity names, quotes, file names, notes and
queries go through every payload the real `bot serve` sends (answers, share, upload replies, digests, App Home,
modals), and the stand-in checks each one."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.store.db import engine_for
from tests.conftest import make_settings
from tests.slack_helpers import ADMIN, MEMBER, RunningBot, slash_body, start_bot
from tests.slack_standin import SlackStandIn, StoredFile
from tests.test_slack_feedback import home_of, opened_view, report_buttons, submit, submit_report
from tests.test_slack_http import answer_buttons, click, file_share_event, thread_result

HOSTILE = "<!channel> <!here> <@U0HOSTILE> <#C0HOSTILE|general> <https://evil.example/x|click here>"
ARTICLE = (
    f"Zorblax Pledge {HOSTILE}\n\nSeptember 30, 2025\n\n"
    f"Zorblax revenue rose to 77 billion yuan {HOSTILE}, chief executive Eddie Wu said. "
    f'The zorblax unit will hire 300 engineers, said <@U0HOSTILE>. "We bet on zorblax {HOSTILE}", '
    "he told reporters."
).encode()
PASTED = f"Zorblax Again {HOSTILE}\n\nZorblax revenue rose again to 81 billion yuan, Eddie Wu said {HOSTILE}."
SENDING = ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.open", "views.publish", "views.update")
OURS = {MEMBER, ADMIN}
_ANGLE = re.compile(r"<[^<>]*>")


@pytest.fixture(scope="module")
def bot(standin: SlackStandIn, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("hostilebot")
    db = tmp / "bot.db"
    shutil.copy(seeded_db, db)
    running = start_bot(standin, db, tmp, extra_env={"DIGEST_CHANNEL": "C0DIGEST01"})
    yield running
    running.stop()


def mrkdwn_strings(payload: Any, top: bool = True) -> Iterator[str]:
    """Every string Slack reads as mrkdwn: a message's `text` and each mrkdwn text object (plain_text never
    renders mentions or links)."""
    if isinstance(payload, dict):
        if top and isinstance(payload.get("text"), str) and payload.get("mrkdwn") is not False:
            yield payload["text"]
        if payload.get("type") == "mrkdwn" and isinstance(payload.get("text"), str):
            yield payload["text"]
        for key, value in payload.items():
            if key != "text" or not isinstance(value, str):
                yield from mrkdwn_strings(value, top=False)
    elif isinstance(payload, list):
        for item in payload:
            yield from mrkdwn_strings(item, top=False)


def live_markup(payload: Any) -> list[str]:
    """Mentions, channel links and links in a payload other than the bot's own: the user it answers or that
    shared, and the digest channel."""
    bad = []
    for s in mrkdwn_strings(payload):
        for token in _ANGLE.findall(s):
            if re.fullmatch(r"<@([UW][A-Z0-9]+)>", token) and token[2:-1] in OURS:
                continue
            if token == "<#C0DIGEST01>":
                continue
            bad.append(token)
    return bad


def payloads(standin: SlackStandIn) -> list[Any]:
    sent = [c.params for c in standin.calls if c.method in SENDING]
    return sent + [body for _, body, _ in standin.responses]


def slash(bot: RunningBot, standin: SlackStandIn, query: str, user: str = MEMBER) -> dict[str, Any]:
    url = standin.response_url()
    bot.command(query, url, user=user)
    return standin.wait_response(url)  # type: ignore[no-any-return]


def test_no_payload_carries_a_live_mention_or_link(bot: RunningBot, standin: SlackStandIn) -> None:
    # An upload with a hostile title, file name and quotes, and a pasted article with a hostile source and URL.
    standin.add_file(StoredFile("F0HOSTILE1", "<!channel> zorblax.txt", ARTICLE))
    bot.event(file_share_event("F0HOSTILE1", "<!channel> zorblax.txt", ADMIN, "1700002000.000001"), "EvHostile1")
    reply = thread_result(standin, "1700002000.000001")
    assert "Indexed" in reply and "&lt;!channel&gt;" in reply
    view = {
        "type": "modal",
        "callback_id": "add_article",
        "state": {
            "values": {
                "file": {"file": {"type": "file_input", "files": []}},
                "text": {"text": {"type": "plain_text_input", "value": PASTED}},
                "title": {"title": {"type": "plain_text_input", "value": None}},
                "published": {"published": {"type": "datepicker", "selected_date": "2025-10-01"}},
                "source": {"source": {"type": "plain_text_input", "value": "<!everyone> Wire"}},
                "url": {"url": {"type": "url_text_input", "value": "https://ok.example/a|<!channel>"}},
            }
        },
    }
    submit(bot, view, {k: v[k] for k, v in view["state"]["values"].items()}, ADMIN)
    standin.wait_for(
        lambda: [
            c
            for c in standin.calls_to("chat.postMessage")
            if c.params.get("channel") == ADMIN and "Zorblax Again" in str(c.params)
        ],
        timeout=60,
    )

    with engine_for(make_settings(bot.db).database_url).begin() as conn:  # a name found in a hostile article
        # Which names the statistical NER finds around the hostile markup varies; take the first Zorblax one and
        # make it answer to "zorblax".
        entity_id = conn.execute(
            text(
                "SELECT min(entity_id) FROM mentions JOIN entities ON entities.id = entity_id "
                "WHERE entities.name LIKE 'Zorblax%'"
            )
        ).scalar_one()
        assert entity_id is not None
        conn.execute(
            text("UPDATE entities SET name = :n WHERE id = :id"),
            {"n": "Zorblax <!channel> <@U0HOSTILE>", "id": entity_id},
        )
        conn.execute(
            text("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (:id, 'Zorblax', 'zorblax')"),
            {"id": entity_id},
        )

    # Answers of every kind, with hostile queries, shared; in a DM and a mention too.
    answers = [
        slash(bot, standin, q)
        for q in (
            "zorblax revenue",
            "Eddie Wu",
            "zorblax",
            "<@U0HOSTILE|bob> zorblax revenue",
            "&lt;!channel&gt; zorblax",
            "<https://evil.example/x|click> nothing here",
            "zorblx revenue",
        )
    ]
    assert "81 billion yuan" in answers[0]["text"] and answers[0]["text"].startswith("zorblax revenue:")
    assert answers[2]["text"].startswith("Zorblax &lt;!channel&gt; &lt;@U0HOSTILE&gt;")  # the entity card
    assert answers[3]["text"].startswith("bob zorblax revenue:") and "No figure answers" in answers[4]["text"]
    for answer in answers:
        if "share_answer" in answer_buttons(answer["blocks"]):
            standin.wait_response(click(bot, standin, answer_buttons(answer["blocks"])["share_answer"]))
    for i, query in enumerate(("zorblax revenue", "Eddie Wu", "zorblax <!here>")):
        ts = f"1700002100.00000{i}"
        bot.event(
            {
                "type": "message",
                "channel_type": "im",
                "user": MEMBER,
                "text": query,
                "ts": ts,
                "channel": "D0HOSTILE1",
                "event_ts": ts,
            },
            f"EvHostileDm{i}",
        )
        bot.event(
            {
                "type": "app_mention",
                "user": MEMBER,
                "text": f"<@U0BOT> {query}",
                "ts": ts,
                "channel": "C0HOSTILE2",
                "event_ts": ts,
            },
            f"EvHostileMention{i}",
        )
    standin.wait_for(
        lambda: (
            len(
                [
                    c
                    for c in standin.calls_to("chat.postMessage")
                    if c.params.get("channel") in ("D0HOSTILE1", "C0HOSTILE2")
                ]
            )
            >= 6
        )
    )

    # Digests: the preview, one posted to a channel, and a subscribe command echoing a hostile word.
    slash(bot, standin, "digest")
    bot.post(
        slash_body("digest now", standin.response_url(), ADMIN).replace(b"C0CHANNEL1", b"C0DIGEST01"),
        "application/x-www-form-urlencoded",
    )
    standin.wait_for(
        lambda: [c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0DIGEST01"]
    )
    assert "could not read" in json.dumps(slash(bot, standin, "subscribe <!channel>", user=ADMIN))

    # The report form, a hostile note, the App Home for both, and the correction form.
    figure_answer = slash(bot, standin, "zorblax revenue")
    n = len(standin.calls_to("views.open"))
    lead = report_buttons(figure_answer["blocks"])[0]
    click(bot, standin, lead)
    form = opened_view(standin, n)
    submit_report(
        bot,
        standin,
        form,
        {
            "reason": {"selected_option": {"value": "wrong_figure"}},
            "figure": {"selected_option": {"value": str(json.loads(lead["value"])["f"])}},
            "note": {"value": f"wrong {HOSTILE}"},
        },
        MEMBER,
    )
    home_of(bot, standin, MEMBER)
    admin_home = home_of(bot, standin, ADMIN)
    correct = next(
        e for b in admin_home if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "report_correct"
    )
    n = len(standin.calls_to("views.open"))
    click(bot, standin, correct, user=ADMIN, container="view")
    opened_view(standin, n)

    sent = payloads(standin)
    bad = {json.dumps(p)[:200]: live_markup(p) for p in sent if live_markup(p)}
    assert bad == {}
    exercised = [p for p in sent if "&lt;!channel&gt;" in json.dumps(p, ensure_ascii=False)]
    kinds = {
        m
        for c in standin.calls
        if c.method in SENDING and "&lt;!channel&gt;" in json.dumps(c.params)
        for m in [c.method]
    }
    assert {"chat.postMessage", "chat.update", "views.open", "views.publish"} <= kinds
    assert len(exercised) >= 20
    print(f"\nhostile-payload check: {len(sent)} payloads checked, {len(exercised)} carried hostile text")
