"""`python -m bot feeds …`: follow news feeds (add, list, remove, pause, resume) and poll them once now; each a thin
caller of bot/feeds."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from bot.cli.common import rules_of, settings_from_env

if TYPE_CHECKING:
    from bot.answering.views.wording import Facing
    from bot.settings import Settings


def _migrated() -> Settings:
    from bot.store.db import migrate

    settings = settings_from_env()
    migrate(settings.database_url)
    return settings


def cmd_add(args: argparse.Namespace) -> int:
    from bot.feeds.manage import FeedCommandError, add_feed_url

    settings = _migrated()
    try:
        feed = add_feed_url(settings, args.url, name=args.name, include=args.include, exclude=args.exclude, by="cli")
    except FeedCommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(feed, ensure_ascii=False) if args.json else f"added feed #{feed['id']}: {feed['url']}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from bot.feeds.manage import feed_line, feed_rows

    rows = feed_rows(_migrated())
    for row in rows:
        print(json.dumps(row, ensure_ascii=False) if args.json else feed_line(row))
    if not args.json:
        print(f"{len(rows)} feed{'' if len(rows) == 1 else 's'}", file=sys.stderr)
    return 0


def _change(args: argparse.Namespace, action: str) -> int:
    from bot.feeds.manage import FeedCommandError, change_feed

    try:
        print(change_feed(_migrated(), args.feed, action))
    except FeedCommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    from bot.feeds.pages import Reader
    from bot.feeds.poll import FeedPoll, ItemResult, Poller
    from bot.store.models import Feed

    settings = _migrated()
    poller = Poller(Reader(settings, rules_of(settings)))

    def show(feed: Feed, item: ItemResult) -> None:
        row = item.as_dict(feed)
        if args.json:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        else:
            reason = f": {row['reason']}" if row["reason"] else ""
            print(f"{row['outcome']:<15} {row['title'] or row['link']}{reason}", flush=True)

    polls: list[FeedPoll] = poller.poll_due(force=True, on_item=show)
    for poll in polls:
        if poll.status in ("failed", "refused"):
            if args.json:
                row: dict[str, Any] = {
                    "feed": poll.feed.id,
                    "feed_url": poll.feed.url,
                    "link": poll.feed.url,
                    "guid": None,
                    "title": poll.feed.name,
                    "outcome": poll.status,
                    "reason": poll.reason,
                    "article_id": None,
                    "kind": "feed",
                }
                print(json.dumps(row, ensure_ascii=False), flush=True)
            else:
                print(f"feed #{poll.feed.id} {poll.status}: {poll.reason}")
        extra = f", {poll.left} left for the next poll" if poll.left else ""
        print(f"feed #{poll.feed.id} {poll.status}: {len(poll.items)} items{extra}", file=sys.stderr)
    return 0


def register(sub: Any, facing: Facing | None) -> None:
    """`feeds add|list|remove|pause|resume|poll`."""
    company = facing.company if facing else "the company"
    p = sub.add_parser(
        "feeds",
        help="follow news feeds (RSS, Atom): add, list, remove, pause, resume, poll",
        epilog="examples: python -m bot feeds add https://news.example/rss --include cloud\n"
        "          python -m bot feeds poll --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    feeds = p.add_subparsers(dest="feeds_command", required=True)

    q = feeds.add_parser(
        "add",
        help="follow a feed",
        epilog="example: python -m bot feeds add https://news.example/tech.rss --name Example --include cloud AI",
    )
    q.add_argument("url", help="the feed's http(s) URL")
    q.add_argument("--name", help="how the feed is shown")
    q.add_argument("--include", nargs="+", default=[], metavar="WORD", help="read only items naming one of these")
    q.add_argument("--exclude", nargs="+", default=[], metavar="WORD", help="skip items naming any of these")
    q.add_argument("--json", action="store_true", help="print the feed as JSON")
    q.set_defaults(func=cmd_add)

    q = feeds.add_parser(
        "list", help="the feeds with their last poll and counts", epilog="example: python -m bot feeds list --json"
    )
    q.add_argument("--json", action="store_true", help="one JSON object per feed")
    q.set_defaults(func=cmd_list)

    for action, text in (
        ("remove", "stop following a feed (its articles stay)"),
        ("pause", "stop polling a feed for now"),
        ("resume", "poll a paused feed again"),
    ):
        q = feeds.add_parser(action, help=text, epilog=f"example: python -m bot feeds {action} 3")
        q.add_argument("feed", metavar="ID|URL", help="the feed's number (feeds list) or URL")
        q.set_defaults(func=lambda args, action=action: _change(args, action))

    q = feeds.add_parser(
        "poll",
        help=f"poll every feed once now and index the new items about {company}",
        epilog="example: python -m bot feeds poll --json\n"
        "outcomes: indexed, duplicate, near-duplicate, off-topic, refused, failed (each with its reason)\n"
        "exit status 0 once every feed was polled; a feed or item that failed is a line of the output",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("--json", action="store_true", help="one JSON object per item: link, guid, title, outcome, reason")
    q.set_defaults(func=cmd_poll)
