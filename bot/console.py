"""The terminal console: type `/alibaba capex` (or just `capex`) and read the answer as Slack would show it."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.answering.answers import Answerer
from bot.answering.render import help_text
from bot.answering.status import status_text
from bot.settings import Settings

PROMPT = "alibaba> "


def run_console(settings: Settings, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    answerer = Answerer(settings)
    interactive = stdin.isatty()
    if interactive:
        print("Local console (no Slack credentials set). Type a query such as `/alibaba capex`, "
              "`help`, or `quit`.", file=stdout)
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        query = line.strip()
        if query.lower() in {"quit", "exit", ":q"}:
            break
        if not query:
            continue
        words = query.split()
        if words[0].startswith("/"):
            words = words[1:]
        command = words[0].lower() if words else ""
        if command == "status":
            print(status_text(settings), file=stdout)
        elif command in {"", "help"}:
            print(help_text(settings.slash_command), file=stdout)
        else:
            print(answerer.ask(" ".join(words)).text, file=stdout)
        print(file=stdout)
    return 0
