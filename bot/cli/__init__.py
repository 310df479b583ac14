"""Command line: `python -m bot COMMAND`; each command is a thin caller of the core, registered by one module of
this package (`MODULES`): a new command is one module with a `register(sub, facing)`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import load_dotenv

from bot.cli import chart, company, core, feeds, review
from bot.cli.common import parser_facing

if TYPE_CHECKING:
    from bot.answering.views.wording import Facing

MODULES = (core, company, review, chart, feeds)

EXAMPLES = """examples:
  python -m bot migrate
  python -m bot ingest news/ --json
  python -m bot ingest article.pdf --title "{company} Q2 results" --published 2025-08-29 --source Reuters
  python -m bot ask revenue
  python -m bot ask --json revenue "who is the CEO"
  python -m bot chart "cloud revenue growth" --out growth.png
  python -m bot console
  python -m bot digest --since 2025-08-01
  python -m bot ingest --review article.pdf && python -m bot publish 1
  python -m bot manifest > manifest.yml
  python -m bot feeds add https://news.example/rss --include cloud
  python -m bot feeds poll --json
  python -m bot serve
"""


def build_parser(facing: Facing | None = None) -> argparse.ArgumentParser:
    """The command line; its help names the company the pack follows and its slash command."""
    company = facing.company if facing else "a company"
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=f"Follow {company}'s AI strategy through the news.",
        epilog=EXAMPLES.format(company=facing.company if facing else "Company"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in MODULES:
        module.register(sub, facing)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `python -m bot ask … | head` ends quietly, as shell tools do
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    load_dotenv(Path.cwd() / ".env")  # the working directory's, then the project's when run from its source
    load_dotenv()
    args = build_parser(parser_facing()).parse_args(argv)
    from bot.settings import Settings

    logging.basicConfig(
        level=Settings.from_env().log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic narrates every upgrade at INFO, pypdf warns about every odd PDF object: neither helps a user.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        if args.command == "ingest":
            print("\ninterrupted; what was finished is saved, run the same command again to finish", file=sys.stderr)
        else:
            print("\ninterrupted", file=sys.stderr)
        return 130
