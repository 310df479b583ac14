"""Running a command from Slack: the typed line goes through the command layer, and its outcome is shown as
Block Kit, privately (the slash command) or in the channel or thread it was asked in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.answering.facing import facing_of
from bot.answering.model import Answer
from bot.answering.views.answer_blocks import RATED_KINDS, answer_blocks, fallback_text, help_blocks
from bot.answering.views.answer_text import figure_line
from bot.answering.views.blockkit import message
from bot.charts.series import series_of
from bot.commands.command import Command
from bot.commands.context import SLACK, Context
from bot.commands.run import run
from bot.digest.views.digest_blocks import digest_blocks
from bot.slack.admins import is_admin
from bot.slack.charts import chart_under, with_show_chart
from bot.slack.deps import Deps
from bot.slack.views import add_article_view
from bot.store.db import session_scope
from bot.store.feedback import figure_keys, save_answer


class Reply:
    """Where a command's answer goes: the slash command's response_url (private) or a channel/thread post."""

    def __init__(self, send: Callable[[str, list[dict[str, Any]] | None], Any], private: bool) -> None:
        self.send = send
        self.private = private

    def __call__(self, text: str, blocks_: list[dict[str, Any]] | None = None) -> Any:
        """Send the reply; what the sender returned (chat.postMessage's response, with the channel posted to)."""
        return self.send(text, blocks_)


def run_command(
    deps: Deps,
    cmd: Command,
    reply: Reply,
    client: WebClient,
    *,
    user: str,
    channel: str,
    trigger_id: str | None = None,
    thread: str | None = None,
) -> None:
    settings = deps.settings
    ctx = Context(
        settings,
        deps.answerer,
        SLACK,
        user=user,
        channel=channel or settings.digest_channel,
        is_admin=lambda: is_admin(user, settings, client),
        slack=client,
        can_open_form=bool(trigger_id),
    )
    outcome = run(cmd, ctx)
    if outcome.kind == "help":
        reply("How to use the bot", help_blocks(deps.answerer.facing()))
    elif outcome.kind == "status":
        reply(outcome.text, message(outcome.text))
    elif outcome.kind == "digest" and outcome.digest is not None:
        reply("Digest preview", digest_blocks(outcome.digest, facing_of(settings, deps.answerer.rules.company)))
    elif outcome.kind == "add_form":
        client.views_open(trigger_id=trigger_id, view=add_article_view())
    elif outcome.kind == "answer" and outcome.answer is not None:
        show_answer(
            deps,
            outcome.answer,
            reply,
            user=user,
            channel=None if reply.private else channel or None,
            thread=thread,
            client=client,
        )
    else:
        reply(outcome.text)


def show_answer(
    deps: Deps,
    answer: Answer,
    reply: Reply,
    *,
    user: str,
    channel: str | None,
    thread: str | None,
    client: WebClient | None = None,
) -> None:
    """Show an answer and keep it as shown, so Share, 👍/👎 and thread follow-ups refer to it. An answer with a
    series gets its chart: under it in a channel or thread (uploaded after the text), behind *Show chart* when
    the answer is private."""
    name = deps.command
    text = fallback_text(answer)
    key = None
    if answer.kind in RATED_KINDS:
        leads = [c.lead for c in answer.claims]
        with session_scope(deps.settings.database_url) as session:
            keys = figure_keys(session, [f.id for f in leads])
            figures = [
                {"id": f.id, "text": figure_line(f), "hash": keys[f.id][0], "start": keys[f.id][1]}
                for f in leads
                if f.id in keys
            ]
            key = save_answer(
                session,
                asked_by=user,
                query=answer.query,
                kind=answer.kind,
                text=text,
                blocks=answer_blocks(answer, name),
                figures=figures,
                channel=channel,
                thread_ts=thread,
            )
    blocks = answer_blocks(answer, name, key=key, share=reply.private)
    charted = deps.charts.enabled and series_of(answer) is not None
    if charted and reply.private and key:
        blocks = with_show_chart(blocks, key)
    posted = reply(text, blocks)
    # A direct message sent by user id (the App Home's lookups) is charted in the conversation Slack posted it to.
    where = channel or (posted.get("channel") if hasattr(posted, "get") else None)
    if charted and not reply.private and where and client is not None:
        chart_under(deps.charts, client, answer, str(where), thread)
