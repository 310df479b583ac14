"""Running a command once, for every surface: the verb looked up, where it is offered and who may use it
checked, then its function called."""

from __future__ import annotations

from bot.commands.command import Command
from bot.commands.context import CLI, REFUSAL, Context, Outcome
from bot.commands.verbs import verb_for

ELSEWHERE = (
    "`{c} {verb}` works in Slack; from the terminal, add articles with `python -m bot ingest PATH` "
    "and preview the digest with `{c} digest`."
)


def run(cmd: Command, ctx: Context) -> Outcome:
    verb = verb_for(cmd)
    if ctx.surface not in verb.surfaces:
        if ctx.surface == CLI:  # `python -m bot ask` only looks up: a verb there is a query like any other
            return run(Command("ask", query=cmd.text), ctx)
        return Outcome(ELSEWHERE.format(c=ctx.command, verb=cmd.text))
    if verb.admin and not ctx.is_admin():
        return Outcome(REFUSAL.format(command=ctx.command))
    return verb.run(cmd, ctx)
