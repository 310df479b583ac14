"""Running the app: Socket Mode when an app token is set, else HTTP at /slack/events behind waitress, with the
HTTP guard in front of Bolt and the server's limits set for the open internet."""

from __future__ import annotations

import logging
import signal
import sys
import time
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.answering.answers import Answerer
from bot.answering.facing import facing_of
from bot.answering.views.wording import Facing
from bot.rules import Rules
from bot.settings import Settings
from bot.slack import logsafe
from bot.slack.app import build_app
from bot.slack.guard import EVENTS_PATH, HttpGuard, WSGIApp
from bot.slack.replay import ReplayGuard

log = logging.getLogger(__name__)

THREADS = 64  # requests being handled at once; idle and half-sent connections take no thread
MAX_HEADER_BYTES = 64 * 1024  # Slack's headers are well under 2 KB


def wsgi_app(app: App, settings: Settings) -> WSGIApp:
    return HttpGuard(
        SlackRequestHandler(app, path=EVENTS_PATH),
        settings.slack_signing_secret,
        settings.http_max_body_bytes,
        ReplayGuard(settings.database_url),
    )


DRAIN_SECONDS = 3.5  # within Docker's 10 s and the 5 s a clean stop is given


def server_options(settings: Settings, facing: Facing) -> dict[str, Any]:
    """waitress's settings: half-sent and idle connections dropped after the idle timeout, checked every second;
    a body over the limit refused with 413 as soon as it is declared or streamed in; poll(), not select(),
    so more than 1,024 sockets work; the server named for the pack's command ("acme-bot")."""
    return {
        "threads": THREADS,
        "connection_limit": settings.http_connection_limit,
        "channel_timeout": settings.http_idle_timeout_seconds,
        "cleanup_interval": 1,
        # waitress refuses a body of exactly max_request_body_size; the setting is the largest one accepted.
        "max_request_body_size": settings.http_max_body_bytes + 1,
        "max_request_header_size": MAX_HEADER_BYTES,
        "asyncore_use_poll": True,
        "backlog": 2048,
        "ident": f"{facing.handle}-bot",
        "expose_tracebacks": False,
    }


class _Stop(Exception):
    """SIGTERM arrived: stop taking requests, finish the ones in flight, exit 0."""


def _raise_stop(signum: int, frame: Any) -> None:
    raise _Stop


def drain(server: Any, seconds: float = DRAIN_SECONDS) -> None:
    """After SIGTERM (`docker stop`): close the listening socket, let the requests in flight finish and their
    answers go out, then stop the worker threads; all within `seconds`."""
    log.info("stopping: finishing the requests in flight")
    server.close()  # no new connections
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = [
            ch
            for ch in list(server._map.values())
            if ch is not server and (getattr(ch, "requests", None) or getattr(ch, "total_outbufs_len", 0))
        ]
        if not busy and not server.task_dispatcher.queue and not server.task_dispatcher.active_count:
            break
        server.asyncore.loop(timeout=0.1, map=server._map, use_poll=True, count=1)
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
    log.info("stopped")


def serve(settings: Settings, rules: Rules) -> int:
    from bot.digest.scheduler import start_scheduler, stop_feeds

    if not settings.slack_app_token and not settings.slack_signing_secret:
        print("error: HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)", file=sys.stderr)
        return 2
    logsafe.install()
    app = build_app(settings, Answerer(settings, rules))
    facing = facing_of(settings, rules.company)
    scheduler = start_scheduler(settings, app.client, facing, rules)
    try:
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("%s for %s: connecting to Slack over Socket Mode", facing.command, facing.company)
            handler = SocketModeHandler(app, settings.slack_app_token)
            signal.signal(signal.SIGTERM, lambda *_: handler.close())
            handler.start()
        else:
            from waitress.server import create_server

            log.info(
                "%s for %s: serving Slack events on port %s at %s",
                facing.command,
                facing.company,
                settings.port,
                EVENTS_PATH,
            )
            server = create_server(
                wsgi_app(app, settings), host=settings.host, port=settings.port, **server_options(settings, facing)
            )
            signal.signal(signal.SIGTERM, _raise_stop)
            try:
                server.run()
            except _Stop:
                drain(server)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
            stop_feeds()
    return 0
