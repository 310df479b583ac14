"""The core commands of `python -m bot`: the database, articles, lookups, the console, the Slack app, digests and
the manifest; each a thin caller of the library."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import facing_for, rules_of, settings_from_env

if TYPE_CHECKING:
    from bot.answering.views.wording import Facing
    from bot.rules import Rules
    from bot.settings import Settings


def _revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from bot.store.db import engine_for

    with engine_for(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.store.db import migrate

    settings = settings_from_env()
    before = _revision(settings.database_url)
    migrate(settings.database_url)
    after = _revision(settings.database_url)
    if before == after:
        print(f"database already up to date (revision {after})")
    elif before is None:
        print(f"database created (revision {after})")
    else:
        print(f"database upgraded from revision {before} to {after}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from bot.answering.views.wording import plural
    from bot.reading.dates import parse_iso
    from bot.reading.ingest import Ingestor, Overrides
    from bot.store.db import migrate

    settings = settings_from_env()
    try:
        published = parse_iso(args.published) if args.published else None
    except ValueError as exc:
        print(f"error: --published: {exc}", file=sys.stderr)
        return 2
    overrides = Overrides(
        title=args.title, published=published, source=args.source, url=args.url, added_by=args.added_by
    )
    if args.review:
        from bot.cli.review import ingest_for_review

        return ingest_for_review([Path(p) for p in args.paths], overrides)
    migrate(settings.database_url)
    ingestor = Ingestor(settings, rules_of(settings))
    results = ingestor.ingest_paths([Path(p) for p in args.paths], overrides)
    if not results:
        print("no supported files found (.txt, .md, .html, .pdf, .docx)", file=sys.stderr)
        return 1
    for r in results:
        if args.json:
            print(json.dumps(r.as_dict(), ensure_ascii=False))
        elif r.status == "new":
            date = r.published.isoformat() if r.published else "no date"
            print(
                f"new        {r.name}: “{r.title}” ({date}), {plural(r.entities, 'entity')}, "
                f"{plural(r.figures, 'figure')}"
            )
        else:
            print(f"{r.status:<10} {r.name}: {r.reason}")
    tally = {s: sum(1 for r in results if r.status == s) for s in ("new", "duplicate", "failed")}
    print(f"{tally['new']} new, {tally['duplicate']} duplicate, {tally['failed']} failed", file=sys.stderr)
    return 1 if tally["failed"] else 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answering.answers import Answerer
    from bot.answering.views.answer_text import render_text
    from bot.commands.context import CLI, Context
    from bot.commands.parse import parse
    from bot.commands.run import run
    from bot.store.db import migrate

    if args.json and not args.query:
        print(
            'error: ask --json needs at least one query, e.g. python -m bot ask --json revenue "who is the CEO"',
            file=sys.stderr,
        )
        return 2
    settings = settings_from_env()
    migrate(settings.database_url)
    context = Context(settings, Answerer(settings, rules_of(settings)), CLI)
    queries = args.query if args.json else [" ".join(args.query)]
    for query in queries:
        answer = run(parse(query), context).answer
        assert answer is not None  # on the command line every line is a lookup
        if args.json:
            print(json.dumps(answer.as_dict(), ensure_ascii=False))
        else:
            print(render_text(answer))
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    if args.flagged:
        return cmd_flagged(args)
    from bot.commands.review import NoSuchArticle, figure_row_line, figure_rows

    try:
        records = figure_rows(settings_from_env(), article=args.article, subject=args.subject, metric=args.metric)
    except NoSuchArticle as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for r in records:
        print(json.dumps(r, ensure_ascii=False) if args.json else figure_row_line(r))
    if not args.json:
        print(f"{len(records)} figure record{'' if len(records) == 1 else 's'}", file=sys.stderr)
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.console import run_console

    settings = settings_from_env()
    return run_console(settings, rules_of(settings))


def cmd_run(args: argparse.Namespace) -> int:
    """What `make run` starts: migrate, index the seeds into an empty database, then serve or console."""
    from bot.reading.ingest import Ingestor
    from bot.store.db import article_count, migrate, session_scope

    settings = settings_from_env()
    rules = rules_of(settings)  # a pack that cannot be used stops the bot before anything else
    if not settings.has_slack and not sys.stdin.isatty():
        print(
            "error: no Slack credentials and no terminal for the console. Set SLACK_BOT_TOKEN and "
            "SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) in .env (see README, 'Connect to "
            "Slack'), or run it in a terminal to use the console.",
            file=sys.stderr,
        )
        return 2
    migrate(settings.database_url)
    with session_scope(settings.database_url) as session:
        empty = article_count(session) == 0
    if empty:
        print(f"indexing the seed articles in {settings.seeds_dir} ...", file=sys.stderr)
        results = Ingestor(settings, rules).ingest_paths([settings.seeds_dir])
        print(f"{sum(r.status == 'new' for r in results)} articles indexed", file=sys.stderr)
    if settings.has_slack:
        return _serve(settings, rules)
    from bot.console import run_console

    return run_console(settings, rules)


def _serve(settings: Settings, rules: Rules) -> int:
    """The Slack app; when Slack cannot be reached or refuses the token, one line says so."""
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.slack.serve import serve

    try:
        return serve(settings, rules)
    except SlackApiError as exc:
        reason = f"Slack refused the bot token ({exc.response.get('error')}); check SLACK_BOT_TOKEN"
    except BoltError as exc:
        reason = f"the Slack app could not start: {str(exc).splitlines()[0]}"
    except OSError as exc:
        reason = f"cannot reach Slack at {settings.slack_api_url} ({exc.__class__.__name__}); check the network"
    print(f"error: {reason}", file=sys.stderr)
    return 1


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.store.db import migrate

    settings = settings_from_env()
    if not settings.has_slack:
        print("error: SLACK_BOT_TOKEN is not set; see README, 'Connect to Slack'", file=sys.stderr)
        return 2
    migrate(settings.database_url)
    return _serve(settings, rules_of(settings))


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.digest.command import digest_command

    settings = settings_from_env()
    return digest_command(settings, facing_for(settings, rules_of(settings)), since=args.since, as_json=args.json)


def cmd_manifest(args: argparse.Namespace) -> int:
    """The Slack app manifest for the pack's name and command, on standard output."""
    from bot.slack.manifest import manifest_yaml

    settings = settings_from_env()
    sys.stdout.write(manifest_yaml(facing_for(settings, rules_of(settings))))
    return 0


def cmd_flagged(args: argparse.Namespace) -> int:
    """`figures --flagged`: the open figure reports, newest first, as the App Home lists them for admins."""
    from bot.commands.review import report_line, report_rows

    rows = report_rows(settings_from_env())
    for row in rows:
        print(json.dumps(row, ensure_ascii=False) if args.json else report_line(row))
    print(f"{len(rows)} open report{'' if len(rows) == 1 else 's'}", file=sys.stderr)
    return 0


def register(sub: Any, facing: Facing | None) -> None:
    """The core commands: migrate, ingest, ask, figures, console, run, serve, digest, manifest."""
    company = facing.company if facing else "a company"
    command = facing.command if facing else "the slash command"

    p = sub.add_parser("migrate", help="create or upgrade the database schema", epilog="example: python -m bot migrate")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "ingest",
        help="add article files or folders",
        epilog="example: python -m bot ingest seeds/ news/q2.pdf --source Reuters",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .md, .html, .pdf or .docx files, or folders")
    p.add_argument("--title", help="title to use instead of the one found in the text")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date")
    p.add_argument("--source", help="outlet the article comes from")
    p.add_argument("--url", help="where the article was published")
    p.add_argument("--added-by", default="cli", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument(
        "--review",
        action="store_true",
        help="parse and preview each file, hold it until `publish ID` (or `discard ID`); nothing counts before",
    )
    p.epilog = (p.epilog or "") + "\nexit status: 0 when every file was added or already indexed, 1 when any failed"
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "ask",
        help=f"answer lookups as {command} would",
        epilog='examples: python -m bot ask revenue\n          python -m bot ask --json revenue "who is the CEO"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("query", nargs="*", help="the query; with --json each argument is one query")
    p.add_argument("--json", action="store_true", help="print one JSON object per query, one per line")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "figures",
        help="list figure records for review: subject, metric, period, status, claim",
        epilog=f'examples: python -m bot figures --subject "{facing.company if facing else "NAME"}"\n'
        "          python -m bot figures --json --article upload.txt --metric revenue",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--json", action="store_true", help="one JSON object per figure, one per line")
    p.add_argument("--article", metavar="ID|FILE", help="only this article (its id, file name or title)")
    p.add_argument("--subject", metavar="NAME", help="only figures about this entity (any of its names)")
    p.add_argument("--metric", metavar="NAME", help="only metrics containing this text")
    p.add_argument(
        "--flagged",
        action="store_true",
        help="instead, the open reports people sent from Slack (👎 and 'Report a wrong figure')",
    )
    p.set_defaults(func=cmd_figures)

    p = sub.add_parser(
        "console",
        help="type lookups in the terminal as you would in Slack",
        epilog=f"example: python -m bot console   (then type: {command} help)",
    )
    p.set_defaults(func=cmd_console)

    p = sub.add_parser(
        "run",
        help="migrate, index seeds if empty, then serve Slack or start the console",
        epilog="example: python -m bot run",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "serve",
        help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT)",
        epilog="example: SLACK_BOT_TOKEN=xoxb-... SLACK_APP_TOKEN=xapp-... python -m bot serve",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "digest",
        help="print the digest that would be posted, without posting",
        epilog="example: python -m bot digest --since 2025-08-01 --json",
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help="start of the period (default: the last 7 days)")
    p.add_argument("--json", action="store_true", help="print the digest as JSON")
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser(
        "manifest",
        help=f"print the Slack app manifest for {company} and {command} (YAML)",
        epilog="example: python -m bot manifest > manifest.yml   (then paste it at "
        "api.slack.com/apps, 'From an app manifest')",
    )
    p.set_defaults(func=cmd_manifest)
