"""Reading a typed line once, the same way everywhere: leading mentions of the bot and a typed `/alibaba` (any
`/word`) are dropped here and nowhere else, then the first word is a verb or the line is a lookup."""

from __future__ import annotations

import re

from bot.commands.command import Command, decode
from bot.commands.verbs import WORDS

HELP_WORDS = {"help", "?", "usage", "commands"}
_LEADING_MENTION = re.compile(r"^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[\s,:]*")


def parse(text: str, bot_user_id: str | None = None) -> Command:
    """The command in a typed line.

    >>> parse("<@U0BOT> subscribe <#C1|news> daily", "U0BOT")
    Command(verb='subscribe', args='<#C1|news> daily', query='')
    >>> parse("<@U9|bob> qwen &amp; downloads").query
    'bob qwen & downloads'
    >>> parse("/alibaba capex")
    Command(verb='ask', args='', query='capex')
    """
    rest = text.strip()
    while bot_user_id and (m := _LEADING_MENTION.match(rest)) and m.group(1) == bot_user_id:
        rest = rest[m.end() :]
    if bot_user_id:
        rest = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", rest)
    rest = re.sub(r"^/\w+\s*", "", rest.strip())
    first, _, args = rest.partition(" ")
    word = decode(first).lower().strip("?!.,:") or decode(first).strip()
    if not rest or word in HELP_WORDS:
        return Command("help")
    if word in WORDS:
        return Command(word, args.strip())
    return Command("ask", query=" ".join(decode(rest).split()))
