"""The admins' review of figure reports, from the buttons in their App Home: hide the figure, correct it (the
form), or dismiss the report. Each refreshes the admin's Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.answering.views.blockkit import button_value, cite
from bot.commands.context import REFUSAL
from bot.commands.reports import current_fields, figure_at
from bot.slack.admins import is_admin
from bot.slack.deps import Deps
from bot.slack.home import REPORT_CORRECT, REPORT_DISMISS, REPORT_HIDE, publish_home
from bot.slack.views import correction_view
from bot.store.db import session_scope
from bot.store.feedback import correct_figure, get_report, resolve


def register(app: App, deps: Deps) -> None:
    settings = deps.settings

    def admin_report(body: dict[str, Any], client: WebClient) -> tuple[str, int] | None:
        """(admin, report id) from the button, or None (and a refusal for a user who is not an admin)."""
        user = body["user"]["id"]
        if not is_admin(user, settings, client):
            client.chat_postMessage(channel=user, text=REFUSAL.format(command=deps.command))
            return None
        report = button_value(body).get("r")
        return (user, report) if isinstance(report, int) else None

    @app.action(REPORT_HIDE)
    def hide(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = admin_report(body, client)
        if found is None:
            return
        user, report_id = found
        with session_scope(settings.database_url) as session:
            report = get_report(session, report_id)
            if report is not None and report.article_hash and report.figure_start is not None:
                correct_figure(session, report.article_hash, report.figure_start, by=user, hidden=True)
                resolve(session, report_id, user)
        publish_home(deps, client, user)

    @app.action(REPORT_DISMISS)
    def dismiss(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = admin_report(body, client)
        if found is None:
            return
        with session_scope(settings.database_url) as session:
            resolve(session, found[1], found[0], status="dismissed")
        publish_home(deps, client, found[0])

    @app.action(REPORT_CORRECT)
    def correct(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = admin_report(body, client)
        if found is None:
            return
        with session_scope(settings.database_url) as session:
            report = get_report(session, found[1])
            hit = (
                figure_at(session, report.article_hash, report.figure_start)
                if report and report.article_hash and report.figure_start is not None
                else None
            )
        if hit is None:
            client.chat_postMessage(channel=found[0], text="That figure is no longer in the articles.")
            return
        client.views_open(
            trigger_id=body["trigger_id"],
            view=correction_view(found[1], current_fields(hit), hit.sentence, cite(hit.article)),
        )
