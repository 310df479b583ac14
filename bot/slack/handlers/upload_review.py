"""A held upload's buttons (REVIEW_UPLOADS): any admin publishes it (the normal ingest runs on it) or discards it;
the preview loses its buttons and its thread says who did what, by name."""

from __future__ import annotations

import contextlib
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.views.blockkit import button_value, mrkdwn_escape, section
from bot.answering.views.wording import plural
from bot.commands.context import REFUSAL
from bot.commands.pending import NotPending, discard, publish
from bot.slack.admins import is_admin, user_name
from bot.slack.deps import Deps
from bot.slack.uploads import UPLOAD_DISCARD, UPLOAD_PUBLISH


def register(app: App, deps: Deps) -> None:
    settings = deps.settings

    def held(body: dict[str, Any], client: WebClient) -> tuple[str, int] | None:
        """(admin, upload id) from the button, or None (and a refusal for a user who is not an admin)."""
        user = body["user"]["id"]
        if not is_admin(user, settings, client):
            client.chat_postMessage(channel=user, text=REFUSAL.format(command=deps.command))
            return None
        pending_id = button_value(body).get("p")
        return (user, pending_id) if isinstance(pending_id, int) else None

    @app.action(UPLOAD_PUBLISH)
    def on_publish(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = held(body, client)
        if found is None:
            return
        user, pending_id = found
        who = mrkdwn_escape(user_name(user, client) or user)
        try:
            result = publish(deps.ingestor, pending_id)
        except NotPending:
            _say(client, body, f"Upload {pending_id} was already published or discarded; nothing changed.")
            return
        if result.status == "new":
            text = (
                f"Published by {who}: *{mrkdwn_escape(result.title or '')}* is indexed, "
                f"{plural(result.figures, 'figure')}; it counts from now."
            )
        elif result.status == "duplicate":
            text = f"Already in the articles ({mrkdwn_escape(result.reason)}); {who} published nothing new."
        else:
            text = f"{who} tried to publish it, but it could not be indexed: {mrkdwn_escape(result.reason)}."
        _say(client, body, text, done=result.status != "failed")

    @app.action(UPLOAD_DISCARD)
    def on_discard(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = held(body, client)
        if found is None:
            return
        user, pending_id = found
        who = mrkdwn_escape(user_name(user, client) or user)
        if discard(settings.database_url, pending_id):
            _say(client, body, f"Discarded by {who}: nothing of it was kept.", done=True)
        else:
            _say(client, body, f"Upload {pending_id} was already published or discarded; nothing changed.")


def _channel(body: dict[str, Any]) -> str | None:
    return (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id")


def _say(client: WebClient, body: dict[str, Any], text: str, done: bool = False) -> None:
    """Reply in the preview's thread; once it is decided, the preview keeps its text and loses its buttons."""
    channel, message = _channel(body), body.get("message") or {}
    if not channel or not message.get("ts"):
        client.chat_postMessage(channel=body["user"]["id"], text=text)
        return
    client.chat_postMessage(channel=channel, thread_ts=message.get("thread_ts") or message["ts"], text=text)
    if done:
        kept = [b for b in message.get("blocks") or [] if b.get("type") != "actions"] or [section(text)]
        with contextlib.suppress(SlackApiError):  # the reply in the thread says it already
            client.chat_update(channel=channel, ts=message["ts"], text=message.get("text") or text, blocks=kept)
