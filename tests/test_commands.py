"""Reading what people type: Slack's escaping and links decoded, commands told from lookups everywhere, and each
command run once by the one command layer, whatever surface it was typed on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.commands.command import Command, decode
from bot.commands.context import CLI, CONSOLE, REFUSAL, SLACK, Context
from bot.commands.parse import parse
from bot.commands.run import run
from bot.commands.verbs import VERBS, WORDS
from bot.settings import PROJECT_ROOT
from tests.conftest import RULES, make_settings


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
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
    ],
)
def test_decode(raw: str, plain: str) -> None:
    assert decode(raw) == plain


@pytest.mark.parametrize(
    ("text", "bot", "expected"),
    [
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
    ],
)
def test_parse(text: str, bot: str | None, expected: Command) -> None:
    assert parse(text, bot) == expected


class _Answerer:
    """Stands in for the answerer: records what it was asked; the seed pack's rules."""

    rules = RULES

    def __init__(self) -> None:
        self.asked: list[str] = []

    def ask(self, query: str) -> Any:
        self.asked.append(query)
        return type("Answer", (), {"text": f"answer to {query}"})()


def _context(surface: str, tmp_path: Path, admin: bool = False, **changes: Any) -> Context:
    return Context(
        make_settings(tmp_path / "c.db"),
        _Answerer(),
        surface,  # type: ignore[arg-type]
        is_admin=lambda: admin,
        **changes,
    )


def test_every_verb_is_read_from_its_word() -> None:
    assert {"help", "status", "digest", "subscribe", "unsubscribe", "add", "feed", "watch", "unwatch"} == WORDS
    for verb in VERBS:
        if verb.name != "ask":
            assert parse(f"/alibaba {verb.name.upper()}").verb == verb.name


@pytest.mark.parametrize("line", ["subscribe <#C0NEWS|news>", "unsubscribe <#C0NEWS|news>", "digest now", "add"])
def test_admin_verbs_refuse_others_before_doing_anything(line: str, tmp_path: Path) -> None:
    ctx = _context(SLACK, tmp_path, admin=False)
    assert run(parse(line), ctx).text == REFUSAL.format(command="/alibaba")


def test_the_add_form_opens_only_where_the_surface_can_open_it(tmp_path: Path) -> None:
    assert run(parse("add"), _context(SLACK, tmp_path, admin=True, can_open_form=True)).kind == "add_form"
    assert "upload the file" in run(parse("add"), _context(SLACK, tmp_path, admin=True)).text


@pytest.mark.parametrize("line", ["subscribe #news", "unsubscribe #news", "digest now", "add"])
def test_the_console_says_which_verbs_work_only_in_slack(line: str, tmp_path: Path) -> None:
    outcome = run(parse(line), _context(CONSOLE, tmp_path, admin=True))
    assert outcome.text.startswith(f"`/alibaba {line}` works in Slack")


def test_the_command_line_looks_up_every_line_with_the_prefix_dropped_once(tmp_path: Path) -> None:
    ctx = _context(CLI, tmp_path)
    for line in ("/alibaba capex", "capex", "/alibaba status", "help", "/alibaba about qwen"):
        assert run(parse(line), ctx).kind == "answer"
    assert ctx.answerer.asked == ["capex", "capex", "status", "help", "about qwen"]  # type: ignore[attr-defined]


def test_the_edges_run_no_queries_of_their_own() -> None:
    """Slack, the console and the command line call store functions; the SQL is in the store."""
    bot = PROJECT_ROOT / "bot"
    edges = [*sorted((bot / "slack").rglob("*.py")), *sorted((bot / "cli").rglob("*.py")), bot / "console.py"]
    sql = re.compile(
        r"(?<![.\w])(?:select|delete|update|insert)\((?!\))|session\.(?:query|execute)\b"
        r"|^from bot\.store\.models ",
        re.M,
    )
    assert [str(p.relative_to(PROJECT_ROOT)) for p in edges if sql.search(p.read_text())] == []
