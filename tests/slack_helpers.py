"""Driving the real bot as Slack would: start `python -m bot serve`, send signed requests to it."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT
from tests.slack_standin import APP_TOKEN, BOT_TOKEN, SlackStandIn

SIGNING_SECRET = "standin-signing-secret-0000"
ADMIN = "UADMIN0001"
MEMBER = "UMEMBER001"
SHARED_SLACK = PROJECT_ROOT / "tests" / "fixtures" / "slack"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float


@dataclass
class RunningBot:
    proc: subprocess.Popen[bytes]
    port: int
    db: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> Reply:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            all_headers["X-Slack-Request-Timestamp"] = str(ts)
            all_headers["X-Slack-Signature"] = signature or sign(body, ts)
        request = urllib.request.Request(self.url, data=body, headers=all_headers, method="POST")
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read(), time.perf_counter() - start)
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, exc.read(), time.perf_counter() - start)

    def command(self, text: str, response_url: str, user: str = MEMBER, **kwargs: Any) -> Reply:
        return self.post(slash_body(text, response_url, user), "application/x-www-form-urlencoded", **kwargs)

    def event(self, event: dict[str, Any], event_id: str, headers: dict[str, str] | None = None) -> Reply:
        return self.post(json.dumps(event_wrapper(event, event_id)).encode(), "application/json", headers=headers)

    def interaction(self, payload: dict[str, Any]) -> Reply:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def slash_body(text: str, response_url: str, user: str = MEMBER, command: str = "/alibaba") -> bytes:
    """The documented slash command payload (shared/slack/slash_command_body.txt) with our values."""
    fields = {}
    for line in (SHARED_SLACK / "slash_command_body.txt").read_text().splitlines():
        key, _, value = line.lstrip("&").partition("=")
        fields[key] = urllib.parse.unquote(value)
    fields.update(
        command=command,
        text=text,
        response_url=response_url,
        user_id=user,
        channel_id="C0CHANNEL1",
        trigger_id=f"trigger-{time.time_ns()}",
    )
    return urllib.parse.urlencode(fields).encode()


def event_wrapper(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    wrapper = json.loads((SHARED_SLACK / "app_mention_event.json").read_text())
    wrapper.update(event=event, event_id=event_id, event_time=int(time.time()))
    return wrapper


def start_bot(
    standin: SlackStandIn, db: Path, tmp: Path, *, socket_mode: bool = False, extra_env: dict[str, str] | None = None
) -> RunningBot:
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        PORT=str(port),
        HOST="127.0.0.1",
        ADMIN_USER_IDS=ADMIN,
        LOG_LEVEL="DEBUG",
        DIGEST_CHANNEL="",
        SLACK_APP_TOKEN=APP_TOKEN if socket_mode else "",
    )
    env.update(extra_env or {})
    log = tmp / f"bot-{port}.log"
    handle = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"], env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT
    )
    bot = RunningBot(proc, port, db, log)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"bot exited early:\n{bot.logs()}")
        if socket_mode:
            if standin.sockets:
                return bot
        else:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return bot
            except OSError:
                pass
        time.sleep(0.1)
    bot.stop()
    raise AssertionError(f"bot did not start:\n{bot.logs()}")
