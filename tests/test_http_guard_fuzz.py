"""Property-based fuzz of the real HTTP endpoint: any headers, any body, signed or not, and real payloads with
one part replaced by any JSON value. Always 4xx or 200, never 5xx; the log stays bounded and unforged."""

from __future__ import annotations

import itertools
import json
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.slack_helpers import MEMBER, RunningBot, event_wrapper, sign, start_bot
from tests.slack_standin import SlackStandIn
from tests.test_http_guard import FORM, JSON, LINE_START, MARKER, VERIFY_TOKEN, http


@pytest.fixture(scope="module")
def bot(standin: SlackStandIn, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("fuzz")
    shutil.copy(seeded_db, tmp / "bot.db")
    running = start_bot(standin, tmp / "bot.db", tmp, extra_env={"LOG_LEVEL": "INFO"})
    yield running
    running.stop()


def templates(response_url: str) -> list[tuple[str, dict[str, Any]]]:
    """Real payload shapes, as (kind, payload); `form` ones are sent as a form, `payload` ones as payload=JSON."""
    mention = {
        "type": "app_mention",
        "user": MEMBER,
        "text": "<@U0BOT> " + MARKER,
        "ts": "1700000200.000001",
        "channel": "C0FUZZ0001",
        "event_ts": "1700000200.000001",
    }
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": "add_article",
        "state": {
            "values": {
                "text": {"text": {"type": "plain_text_input", "value": None}},
                "published": {"published": {"type": "datepicker", "selected_date": "not-a-date"}},
            }
        },
    }
    return [
        ("json", {**event_wrapper(mention, "EvFuzz"), "token": VERIFY_TOKEN}),
        (
            "payload",
            {
                "type": "block_actions",
                "user": {"id": MEMBER},
                "token": VERIFY_TOKEN,
                "response_url": response_url,
                "trigger_id": "1.2",
                "container": {"type": "message"},
                "actions": [{"action_id": "share_answer", "value": json.dumps({"q": "zzz " + MARKER})}],
            },
        ),
        ("payload", {"type": "view_submission", "user": {"id": MEMBER}, "token": VERIFY_TOKEN, "view": view}),
        (
            "form",
            {
                "token": VERIFY_TOKEN,
                "command": "/alibaba",
                "text": "zzz " + MARKER,
                "user_id": MEMBER,
                "response_url": response_url,
                "trigger_id": "1.2",
                "channel_id": "C0FUZZ0001",
            },
        ),
    ]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "response_url":  # answers must only ever go to the stand-in
                found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    if new is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return copy


DELETE = object()
TEXT = st.text(st.characters(min_codepoint=1, max_codepoint=0x2FFF, exclude_categories=("Cs",)), max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=60)
CONTENT_TYPES = st.sampled_from([JSON, FORM, "application/json; charset=utf-8", "text/plain", ""]) | HEADER_TEXT


@st.composite
def mutated_payload(draw: st.DrawFn, response_url: str) -> tuple[bytes, str]:
    kind, payload = draw(st.sampled_from(templates(response_url)))
    path = draw(st.sampled_from(paths(payload)))
    new = draw(st.just(DELETE) | JSON_VALUES)
    if kind == "form":
        new = new if new is DELETE or isinstance(new, str) else json.dumps(new)
    mutated = replaced(payload, path, new)
    if kind == "json":
        return json.dumps(mutated).encode(), JSON
    if kind == "payload":
        return urllib.parse.urlencode({"payload": json.dumps(mutated)}).encode(), FORM
    return urllib.parse.urlencode(mutated).encode(), FORM


@st.composite
def requests(draw: st.DrawFn, response_url: str) -> tuple[bytes, dict[str, str], str]:
    if draw(st.booleans()):
        body, content_type = draw(mutated_payload(response_url))
    else:
        body = draw(st.binary(max_size=3000) | TEXT.map(str.encode))
        content_type = draw(CONTENT_TYPES)
    headers = {"Content-Type": content_type}
    signing = draw(st.sampled_from(["valid", "none", "stale", "garbage"]))
    if signing == "garbage":
        headers.update({"X-Slack-Request-Timestamp": draw(HEADER_TEXT), "X-Slack-Signature": draw(HEADER_TEXT)})
    extra = draw(st.dictionaries(st.from_regex(r"X-[A-Za-z]{1,12}", fullmatch=True), HEADER_TEXT, max_size=2))
    return body, {**extra, **headers}, signing


def signature_headers(body: bytes, signing: str, age: int) -> dict[str, str]:
    """Signed when the request is sent, `age` seconds back, so a re-run (while shrinking) is not a replay."""
    if signing not in ("valid", "stale"):
        return {}
    ts = int(time.time()) - age - (400 if signing == "stale" else 0)
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sign(body, ts)}


def test_fuzzed_requests_get_4xx_or_200_and_a_bounded_log(bot: RunningBot, standin: SlackStandIn) -> None:
    response_url = standin.response_url()
    checked = []
    sent = itertools.count()

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request=requests(response_url))
    def one(request: tuple[bytes, dict[str, str], str]) -> None:
        body, headers, signing = request
        headers = {**headers, **signature_headers(body, signing, age=next(sent) % 250)}
        before = bot.log.stat().st_size
        status, _ = http(bot.port, body, headers)
        assert status == 200 or 400 <= status < 500, (status, body[:200], headers)
        grown = bot.log.stat().st_size - before
        if signing != "valid":  # an unauthenticated request costs at most one short line
            assert grown <= 300, grown
        checked.append(signing)

    one()
    time.sleep(1.0)  # listeners run after the ack; give them time to log anything they would
    log = bot.logs()
    assert "Traceback" not in log and VERIFY_TOKEN not in log and response_url not in log
    assert all(LINE_START.match(line) or line.startswith("    ") for line in log.splitlines())
    assert all(len(line) <= 2300 for line in log.splitlines())
    assert checked.count("valid") >= 20  # the fuzz did reach past the signature check
