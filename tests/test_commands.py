"""Reading what people type: Slack's escaping and links decoded, commands told from lookups everywhere."""

from __future__ import annotations

import pytest

from bot.commands.command import Command, decode
from bot.commands.parse import parse


@pytest.mark.parametrize(("raw", "plain"), [
    ("R&amp;D spending", "R&D spending"),
    ("&lt;b&gt; tags", "<b> tags"),
    ("<@U0123ABC|bob> qwen downloads", "bob qwen downloads"),
    ("<@U0123ABC> qwen", " qwen"),
    ("news in <#C0123ABC|general>", "news in #general"),
    ("see <https://x.example/a?b=1&amp;c=2|the post>", "see the post"),
    ("see <https://x.example/a>", "see https://x.example/a"),
    ("mail <mailto:a@b.example|a@b.example>", "mail a@b.example"),
    ("<!here> capex", "here capex"),
    ("<!subteam^S0123|@analysts> capex", "analysts capex"),
    ("&amp;lt; stays one level", "&lt; stays one level"),
])
def test_decode(raw: str, plain: str) -> None:
    assert decode(raw) == plain


@pytest.mark.parametrize(("text", "bot", "expected"), [
    ("", None, Command("help")),
    ("help", None, Command("help")),
    ("Help?", None, Command("help")),
    ("<@U0BOT> help", "U0BOT", Command("help")),
    ("<@U0BOT>", "U0BOT", Command("help")),
    ("/alibaba status", None, Command("status")),
    ("<@U0BOT> status", "U0BOT", Command("status")),
    ("status", None, Command("status")),
    ("digest now", None, Command("digest", "now")),
    ("<@U0BOT>: subscribe <#C0NEWS|news> daily 08:00", "U0BOT", Command("subscribe", "<#C0NEWS|news> daily 08:00")),
    ("unsubscribe <#C0NEWS|news>", None, Command("unsubscribe", "<#C0NEWS|news>")),
    ("add", None, Command("add")),
    ("capex", None, Command("ask", query="capex")),
    ("<@U0BOT> capex", "U0BOT", Command("ask", query="capex")),
    ("<@U0OTHER|ann> capex", "U0BOT", Command("ask", query="ann capex")),
    ("<@U0BOT> what did <@U0OTHER|ann> say", "U0BOT", Command("ask", query="what did ann say")),
    ("subscribers of qwen", None, Command("ask", query="subscribers of qwen")),
    ("addition", None, Command("ask", query="addition")),
])
def test_parse(text: str, bot: str | None, expected: Command) -> None:
    assert parse(text, bot) == expected
