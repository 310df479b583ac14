"""Hostile traffic against the real `python -m bot serve` over HTTP: sizes, signatures, replays, malformed
payloads, unhandled events and slow clients. Raw sockets, so any bytes can be sent."""

from __future__ import annotations

import contextlib
import json
import re
import select
import shutil
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.slack_helpers import ADMIN, MEMBER, RunningBot, event_wrapper, sign, slash_body, start_bot
from tests.slack_standin import BOT_TOKEN, SlackStandIn

LIMIT = 1_048_576  # HTTP_MAX_BODY_BYTES's default
IDLE = 2  # HTTP_IDLE_TIMEOUT_SECONDS for these tests
VERIFY_TOKEN = "verification-token-q7w2e9"
MARKER = "body-marker-z8x5c1"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
LINE_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


@pytest.fixture(scope="module")
def bot(standin: SlackStandIn, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("guard")
    shutil.copy(seeded_db, tmp / "bot.db")
    running = start_bot(standin, tmp / "bot.db", tmp, extra_env={"HTTP_IDLE_TIMEOUT_SECONDS": str(IDLE)})
    yield running
    running.stop()


# -- raw HTTP -------------------------------------------------------------------------------------
def http(
    port: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    method: str = "POST",
    path: str = "/slack/events",
    declared: int | None = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    """Status and body of one request sent as raw bytes; `declared` overrides Content-Length."""
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: close",
        f"Content-Length: {len(body) if declared is None else declared}",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        return _response(sock)


def _response(sock: socket.socket) -> tuple[int, bytes]:
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    head, _, rest = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), rest


def signed(body: bytes, content_type: str, *, ts: int | None = None, secret: str | None = None) -> dict[str, str]:
    ts = int(time.time()) if ts is None else ts
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(body, ts) if secret is None else sign(body, ts, secret),
    }


def log_mark(bot: RunningBot) -> int:
    return bot.log.stat().st_size


def log_since(bot: RunningBot, mark: int, settle: float = 0.2) -> list[str]:
    time.sleep(settle)
    return [
        line for line in bot.log.read_bytes()[mark:].decode(errors="replace").splitlines() if "apscheduler" not in line
    ]


def assert_clean(lines: list[str], *secrets: str) -> None:
    """No traceback, nothing forged: every line starts a record or is an indented continuation."""
    text = "\n".join(lines)
    assert "Traceback" not in text
    for secret in (VERIFY_TOKEN, MARKER, BOT_TOKEN, *secrets):
        assert secret not in text
    for line in lines:
        assert LINE_START.match(line) or line.startswith("    "), line


def guard_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if "bot.slack.guard" in line]


def hostile_form(response_url: str) -> bytes:
    """A slash-command-like body carrying what must never reach a log: the token, a response_url, a marker."""
    return urllib.parse.urlencode(
        {
            "token": VERIFY_TOKEN,
            "command": "/alibaba",
            "text": MARKER + "\n2026 INFO x",
            "response_url": response_url,
            "user_id": MEMBER,
            "trigger_id": "1.2",
        }
    ).encode()


# -- size ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sign_it", [False, True], ids=["unsigned", "signed"])
def test_a_declared_huge_body_is_refused_before_it_is_sent(bot: RunningBot, sign_it: bool) -> None:
    headers = signed(b"", FORM) if sign_it else {"Content-Type": FORM}
    start = time.perf_counter()
    status, _ = http(bot.port, b"", headers, declared=200_000_000)
    assert status == 413 and time.perf_counter() - start < 2.0


@pytest.mark.parametrize(("size", "status"), [(LIMIT, 401), (LIMIT + 1, 413)])
def test_the_limit_is_the_largest_body_accepted(bot: RunningBot, size: int, status: int) -> None:
    assert http(bot.port, b"a" * size, {"Content-Type": FORM})[0] == status


def test_a_chunked_body_is_refused_while_it_streams(bot: RunningBot) -> None:
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", bot.port), timeout=10) as sock:
        sock.sendall(head)
        while sent < 50 * LIMIT and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 0x10000
        status, _ = _response(sock)
    assert status == 413
    assert sent < 8 * LIMIT  # the server answered while the body was still coming (socket buffers hold some)


# -- unsigned and malformed, before any parsing --------------------------------------------------------
FORM_BODY = hostile_form("http://127.0.0.1:9/response/unsigned")
JUNK_SIGNATURE = {"X-Slack-Signature": "v0=" + "0" * 64}
# Headers are built when the test runs, so the timestamps are relative to then.
UNSIGNED: list[tuple[str, bytes, Callable[[int], dict[str, str]]]] = [
    ("no signature", FORM_BODY, lambda now: {"Content-Type": FORM}),
    ("invalid utf-8 form", b"\xff\xfe" + FORM_BODY, lambda now: {"Content-Type": FORM}),
    ("bad json", b'{"token": "' + VERIFY_TOKEN.encode() + b'", ' + MARKER.encode(), lambda now: {"Content-Type": JSON}),
    ("json array", json.dumps([VERIFY_TOKEN, MARKER]).encode(), lambda now: {"Content-Type": JSON}),
    (
        "timestamp abc",
        FORM_BODY,
        lambda now: {"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc", **JUNK_SIGNATURE},
    ),
    (
        "timestamp empty",
        FORM_BODY,
        lambda now: {"Content-Type": FORM, "X-Slack-Request-Timestamp": "", **JUNK_SIGNATURE},
    ),
    (
        "timestamp decimal",
        FORM_BODY,
        lambda now: {"Content-Type": FORM, "X-Slack-Request-Timestamp": f"{now}.5", **JUNK_SIGNATURE},
    ),
    ("stale", FORM_BODY, lambda now: signed(FORM_BODY, FORM, ts=now - 302)),
    ("from the future", FORM_BODY, lambda now: signed(FORM_BODY, FORM, ts=now + 302)),
    ("other secret", FORM_BODY, lambda now: signed(FORM_BODY, FORM, secret="not-the-signing-secret")),
    (
        "signature not hex",
        FORM_BODY,
        lambda now: {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": "v0=" + MARKER},
    ),
    ("signature of another body", FORM_BODY, lambda now: signed(b"something else", FORM)),
]


@pytest.mark.parametrize(("body", "headers"), [c[1:] for c in UNSIGNED], ids=[c[0] for c in UNSIGNED])
def test_unsigned_requests_get_401_and_one_short_log_line(
    bot: RunningBot, standin: SlackStandIn, body: bytes, headers: Callable[[int], dict[str, str]]
) -> None:
    mark = log_mark(bot)
    status, reply = http(bot.port, body, headers(int(time.time())))
    assert status == 401 and MARKER.encode() not in reply
    lines = log_since(bot, mark)
    assert_clean(lines, "/response/unsigned")
    [line] = guard_lines(lines)
    assert "refused POST /slack/events" in line and f"({len(body):,} bytes)" in line and len(line) < 200
    assert not [r for r in standin.responses if "unsigned" in r[0]]


def test_nothing_from_a_request_can_start_a_log_line(bot: RunningBot) -> None:
    mark = log_mark(bot)
    forged = "2026-01-01 00:00:00,000 INFO bot.slack.listeners: forged"
    status, _ = http(bot.port, b"x", {"Content-Type": FORM}, path="/slack/events%0A" + urllib.parse.quote(forged))
    assert status == 404
    status, _ = http(bot.port, b"x", {"Content-Type": FORM}, path="/a%E2%80%A8b%0D" + urllib.parse.quote(forged))
    assert status == 404
    lines = log_since(bot, mark)
    assert_clean(lines)
    refusals = guard_lines(lines)
    assert len(refusals) == 2 and all("forged" in line and ("\\n" in line or "\\r" in line) for line in refusals)
    assert not any(line.startswith(forged[:23]) for line in lines)


# -- signed but malformed ----------------------------------------------------------------------------------
def _share(url: str, **changes: Any) -> dict[str, Any]:
    payload = {
        "type": "block_actions",
        "user": {"id": MEMBER},
        "team": {"id": "T0001"},
        "api_app_id": "A1",
        "token": VERIFY_TOKEN,
        "response_url": url,
        "trigger_id": "1.2.3",
        "container": {"type": "message"},
        "channel": {"id": "C0CHANNEL1"},
        "actions": [
            {
                "action_id": "share_answer",
                "block_id": "b",
                "type": "button",
                "value": json.dumps({"q": "capex"}),
                "action_ts": "1",
            }
        ],
    }
    payload.update(changes)
    return payload


def _view(values: Any) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "user": {"id": ADMIN},
        "team": {"id": "T0001"},
        "api_app_id": "A1",
        "token": VERIFY_TOKEN,
        "trigger_id": "1.2.3",
        "view": {"id": "V1", "type": "modal", "callback_id": "add_article", "state": values},
    }


def _interaction(payload: Any) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def _event(event: Any) -> bytes:
    wrapper = event_wrapper({}, f"EvBad{time.time_ns()}")
    wrapper.update(event=event, token=VERIFY_TOKEN)
    return json.dumps(wrapper).encode()


MENTION = {
    "type": "app_mention",
    "user": MEMBER,
    "text": "<@U0BOT> capex",
    "ts": "1700000100.000001",
    "channel": "C0BADSHAPE",
    "event_ts": "1700000100.000001",
}
MALFORMED: list[tuple[str, bytes, str]] = [
    ("invalid utf-8", b"\xff\xfe" + hostile_form("http://127.0.0.1:9/response/x"), FORM),
    ("form body with a json content type", hostile_form("http://127.0.0.1:9/response/x"), JSON),
    ("json array", json.dumps([{"type": "event_callback"}]).encode(), JSON),
    ("json string", json.dumps(MARKER).encode(), JSON),
    ("empty body", b"", JSON),
    ("no payload type", json.dumps({"token": VERIFY_TOKEN, "hello": MARKER}).encode(), JSON),
    ("type not a string", json.dumps({"type": ["event_callback"]}).encode(), JSON),
    ("event as a string", _event("app_mention"), JSON),
    ("event without a type", _event({"text": MARKER}), JSON),
    ("mention without a channel", _event({k: v for k, v in MENTION.items() if k != "channel"}), JSON),
    ("mention text not a string", _event({**MENTION, "text": {"x": MARKER}}), JSON),
    ("mention files not a list", _event({**MENTION, "files": "F0001"}), JSON),
    (
        "share without user",
        _interaction({k: v for k, v in _share("http://127.0.0.1:9/response/x").items() if k != "user"}),
        FORM,
    ),
    ("share user not an object", _interaction(_share("http://127.0.0.1:9/response/x", user=MARKER)), FORM),
    ("share without response_url", _interaction({k: v for k, v in _share("x").items() if k != "response_url"}), FORM),
    ("actions empty", _interaction(_share("http://127.0.0.1:9/response/x", actions=[])), FORM),
    ("actions not a list", _interaction(_share("http://127.0.0.1:9/response/x", actions={"0": 1})), FORM),
    ("payload not json", urllib.parse.urlencode({"payload": "{" + MARKER}).encode(), FORM),
    ("payload a list", urllib.parse.urlencode({"payload": "[1]"}).encode(), FORM),
    ("form state not an object", _interaction(_view(MARKER)), FORM),
    ("form values not objects", _interaction(_view({"values": {"text": MARKER}})), FORM),
    ("form text not a string", _interaction(_view({"values": {"text": {"text": {"value": 5}}}})), FORM),
    ("form files not a list", _interaction(_view({"values": {"file": {"file": {"files": "F1"}}}})), FORM),
    ("view without callback_id", _interaction({**_view({}), "view": {"type": "modal", "state": {"values": {}}}}), FORM),
    ("view without a type", _interaction({**_view({}), "view": {"callback_id": "add_article"}}), FORM),
    ("message event with a string message", _event({**MENTION, "type": "message", "message": MARKER}), JSON),
    (
        "command without trigger_id",
        urllib.parse.urlencode({"command": "/alibaba", "text": "add", "user_id": ADMIN, "response_url": "x"}).encode(),
        FORM,
    ),
]


@pytest.mark.parametrize(("body", "content_type"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_signed_malformed_payloads_get_400_and_one_log_line(bot: RunningBot, body: bytes, content_type: str) -> None:
    mark = log_mark(bot)
    status, reply = http(bot.port, body, signed(body, content_type))
    assert status == 400, reply
    lines = log_since(bot, mark, settle=0.3)
    assert_clean(lines)
    [line] = guard_lines(lines)
    assert "signed but malformed" in line and len(line) < 250


@pytest.mark.parametrize(
    "value",
    [
        json.dumps({"q": 5}),
        json.dumps({"q": ["capex"]}),
        json.dumps(["q"]),
        json.dumps("q"),
        "{not json",
        json.dumps({"x": "capex"}),
    ],
)
def test_a_share_button_with_a_bad_value_gets_a_polite_refusal(
    bot: RunningBot, standin: SlackStandIn, value: str
) -> None:
    mark = log_mark(bot)
    url = standin.response_url()
    payload = _share(url)
    payload["actions"][0]["value"] = value
    body = _interaction(payload)
    assert http(bot.port, body, signed(body, FORM))[0] == 200
    reply = standin.wait_response(url)
    assert reply["text"] == "That answer can no longer be shared." and reply["response_type"] == "ephemeral"
    assert_clean(log_since(bot, mark, settle=0.5), url)


# -- replay ---------------------------------------------------------------------------------------------
def test_a_replayed_request_is_refused_here_and_on_another_replica(
    bot: RunningBot, standin: SlackStandIn, tmp_path: Path
) -> None:
    url = standin.response_url()
    body = slash_body("help", url)
    headers = signed(body, FORM)
    assert http(bot.port, body, headers)[0] == 200
    standin.wait_response(url)
    mark = log_mark(bot)
    for _ in range(2):
        status, reply = http(bot.port, body, headers)
        assert status == 401 and b"replay" in reply
    lines = guard_lines(log_since(bot, mark))
    assert len(lines) == 2 and all("signature already used (replay)" in line for line in lines)

    replica = start_bot(standin, bot.db, tmp_path)  # a second process on the same database
    try:
        assert http(replica.port, body, headers)[0] == 401
        fresh = slash_body("help", standin.response_url())
        assert http(replica.port, fresh, signed(fresh, FORM))[0] == 200  # a new request is answered there
    finally:
        replica.stop()
    time.sleep(0.5)
    assert len([r for r in standin.responses if r[0].endswith(url.split("/", 3)[-1])]) == 1


# -- unhandled -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("event", "status"),
    [
        ({"type": "channel_rename", "channel": {"id": "C0001", "name": "renamed"}}, 200),
        ({"type": "member_joined_channel", "user": MEMBER, "channel": "C0001"}, 200),
        ({"type": "user_change", "user": {"id": MEMBER, "name": "someone"}}, 200),
    ],
)
def test_events_without_a_listener_are_acknowledged(bot: RunningBot, event: dict[str, Any], status: int) -> None:
    mark = log_mark(bot)
    body = _event(event)
    assert http(bot.port, body, signed(body, JSON))[0] == status
    lines = log_since(bot, mark)
    assert_clean(lines)
    assert [line for line in lines if "no listener for event " + event["type"] in line]


def test_an_action_without_a_listener_gets_one_line_and_no_body_in_the_log(bot: RunningBot) -> None:
    mark = log_mark(bot)
    payload = _share("http://127.0.0.1:9/response/unknown-action")
    payload["actions"][0].update(action_id="no_such_action", value=MARKER)
    body = _interaction(payload)
    assert http(bot.port, body, signed(body, FORM))[0] == 404
    lines = log_since(bot, mark)
    assert_clean(lines, "/response/unknown-action")
    assert [line for line in lines if "no listener for block_actions no_such_action" in line]


# -- slow clients ------------------------------------------------------------------------------------------
def test_300_slow_clients_do_not_delay_health_or_a_command(bot: RunningBot, standin: SlackStandIn) -> None:
    partial = [
        b"POST /slack/ev",  # stops inside the request line
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: applic",  # inside the headers
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\ntoken=abc",
    ]  # inside the body
    slow = []
    try:
        for i in range(300):
            sock = socket.create_connection(("127.0.0.1", bot.port), timeout=5)
            sock.sendall(partial[i % 3])
            slow.append(sock)
        opened = time.monotonic()
        start = time.perf_counter()
        status, body = http(bot.port, method="GET", path="/healthz")
        assert status == 200 and body.startswith(b"ok") and time.perf_counter() - start < 1.0
        url = standin.response_url()
        command = slash_body("help", url)
        start = time.perf_counter()
        assert http(bot.port, command, signed(command, FORM))[0] == 200
        assert time.perf_counter() - start < 1.5
        standin.wait_response(url, timeout=5)

        for sock in slow:  # the server drops each one once it has been idle IDLE seconds
            sock.settimeout(max(0.1, opened + IDLE + 4 - time.monotonic()))
            with contextlib.suppress(ConnectionResetError):
                assert sock.recv(1024) == b""
        assert time.monotonic() - opened < IDLE + 4
    finally:
        for sock in slow:
            sock.close()
