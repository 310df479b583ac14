"""`python -m bot company init|show`: start a company pack, or show what the bot follows."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import rules_of, settings_from_env

if TYPE_CHECKING:
    from bot.answering.views.wording import Facing


def cmd_company_init(args: argparse.Namespace) -> int:
    from bot.commands.company import NewPack, init_pack

    folder = Path(args.dir)
    written = init_pack(
        NewPack(
            name=args.name,
            aliases=tuple(args.alias),
            fiscal_year_end=args.fiscal_year_end,
            currency=args.currency,
            named_for=args.named_for,
            command=args.command or "",
            folder=folder,
        )
    )
    print("wrote " + ", ".join(str(p) for p in written))
    print(f"next: add article files to {folder}, then run SEEDS_DIR={folder} python -m bot run")
    return 0


def cmd_company_show(args: argparse.Namespace) -> int:
    from bot.commands.company import describe, show_text

    settings = settings_from_env()
    shown = describe(rules_of(settings), settings.seeds_dir)
    print(json.dumps(shown, ensure_ascii=False) if args.json else show_text(shown))
    return 0


def register(sub: Any, facing: Facing | None) -> None:
    company = sub.add_parser(
        "company",
        help="start a company pack, or show the company the bot follows",
        epilog="examples: python -m bot company init Acme --alias ACME --fiscal-year-end 06-30 "
        "--currency USD --dir packs/acme\n          python -m bot company show",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = company.add_subparsers(dest="verb", required=True)
    p = verbs.add_parser("init", help="write a starting pack: company.yml (with what each field does), entities.yml")
    p.add_argument("name", help="the company's name")
    p.add_argument("--alias", action="append", default=[], help="another name for it (repeat for more)")
    p.add_argument("--fiscal-year-end", default="12-31", metavar="MM-DD", help="when its fiscal year ends")
    p.add_argument(
        "--named-for",
        default="end",
        choices=("end", "start"),
        help="a fiscal year is named for the calendar year it ends in (end) or starts in (start)",
    )
    p.add_argument("--currency", default="USD", metavar="XXX", help="ISO 4217 code of its reporting currency")
    p.add_argument("--command", metavar="/NAME", help='the Slack slash command (default: "/" and the name)')
    p.add_argument("--dir", required=True, metavar="DIR", help="the pack's folder (made if missing)")
    p.set_defaults(func=cmd_company_init)
    p = verbs.add_parser("show", help="what the bot follows (from the pack SEEDS_DIR names)")
    p.add_argument("--json", action="store_true", help="print it as JSON")
    p.set_defaults(func=cmd_company_show)
