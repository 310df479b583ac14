"""The HTTP guard in front of Bolt: size first, then the signature on the raw bytes, then replays, then the
payload's shape. Whatever fails gets a 4xx and one short log line; only what passes reaches Bolt."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.slack.payloads import BadPayload, parse
from bot.slack.replay import WINDOW_SECONDS, ReplayGuard

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READ_CHUNK = 64 * 1024
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    413: "413 Content Too Large",
}


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class HttpGuard:
    """WSGI middleware around Bolt's WSGI handler (`inner`); `GET /healthz` is answered here."""

    def __init__(
        self,
        inner: WSGIApp,
        signing_secret: str,
        max_body_bytes: int,
        replays: ReplayGuard | None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.inner = inner
        self.secret = signing_secret.encode()
        self.max_body_bytes = max_body_bytes
        self.replays = replays
        self.clock = clock

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", ""))
        path = str(environ.get("PATH_INFO", ""))
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _reply(start_response, 200, "ok")
        size = -1
        try:
            if path != EVENTS_PATH:
                raise Refused(404, "no such path")
            if method != "POST":
                raise Refused(405, "not a POST")
            size = self._declared_size(environ)
            body = self._read(environ, size)
            timestamp, signature = self._verify(environ, body)
            if self.replays is not None and not self.replays.claim(signature, timestamp, self.clock()):
                raise Refused(401, "signature already used (replay)")
            parse(body, str(environ.get("CONTENT_TYPE") or ""))
        except Refused as refusal:
            log.info(
                "refused %.10s %.100s: %s (%s bytes)",
                method,
                path,
                refusal.reason,
                "unknown" if size < 0 else f"{size:,}",
            )
            return _reply(start_response, refusal.status, refusal.reason)
        except BadPayload as bad:
            log.info("refused %s %s: signed but malformed, %s (%s bytes)", method, path, bad, f"{size:,}")
            return _reply(start_response, 400, "malformed payload")
        inner_environ = dict(environ)
        inner_environ["wsgi.input"] = io.BytesIO(body)
        inner_environ["CONTENT_LENGTH"] = str(len(body))
        return self.inner(inner_environ, start_response)

    def _declared_size(self, environ: dict[str, Any]) -> int:
        raw = str(environ.get("CONTENT_LENGTH") or "0").strip()
        if not raw.isdigit() or len(raw) > 15:
            raise Refused(400, "bad Content-Length")
        size = int(raw)
        if size > self.max_body_bytes:
            raise Refused(413, f"body over {self.max_body_bytes:,} bytes")
        return size

    def _read(self, environ: dict[str, Any], size: int) -> bytes:
        """Exactly `size` bytes, read in chunks so a server that streams the body never holds more."""
        stream = environ.get("wsgi.input")
        if stream is None or size == 0:
            return b""
        parts: list[bytes] = []
        left = size
        while left > 0:
            chunk = stream.read(min(left, READ_CHUNK))
            if not chunk:
                raise Refused(400, "body shorter than Content-Length")
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def _verify(self, environ: dict[str, Any], body: bytes) -> tuple[int, str]:
        """Slack's v0 signature over the raw bytes; returns the timestamp and the signature."""
        raw_ts = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not raw_ts and not signature:
            raise Refused(401, "unsigned")
        if not _TIMESTAMP.fullmatch(raw_ts):
            raise Refused(401, "bad timestamp header")
        timestamp = int(raw_ts)
        if abs(self.clock() - timestamp) > WINDOW_SECONDS:
            raise Refused(401, "stale timestamp")
        if not _SIGNATURE.fullmatch(signature):
            raise Refused(401, "bad signature header")
        expected = "v0=" + hmac.new(self.secret, b"v0:" + raw_ts.encode() + b":" + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise Refused(401, "bad signature")
        return timestamp, signature


def _reply(start_response: Callable[..., Any], status: int, text: str) -> list[bytes]:
    data = (text + "\n").encode()
    start_response(_STATUS[status], [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]
