"""What a typed line is: Slack's escaping and links decoded to plain words, and the `Command` read from it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# <@U123|bob>, <#C123|general>, <!here>, <!subteam^S1|@team>, <https://x.example|label>, <mailto:a@b|a@b>
_SLACK_LINK = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


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
    """What to do with a typed line: a verb with its raw arguments, or `ask` with the decoded lookup."""

    verb: str  # a verb of `verbs.VERBS`: "help", "status", …, or "ask"
    args: str = ""  # the words after the verb, still in Slack's form (channels stay <#C…|name>)
    query: str = ""  # for "ask": the lookup as plain words

    @property
    def text(self) -> str:
        return f"{self.verb} {self.args}".strip()
