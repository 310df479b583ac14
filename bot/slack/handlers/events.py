"""Events: re-delivered events dropped, mentions and direct messages run as commands (or files added), and
follow-ups in a channel thread the bot answered in, with no mention needed. 👀 shows while the bot works."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands.parse import parse
from bot.slack.deps import Deps
from bot.slack.dispatch import Reply, run_command
from bot.slack.links import read_posted_links
from bot.slack.uploads import add_shared_files
from bot.store.db import session_scope
from bot.store.feedback import answered_thread
from bot.store.seen import claim_event

log = logging.getLogger(__name__)
WORKING = "eyes"  # the reaction shown on a message while the bot works on it
IGNORED = r"^(file_shared|file_created|file_public|file_change|reaction_added)$"


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def dedupe_events(body: dict[str, Any], next: Any) -> Any:
        """Slack re-delivers events it thinks were missed; each event_id is handled once, across restarts."""
        event_id = body.get("event_id")
        if event_id and body.get("type") == "event_callback":
            with session_scope(deps.settings.database_url) as session:
                first = claim_event(session, str(event_id), datetime.now(UTC).replace(tzinfo=None))
            if not first:
                log.info("skipping re-delivered event %s", event_id)
                return BoltResponse(status=200, body="")
        return next()

    @app.event("app_mention")
    def mention(event: dict[str, Any], client: WebClient, context: Any) -> None:
        thread = event.get("thread_ts") or event["ts"]
        if event.get("files"):
            add_shared_files(deps, event, client, thread)
            return
        converse(deps, event, client, thread, context.get("bot_user_id"))

    @app.event("message")
    def message(event: dict[str, Any], client: WebClient, context: Any) -> None:
        """Direct messages, and follow-ups in a channel thread the bot answered in (no mention needed)."""
        if event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
            return
        bot_user = context.get("bot_user_id")
        if event.get("channel_type") == "im":
            if event.get("files"):
                add_shared_files(deps, event, client, event.get("thread_ts") or event["ts"])
            else:
                converse(deps, event, client, event.get("thread_ts"), bot_user)
            return
        thread = event.get("thread_ts")
        text = event.get("text") or ""
        mentioned = bool(bot_user and f"<@{bot_user}" in text)
        if not thread and not mentioned and not event.get("files") and read_posted_links(deps, event, client):
            return  # links posted in a watched channel
        if not thread or thread == event.get("ts") or event.get("files") or mentioned:
            return  # not a thread reply, or a mention (answered through app_mention)
        with session_scope(deps.settings.database_url) as session:
            followed = answered_thread(session, event["channel"], thread)
        if followed:
            converse(deps, event, client, thread, bot_user)

    @app.event(re.compile(IGNORED))
    def ignore() -> None:
        """Events the bot subscribes to for its other listeners but does not act on alone."""


def converse(deps: Deps, event: dict[str, Any], client: WebClient, thread: str | None, bot_user: str | None) -> None:
    """Run what a message says, replying in its channel or thread, with 👀 on it meanwhile."""
    channel = event["channel"]

    def post(text: str, b: list[dict[str, Any]] | None) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread, text=text, blocks=b)

    react(client, "reactions_add", channel, event["ts"])
    try:
        run_command(
            deps,
            parse(event.get("text") or "", bot_user),
            Reply(post, private=False),
            client,
            user=event.get("user", ""),
            channel=channel,
            thread=thread,
        )
    finally:
        react(client, "reactions_remove", channel, event["ts"])


def react(client: WebClient, method: str, channel: str, ts: str) -> None:
    try:
        getattr(client, method)(channel=channel, timestamp=ts, name=WORKING)
    except SlackApiError as exc:  # a missing reaction is no reason to fail the answer
        log.info("%s failed: %s", method.replace("_", "."), exc.response.get("error"))
