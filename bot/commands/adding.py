"""`add`: the add-article form, for admins, where the surface can open it."""

from __future__ import annotations

from bot.commands.command import Command
from bot.commands.context import Context, Outcome


def add_article(cmd: Command, ctx: Context) -> Outcome:
    if ctx.can_open_form:
        return Outcome("Add an article", kind="add_form")
    return Outcome(f"To add an article, upload the file here (admins only), or use `{ctx.command} add` for the form.")
