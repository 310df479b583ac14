"""The terminal console: type `/acme capex` (or just `capex`) and read the answer as Slack would show it; the
prompt is the pack's command ("acme> ").

Lines go through the same command layer as Slack's (help, status and digest are commands, the rest lookups); the
console only reads lines, with line editing and a history file when the terminal allows it, and prints replies."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TextIO

from bot.answering.answers import Answerer
from bot.commands.context import CONSOLE, Context
from bot.commands.parse import parse
from bot.commands.run import run
from bot.rules import Rules
from bot.settings import Settings

QUIT = {"quit", "exit", ":q"}
HISTORY_LINES = 1000


def history_file(settings: Settings) -> Path:
    """Beside the database when it is a file, else in the project's data folder."""
    url = settings.database_url
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite:///")).with_name(".console_history")
    return Path("data") / ".console_history"


def _line_editing(settings: Settings) -> Path | None:
    """Turn on readline (arrows, history across sessions); None when it is not available."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input still works
        return None
    path = history_file(settings)
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LINES)
    return path


def reply_to(line: str, settings: Settings, answerer: Answerer) -> str:
    return run(parse(line), Context(settings, answerer, CONSOLE)).text


def run_console(settings: Settings, rules: Rules, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from bot.store.db import migrate

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    migrate(settings.database_url)
    answerer = Answerer(settings, rules)
    interactive = stdin.isatty() and stdin is sys.stdin
    history = _line_editing(settings) if interactive else None
    facing = answerer.facing()
    prompt = f"{facing.handle}> "
    if interactive:
        example = f"`{facing.command} {facing.lookups[0]}`, " if facing.lookups else ""
        print(
            f"Local console on {facing.company} (no Slack credentials set). Type a query such as {example}"
            "`help`, or `quit`.",
            file=stdout,
        )
    try:
        while True:
            if interactive:
                try:
                    line = input(prompt)
                except EOFError:
                    print(file=stdout)
                    break
            else:
                line = stdin.readline()
                if not line:
                    break
            query = line.strip()
            if query.lower() in QUIT:
                break
            if not query:
                continue
            print(reply_to(query, settings, answerer), file=stdout)
            print(file=stdout)
    except KeyboardInterrupt:  # Ctrl-C leaves the console like `quit`
        print(file=stdout)
    finally:
        if history is not None:
            import readline

            with contextlib.suppress(OSError):
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history)
    return 0
