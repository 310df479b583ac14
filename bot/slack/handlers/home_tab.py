"""The App Home: published when opened, and its buttons: a quick lookup (answered in the app's Messages tab),
Add article and Unsubscribe, run as the commands they stand for."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.answering.views.blockkit import button_value
from bot.commands.command import Command
from bot.slack.deps import Deps
from bot.slack.dispatch import Reply, run_command
from bot.slack.home import HOME_ADD, HOME_LOOKUP, HOME_UNSUBSCRIBE, publish_home


def _dm(client: WebClient, user: str) -> Reply:
    return Reply(lambda text, b: client.chat_postMessage(channel=user, text=text, blocks=b), private=False)


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home" and event.get("user"):
            publish_home(deps, client, event["user"])

    @app.action(HOME_LOOKUP)
    def lookup(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        query = str(button_value(body).get("q") or "")
        if query:
            run_command(deps, Command("ask", query=query), _dm(client, user), client, user=user, channel="")

    @app.action(HOME_ADD)
    def add(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        run_command(
            deps, Command("add"), _dm(client, user), client, user=user, channel="", trigger_id=body.get("trigger_id")
        )

    @app.action(HOME_UNSUBSCRIBE)
    def unsubscribe(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, channel = body["user"]["id"], str(button_value(body).get("c") or "")
        run_command(deps, Command("unsubscribe", channel), _dm(client, user), client, user=user, channel="")
        publish_home(deps, client, user)
