"""The verbs anyone can use anywhere: help, status and lookups."""

from __future__ import annotations

from bot.answering.status import status_text
from bot.answering.views.answer_text import help_text
from bot.commands.command import Command
from bot.commands.context import CONSOLE, SLACK, Context, Outcome


def show_help(cmd: Command, ctx: Context) -> Outcome:
    """How to ask; the console's version lists only what the console can do."""
    return Outcome(help_text(ctx.answerer.facing(), console=ctx.surface == CONSOLE), kind="help")


def show_status(cmd: Command, ctx: Context) -> Outcome:
    """Counts and the last article added; in Slack, where digests are posted, also digest problems with their fix."""
    from bot.feeds.manage import status_lines

    feeds = status_lines(ctx.settings)
    if ctx.surface != SLACK:
        return Outcome(status_text(ctx.settings, feeds), kind="status")
    from bot.answering.facing import facing_of
    from bot.digest.delivery import failed_digest_lines

    facing = facing_of(ctx.settings, ctx.answerer.rules.company)
    return Outcome(status_text(ctx.settings, failed_digest_lines(ctx.settings, facing) + feeds), kind="status")


def look_up(cmd: Command, ctx: Context) -> Outcome:
    answer = ctx.answerer.ask(cmd.query)
    return Outcome(answer.text, kind="answer", answer=answer)
