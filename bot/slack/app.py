"""Builds the Bolt app and registers each handler module on it (`register(app, deps)`); no logic lives here."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.answering.answers import Answerer
from bot.settings import Settings
from bot.slack.deps import Deps
from bot.slack.handlers import answer_buttons, events, forms, home_tab, review, slash_command, upload_review
from bot.slack.payloads import on_error

LISTENER_THREADS = 64


def web_client(settings: Settings) -> WebClient:
    """The Web API client: Slack's (or the stand-in's) URL, rate limits waited out and retried."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=30,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(settings: Settings, answerer: Answerer) -> App:
    # slack_sdk's debug logs print request headers; keep them quiet so tokens never reach a log.
    for name in ("slack_sdk", "slack_bolt"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))
    app = App(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret or "socket-mode-needs-no-secret",
        # In HTTP mode the guard in front of Bolt (bot.slack.guard) verifies every request on its raw bytes
        # before anything parses it; Bolt's own check would log the body of a request it refuses.
        request_verification_enabled=False,
        token_verification_enabled=True,
        process_before_response=False,
        # A payload no listener wants goes to `on_error`: one log line, events acknowledged with 200.
        raise_error_for_unhandled_request=True,
        # Listeners ack first, so a burst of commands must each get a thread at once to ack inside 3 seconds;
        # the lookups after the ack then share the CPU.
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
    )
    app.error(on_error)
    deps = Deps(settings, answerer)
    for handlers in (events, slash_command, answer_buttons, forms, review, upload_review, home_tab):
        handlers.register(app, deps)
    return app
