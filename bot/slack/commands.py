"""Reading what people type, the same way in the slash command, DMs, mentions and the console: Slack's escaping
and links decoded to plain words, and the commands (help, status, digest, subscribe, unsubscribe, add) told apart
from lookups."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

COMMANDS = ("help", "status", "digest", "subscribe", "unsubscribe", "add")
HELP_WORDS = {"help", "?", "usage", "commands"}
# <@U123|bob>, <#C123|general>, <!here>, <!subteam^S1|@team>, <https://x.example|label>, <mailto:a@b|a@b>
_SLACK_LINK = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")
_LEADING_MENTION = re.compile(r"^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[\s,:]*")


def decode(text: str) -> str:
    """Slack's message text as the words a person typed.

    >>> decode("&lt;b&gt; &amp; <@U1|bob> in <#C1|general> see <https://x.example|the post> <!here>")
    '<b> & bob in #general see the post here'
    """

    def plain(m: re.Match[str]) -> str:
        sigil, target, label = m.group(1), m.group(2), m.group(3)
        if sigil == "@":
            return (label or "").lstrip("@")
        if sigil == "#":
            return "#" + label if label else ""
        if sigil == "!":
            return (label or target.split("^")[0]).lstrip("@")
        return label if label is not None else target.removeprefix("mailto:")

    return html.unescape(_SLACK_LINK.sub(plain, text)).replace("\u00a0", " ")


@dataclass(frozen=True)
class Command:
    """What to do with a message: a command verb with its raw arguments, or `ask` with the decoded lookup."""

    verb: str  # one of COMMANDS, or "ask"
    args: str = ""  # the words after the verb, still in Slack's form (channels stay <#C…|name>)
    query: str = ""  # for "ask": the lookup as plain words

    @property
    def text(self) -> str:
        return f"{self.verb} {self.args}".strip()


def parse(text: str, bot_user_id: str | None = None) -> Command:
    """The command in a message: leading mentions of the bot and a typed `/alibaba` are dropped first.

    >>> parse("<@U0BOT> subscribe <#C1|news> daily", "U0BOT")
    Command(verb='subscribe', args='<#C1|news> daily', query='')
    >>> parse("<@U9|bob> qwen &amp; downloads").query
    'bob qwen & downloads'
    """
    rest = text.strip()
    while bot_user_id and (m := _LEADING_MENTION.match(rest)) and m.group(1) == bot_user_id:
        rest = rest[m.end():]
    if bot_user_id:
        rest = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", rest)
    rest = re.sub(r"^/\w+\s*", "", rest.strip())
    first, _, args = rest.partition(" ")
    word = decode(first).lower().strip("?!.,:") or decode(first).strip()
    if not rest or word in HELP_WORDS:
        return Command("help")
    if word in COMMANDS:
        return Command(word, args.strip())
    return Command("ask", query=" ".join(decode(rest).split()))
