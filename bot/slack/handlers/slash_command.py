"""The slash command: acked at once, then run through the command layer; the reply is private to the user."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.commands.parse import parse
from bot.slack.deps import Deps
from bot.slack.dispatch import Reply, run_command


def register(app: App, deps: Deps) -> None:
    @app.command(deps.command)
    def command(ack: Any, command: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack()
        reply = Reply(lambda text, b: respond(response_type="ephemeral", text=text, blocks=b), private=True)
        run_command(
            deps,
            parse(command.get("text") or ""),
            reply,
            client,
            user=command.get("user_id", ""),
            channel=command.get("channel_id", ""),
            trigger_id=command.get("trigger_id"),
        )
