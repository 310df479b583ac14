"""Submitted forms: an article added from the add form, a report of a wrong answer, and an admin's correction of
a reported figure. Each checks its fields and acks (with the errors, if any) first."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.commands.context import REFUSAL
from bot.commands.reports import current_fields, figure_at
from bot.reading.dates import parse_iso
from bot.slack.admins import is_admin, user_name
from bot.slack.deps import Deps
from bot.slack.home import publish_home
from bot.slack.uploads import add_article, add_file
from bot.slack.views import (
    ADD_CALLBACK,
    CORRECT_CALLBACK,
    FEEDBACK_CALLBACK,
    correction_submitted,
    feedback_submitted,
    submitted,
)
from bot.store.db import session_scope
from bot.store.feedback import CORRECTABLE, add_feedback, correct_figure, get_answer, get_report, resolve

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    settings = deps.settings

    @app.view(ADD_CALLBACK)
    def add_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        form = submitted(view)
        if not form["files"] and not form["text"]:
            ack(response_action="errors", errors={"file": "Attach a file or paste the article's text."})
            return
        published = None
        if form["published"]:
            try:
                published = parse_iso(form["published"])
            except ValueError:
                ack(response_action="errors", errors={"published": "Pick a valid date."})
                return
        ack()
        user = body["user"]["id"]
        if not is_admin(user, settings, client):
            client.chat_postMessage(channel=user, text=REFUSAL.format(command=deps.command))
            return
        overrides = {"title": form["title"], "published": published, "source": form["source"], "url": form["url"]}
        results = [add_file(deps, client, f["id"], user, **overrides) for f in form["files"]]
        if form["text"]:
            who = user_name(user, client)
            results.append(
                add_article(
                    deps.ingestor,
                    settings,
                    form["text"].encode(),
                    "pasted article.txt",
                    added_by=user,
                    added_by_name=who,
                    **overrides,
                )
            )
        for outcome in results:
            client.chat_postMessage(channel=user, text=outcome.message, blocks=outcome.reply_blocks)

    @app.view(FEEDBACK_CALLBACK)
    def report_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        form = feedback_submitted(view)
        if form["reason"] is None:
            ack(response_action="errors", errors={"reason": "Pick what was wrong."})
            return
        if form["reason"] == "other" and not form["note"]:
            ack(response_action="errors", errors={"note": "Say what was wrong."})
            return
        ack()
        with session_scope(settings.database_url) as session:
            record = get_answer(session, form["key"])
            shown = json.loads(record.figures) if record else []
            figure = next((f for f in shown if f["id"] == form["figure"]), None)
            add_feedback(
                session,
                user=body["user"]["id"],
                rating="down",
                answer=record,
                reason=form["reason"],
                note=form["note"],
                figure=figure,
            )
        for admin in settings.admin_user_ids:
            publish_home(deps, client, admin)

    @app.view(CORRECT_CALLBACK)
    def correct_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        report_id, values = correction_submitted(view)
        user = body["user"]["id"]
        if values["value"]:
            try:
                values["value"] = f"{float(values['value'].replace(',', '')):g}"
            except ValueError:
                ack(response_action="errors", errors={"value": "A number, such as 380000000000 or 12.5."})
                return
        if report_id is None or not is_admin(user, settings, client):
            ack()
            return
        ack()
        with session_scope(settings.database_url) as session:
            report = get_report(session, report_id)
            if report is None or not report.article_hash or report.figure_start is None:
                return
            hit = figure_at(session, report.article_hash, report.figure_start)
            before = current_fields(hit) if hit else {}
            changed: dict[str, Any] = {k: v for k, v in values.items() if k in CORRECTABLE and v and v != before.get(k)}
            if "value" in changed:
                changed["value"] = float(changed["value"])
            if changed:
                correct_figure(session, report.article_hash, report.figure_start, by=user, overrides=changed)
            resolve(session, report_id, user)
        log.info("figure report %s corrected by %s: %s", report_id, user, sorted(changed))
        publish_home(deps, client, user)
