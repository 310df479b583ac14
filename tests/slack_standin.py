"""A local stand-in for Slack on 127.0.0.1: Web API methods, file downloads, file uploads (the upload URL flow), a
response_url receiver and a Socket Mode websocket. It records what the bot sent and can be told to fail (429 +
Retry-After, 500, HTML)."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from websockets.sync.server import ServerConnection, serve

BOT_TOKEN = "xoxb-standin-bot-token-0000"
APP_TOKEN = "xapp-standin-app-token-0000"
LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Slack</title></head><body><form>Sign in</form></body></html>"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    auth: str
    at: float
    status: int = 0
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredFile:
    id: str
    name: str
    data: bytes
    mimetype: str = "text/plain"
    size: int | None = None  # what files.info reports, when it should differ from the data
    serve_html: bool = False
    url: str | None = None  # the download link files.info reports, when it should not be the stand-in's
    redirect: str | None = None  # the download answers 302 to this address


@dataclass
class Upload:
    """A file the bot uploaded through files.getUploadURLExternal, the upload URL and files.completeUploadExternal."""

    id: str
    filename: str
    length: int
    alt_txt: str | None
    data: bytes | None = None  # what was POSTed to the upload URL
    completed: bool = False
    title: str | None = None
    channel: str | None = None  # None: a private file (shown through blocks)
    thread_ts: str | None = None
    initial_comment: str | None = None


@dataclass
class SlackStandIn:
    calls: list[Call] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any], float]] = field(default_factory=list)
    downloads: list[tuple[str, str]] = field(default_factory=list)  # (file id, authorization header)
    files: dict[str, StoredFile] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, list[tuple[int, dict[str, str], bytes]]] = field(default_factory=dict)
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    failing_uploads: int = 0  # the next N POSTs to an upload URL answer 500

    def __post_init__(self) -> None:
        self.lock = threading.Condition()
        self._ts = itertools.count(1)
        self._response_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.http.daemon_threads = True
        self.port = self.http.server_address[1]
        self.sockets: list[ServerConnection] = []
        self.ws = serve(self._socket_mode, "127.0.0.1", 0)
        self.ws_port = self.ws.socket.getsockname()[1]
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        threading.Thread(target=self.ws.serve_forever, daemon=True).start()

    # -- what tests use ------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/response/{next(self._response_ids)}"

    def add_file(self, file: StoredFile) -> None:
        self.files[file.id] = file

    def fail_next(
        self, method: str, status: int, headers: dict[str, str] | None = None, body: bytes = b"", times: int = 1
    ) -> None:
        with self.lock:
            self.failures.setdefault(method, []).extend([(status, headers or {}, body)] * times)

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Any, timeout: float = 20.0) -> Any:
        deadline = time.time() + timeout
        with self.lock:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise AssertionError("timed out waiting for the bot")
                self.lock.wait(remaining)

    def wait_calls(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        return self.wait_for(lambda: len(self.calls_to(method)) >= count and self.calls_to(method), timeout)  # type: ignore[no-any-return]

    def wait_response(self, url: str, timeout: float = 20.0) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            return next((body for u, body, _ in self.responses if u.endswith(url.split("/", 3)[-1])), None)

        return self.wait_for(found, timeout)  # type: ignore[no-any-return]

    def send_envelope(self, envelope: dict[str, Any], timeout: float = 20.0) -> dict[str, Any]:
        """Deliver a Socket Mode envelope to the connected bot and return its ack."""
        self.wait_for(lambda: self.sockets, timeout)
        self.sockets[-1].send(json.dumps(envelope))
        return self.wait_for(lambda: self.acks.get(envelope["envelope_id"]), timeout)  # type: ignore[no-any-return]

    def completed_uploads(self) -> list[Upload]:
        with self.lock:
            return [u for u in self.uploads.values() if u.completed]

    def wait_uploads(self, count: int = 1, timeout: float = 20.0) -> list[Upload]:
        return self.wait_for(lambda: len(self.completed_uploads()) >= count and self.completed_uploads(), timeout)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.http.shutdown()
        self.ws.shutdown()

    # -- Web API -------------------------------------------------------------------------------
    def api(self, method: str, params: dict[str, Any], auth: str) -> tuple[int, dict[str, str], bytes]:
        call = Call(method, params, auth, time.time())
        with self.lock:
            queued = self.failures.get(method)
            reply = queued.pop(0) if queued else self._answer(method, params, auth)
            call.status = reply[0]
            call.result = json.loads(reply[2]) if reply[2].startswith(b"{") else {}
            self.calls.append(call)
            self.lock.notify_all()
        return reply

    def _answer(self, method: str, params: dict[str, Any], auth: str) -> tuple[int, dict[str, str], bytes]:
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if auth != f"Bearer {expected}":
            return _json({"ok": False, "error": "invalid_auth"})
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        if method == "auth.test":
            return _json(
                {
                    "ok": True,
                    "url": "https://standin.slack.test/",
                    "team": "Stand-in",
                    "user": "bot",
                    "team_id": "T0STANDIN",
                    "user_id": "U0BOT",
                    "bot_id": "B0BOT",
                }
            )
        if method in ("chat.postMessage", "chat.update"):
            return _json(
                {
                    "ok": True,
                    "channel": params.get("channel"),
                    "ts": params.get("ts") or ts,
                    "message": {"text": params.get("text"), "ts": ts},
                }
            )
        if method == "chat.postEphemeral":
            return _json({"ok": True, "message_ts": ts})
        if method == "files.info":
            stored = self.files.get(str(params.get("file")))
            if stored is None:
                return _json({"ok": False, "error": "file_not_found"})
            url = f"http://127.0.0.1:{self.port}/files/{stored.id}/{urllib.parse.quote(stored.name)}"
            download = stored.url or url + "?download=1"
            return _json(
                {
                    "ok": True,
                    "file": {
                        "id": stored.id,
                        "name": stored.name,
                        "title": stored.name,
                        "mimetype": stored.mimetype,
                        "size": len(stored.data) if stored.size is None else stored.size,
                        "url_private": stored.url or url,
                        "url_private_download": download,
                    },
                }
            )
        if method == "files.getUploadURLExternal":
            if not params.get("filename") or not str(params.get("length") or "").isdigit():
                return _json({"ok": False, "error": "invalid_arguments"})
            file_id = f"F0UP{next(self._file_ids):05d}"
            self.uploads[file_id] = Upload(
                file_id, str(params["filename"]), int(params["length"]), params.get("alt_txt") or None
            )
            return _json(
                {"ok": True, "file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}
            )
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        if method == "users.info":
            user = self.users.get(str(params.get("user")), {"id": params.get("user"), "is_admin": False})
            return _json({"ok": True, "user": user})
        if method == "views.open":
            return _json({"ok": True, "view": {"id": "V0VIEW", **(params.get("view") or {})}})
        if method == "apps.connections.open":
            return _json({"ok": True, "url": f"ws://127.0.0.1:{self.ws_port}/link/?ticket=standin"})
        return _json({"ok": True})

    def _complete_upload(self, params: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        listed = json.loads(params.get("files") or "[]")
        done = []
        for f in listed:
            upload = self.uploads.get(str(f.get("id")))
            if upload is None or upload.data is None:
                return _json({"ok": False, "error": "file_not_found" if upload is None else "file_upload_incomplete"})
            if len(upload.data) != upload.length:
                return _json({"ok": False, "error": "file_size_mismatch"})
            upload.completed, upload.title = True, f.get("title") or upload.filename
            upload.channel = params.get("channel_id") or params.get("channels") or None
            upload.thread_ts = params.get("thread_ts") or None
            upload.initial_comment = params.get("initial_comment") or None
            done.append({"id": upload.id, "name": upload.filename, "title": upload.title, "mimetype": "image/png"})
        return _json({"ok": bool(done), "files": done} if done else {"ok": False, "error": "no_files"})

    def receive_upload(self, file_id: str, data: bytes) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            upload = self.uploads.get(file_id)
            if self.failing_uploads:
                self.failing_uploads -= 1
                return 500, {"Content-Type": "text/plain"}, b"upload failed"
            if upload is None:
                return 404, {"Content-Type": "text/plain"}, b"not found"
            upload.data = data
            self.lock.notify_all()
        return 200, {"Content-Type": "text/plain"}, f"OK - {len(data)}".encode()

    def download(self, file_id: str, auth: str) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.downloads.append((file_id, auth))
            self.lock.notify_all()
        stored = self.files.get(file_id)
        if stored is not None and stored.redirect:
            return 302, {"Location": stored.redirect}, b""
        if stored is None or auth != f"Bearer {BOT_TOKEN}" or stored.serve_html:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, LOGIN_PAGE
        return 200, {"Content-Type": stored.mimetype}, stored.data

    def receive_response(self, path: str, body: dict[str, Any]) -> None:
        with self.lock:
            self.responses.append((path, body, time.time()))
            self.lock.notify_all()

    # -- Socket Mode ---------------------------------------------------------------------------
    def _socket_mode(self, connection: ServerConnection) -> None:
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "standin"},
                    "connection_info": {"app_id": "A0APP"},
                }
            )
        )
        with self.lock:
            self.sockets.append(connection)
            self.lock.notify_all()
        try:
            for raw in connection:
                message = json.loads(raw)
                if "envelope_id" in message:
                    with self.lock:
                        self.acks[message["envelope_id"]] = message
                        self.lock.notify_all()
        except Exception:
            pass


def _json(body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _handler(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _params(self) -> dict[str, Any]:
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if "json" in (self.headers.get("Content-Type") or ""):
                return {**query, **(json.loads(raw) if raw else {})}
            form = dict(urllib.parse.parse_qsl(raw.decode())) if raw else {}
            for key in ("blocks", "view", "attachments"):
                if isinstance(form.get(key), str):
                    form[key] = json.loads(form[key])
            return {**query, **form}

        def _route(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            auth = self.headers.get("Authorization", "")
            if path.startswith("/api/"):
                self._send(*standin.api(path.removeprefix("/api/"), self._params(), auth))
            elif path.startswith("/upload/"):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._send(*standin.receive_upload(path.split("/")[2], body))
            elif path.startswith("/files/"):
                self._send(*standin.download(path.split("/")[2], auth))
            elif path.startswith("/response/"):
                standin.receive_response(path, self._params())
                self._send(200, {"Content-Type": "text/plain"}, b"ok")
            else:
                self._send(404, {"Content-Type": "text/plain"}, b"not found")

        do_GET = _route
        do_POST = _route

    return Handler
