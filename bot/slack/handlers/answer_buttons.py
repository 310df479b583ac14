"""The buttons on an answer: Share posts the answer as shown, 👍 is noted, 👎 or "Report a wrong figure" open
the report form, and *Show chart* shows a private answer's chart to the user who asked."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.answering.views.answer_blocks import FEEDBACK_DOWN, FEEDBACK_UP, REPORT_FIGURE, SHARE_ACTION, shared_blocks
from bot.answering.views.blockkit import button_value
from bot.slack.charts import SHOW_CHART, show_privately
from bot.slack.deps import Deps
from bot.slack.views import feedback_view
from bot.store.db import session_scope
from bot.store.feedback import add_feedback, get_answer

GONE = "That answer is too old to rate; ask again and rate the new one."
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


def register(app: App, deps: Deps) -> None:
    url = deps.settings.database_url

    @app.action(SHARE_ACTION)
    def share(ack: Any, body: dict[str, Any], respond: Any) -> None:
        """Post exactly the answer the user saw (as stored under the button's key), not a re-run of the query."""
        ack()
        with session_scope(url) as session:
            record = get_answer(session, str(button_value(body).get("k") or ""))
            stored = (record.text, json.loads(record.blocks)) if record else None
        if stored is None:
            respond(response_type="ephemeral", replace_original=False, text="That answer can no longer be shared.")
            return
        user = str(body.get("user", {}).get("id", ""))
        respond(
            response_type="in_channel",
            replace_original=False,
            delete_original=False,
            text=stored[0],
            blocks=shared_blocks(stored[1], user if _USER_ID.match(user) else None),
        )

    @app.action(FEEDBACK_UP)
    def up(ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        with session_scope(url) as session:
            record = get_answer(session, str(button_value(body).get("k") or ""))
            if record is not None:
                add_feedback(session, user=body["user"]["id"], rating="up", answer=record)
        respond(
            response_type="ephemeral", replace_original=False, text="Thanks, noted." if record is not None else GONE
        )

    def down(ack: Any, body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """👎 and "Report a wrong figure" both open the report form; the latter with its figure chosen."""
        ack()
        value = button_value(body)
        with session_scope(url) as session:
            record = get_answer(session, str(value.get("k") or ""))
            form = (
                feedback_view(
                    record.key,
                    record.query,
                    json.loads(record.figures),
                    value.get("f") if isinstance(value.get("f"), int) else None,
                )
                if record
                else None
            )
        if form is None:
            respond(response_type="ephemeral", replace_original=False, text=GONE)
            return
        client.views_open(trigger_id=body["trigger_id"], view=form)

    app.action(FEEDBACK_DOWN)(down)
    app.action(REPORT_FIGURE)(down)

    @app.action(SHOW_CHART)
    def show_chart(ack: Any, body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """The chart of a private answer, for the user who asked: the series its query gives now."""
        ack()
        with session_scope(url) as session:
            record = get_answer(session, str(button_value(body).get("k") or ""))
            query = record.query if record else None
        if query is None:
            respond(response_type="ephemeral", replace_original=False, text=GONE.replace("rate", "chart"))
            return
        show_privately(deps.charts, client, deps.answerer.ask(query), respond)
