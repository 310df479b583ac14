"""Running the app: Socket Mode when an app token is set, else HTTP at /slack/events behind waitress."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.settings import Settings
from bot.slack.app import build_app

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def wsgi_app(app: App) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    handler = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return handler(environ, start_response)

    return application


def serve(settings: Settings) -> int:
    from bot.digest.scheduler import start_scheduler

    if not settings.slack_app_token and not settings.slack_signing_secret:
        print("error: HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)",
              file=sys.stderr)
        return 2
    app = build_app(settings)
    scheduler = start_scheduler(settings, app.client)
    try:
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("connecting to Slack over Socket Mode")
            handler = SocketModeHandler(app, settings.slack_app_token)
            signal.signal(signal.SIGTERM, lambda *_: handler.close())
            handler.start()
        else:
            import waitress

            log.info("serving Slack events on port %s at %s", settings.port, EVENTS_PATH)
            waitress.serve(wsgi_app(app), host=settings.host, port=settings.port, threads=64,
                           ident="alibaba-bot", _quiet=True)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    return 0
