"""Rating and correcting answers: 👍/👎 and "Report a wrong figure" on answers, the report form, and the admins'
review (hide a figure, correct it, or dismiss the report) from the App Home."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import select

from bot.answering.figure_store import load_figures
from bot.answering.model import FigureHit
from bot.answering.views.blockkit import button_value, cite
from bot.settings import Settings
from bot.slack.admins import REFUSAL, is_admin
from bot.slack.views import correction_submitted, correction_view, feedback_submitted, feedback_view
from bot.store.db import session_scope
from bot.store.feedback import CORRECTABLE, add_feedback, correct_figure, get_answer, resolve
from bot.store.models import Article, Feedback, Figure

log = logging.getLogger(__name__)
GONE = "That answer is too old to rate; ask again and rate the new one."


def figure_at(session: Any, article_hash: str, start: int) -> FigureHit | None:
    """The figure at (article content hash, offset) as answers show it now, corrections applied."""
    fid = session.scalar(select(Figure.id).join(Article, Article.id == Figure.article_id)
                         .where(Article.text_hash == article_hash, Figure.start == start).limit(1))
    found = load_figures(session, Figure.id == fid) if fid is not None else []
    return found[0] if found else None


def current_fields(hit: FigureHit) -> dict[str, str]:
    """What a correction form starts from: each correctable field as answers show it."""
    values = {"text": hit.text, "value": f"{hit.value:g}", "unit": hit.unit or "",
              "subject": getattr(hit, "subject", None) or hit.entity or "", "metric": getattr(hit, "metric", None),
              "period": hit.period or ""}
    return {k: str(v) for k, v in values.items() if v}


class FeedbackListeners:
    """The feedback and review listeners; `refresh_home(client, user)` republishes an admin's App Home."""

    def __init__(self, settings: Settings, refresh_home: Callable[[WebClient, str], None]) -> None:
        self.settings = settings
        self.refresh_home = refresh_home

    # -- people rating answers ------------------------------------------------------------------
    def up(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        with session_scope(self.settings.database_url) as session:
            record = get_answer(session, str(button_value(body).get("k") or ""))
            if record is not None:
                add_feedback(session, user=body["user"]["id"], rating="up", answer=record)
        respond(response_type="ephemeral", replace_original=False,
                text="Thanks, noted." if record is not None else GONE)

    def down(self, ack: Any, body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """👎 and "Report a wrong figure" both open the report form; the latter with its figure chosen."""
        ack()
        value = button_value(body)
        with session_scope(self.settings.database_url) as session:
            record = get_answer(session, str(value.get("k") or ""))
            form = feedback_view(record.key, record.query, json.loads(record.figures),
                                 value.get("f") if isinstance(value.get("f"), int) else None) if record else None
        if form is None:
            respond(response_type="ephemeral", replace_original=False, text=GONE)
            return
        client.views_open(trigger_id=body["trigger_id"], view=form)

    def submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        form = feedback_submitted(view)
        if form["reason"] is None:
            ack(response_action="errors", errors={"reason": "Pick what was wrong."})
            return
        if form["reason"] == "other" and not form["note"]:
            ack(response_action="errors", errors={"note": "Say what was wrong."})
            return
        ack()
        with session_scope(self.settings.database_url) as session:
            record = get_answer(session, form["key"])
            shown = json.loads(record.figures) if record else []
            figure = next((f for f in shown if f["id"] == form["figure"]), None)
            add_feedback(session, user=body["user"]["id"], rating="down", answer=record, reason=form["reason"],
                         note=form["note"], figure=figure)
        for admin in self.settings.admin_user_ids:
            self.refresh_home(client, admin)

    # -- admins reviewing reports ----------------------------------------------------------------
    def _admin_report(self, body: dict[str, Any], client: WebClient) -> tuple[str, int] | None:
        user = body["user"]["id"]
        if not is_admin(user, self.settings, client):
            client.chat_postMessage(channel=user, text=REFUSAL.format(command=self.settings.slash_command))
            return None
        report = button_value(body).get("r")
        return (user, report) if isinstance(report, int) else None

    def hide(self, ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = self._admin_report(body, client)
        if found is None:
            return
        user, report_id = found
        with session_scope(self.settings.database_url) as session:
            report = session.get(Feedback, report_id)
            if report is not None and report.article_hash and report.figure_start is not None:
                correct_figure(session, report.article_hash, report.figure_start, by=user, hidden=True)
                resolve(session, report_id, user)
        self.refresh_home(client, user)

    def dismiss(self, ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = self._admin_report(body, client)
        if found is None:
            return
        with session_scope(self.settings.database_url) as session:
            resolve(session, found[1], found[0], status="dismissed")
        self.refresh_home(client, found[0])

    def correct(self, ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = self._admin_report(body, client)
        if found is None:
            return
        with session_scope(self.settings.database_url) as session:
            report = session.get(Feedback, found[1])
            hit = (figure_at(session, report.article_hash, report.figure_start)
                   if report and report.article_hash and report.figure_start is not None else None)
        if hit is None:
            client.chat_postMessage(channel=found[0], text="That figure is no longer in the articles.")
            return
        client.views_open(trigger_id=body["trigger_id"],
                          view=correction_view(found[1], current_fields(hit), hit.sentence, cite(hit.article)))

    def correct_submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        report_id, values = correction_submitted(view)
        user = body["user"]["id"]
        if values["value"]:
            try:
                values["value"] = f"{float(values['value'].replace(',', '')):g}"
            except ValueError:
                ack(response_action="errors", errors={"value": "A number, such as 380000000000 or 12.5."})
                return
        if report_id is None or not is_admin(user, self.settings, client):
            ack()
            return
        ack()
        with session_scope(self.settings.database_url) as session:
            report = session.get(Feedback, report_id)
            if report is None or not report.article_hash or report.figure_start is None:
                return
            hit = figure_at(session, report.article_hash, report.figure_start)
            before = current_fields(hit) if hit else {}
            changed: dict[str, Any] = {k: v for k, v in values.items()
                                       if k in CORRECTABLE and v and v != before.get(k)}
            if "value" in changed:
                changed["value"] = float(changed["value"])
            if changed:
                correct_figure(session, report.article_hash, report.figure_start, by=user, overrides=changed)
            resolve(session, report_id, user)
        log.info("figure report %s corrected by %s: %s", report_id, user, sorted(changed))
        self.refresh_home(client, user)
