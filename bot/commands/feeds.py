"""`feed …` (follow news feeds), `add URL` (read one page) and `watch links` / `unwatch links` (read the links
posted in a channel): admins change things, anyone may list the feeds."""

from __future__ import annotations

from bot.commands.command import Command, decode
from bot.commands.context import REFUSAL, SLACK, Context, Outcome
from bot.feeds.manage import FeedCommandError, add_feed_url, change_feed, check_link, feed_line, feed_rows
from bot.feeds.pages import PageOutcome

FEED_USAGE = (
    "Usage: `{command} feed add URL [words…]` (items must name one of the words; `-word` skips items naming it), "
    "`{command} feed list`, `{command} feed remove|pause|resume ID`."
)
ACTIONS = ("add", "list", "remove", "pause", "resume")


def _link(word: str) -> str:
    """A link as Slack writes it (`<https://…|label>`) or as typed."""
    word = word.strip()
    if word.startswith("<") and word.endswith(">"):
        word = word[1:-1].split("|", 1)[0]
    return decode(word)


def feed_command(cmd: Command, ctx: Context) -> Outcome:
    words = cmd.args.split()
    action = words[0].lower() if words else ""
    usage = FEED_USAGE.format(command=ctx.command)
    if action not in ACTIONS:
        return Outcome(usage)
    if action == "list":
        rows = feed_rows(ctx.settings)
        if not rows:
            return Outcome(f"No feeds are followed. An admin can add one: `{ctx.command} feed add URL`.")
        return Outcome("\n".join(feed_line(r) for r in rows))
    if not ctx.is_admin():
        return Outcome(REFUSAL.format(command=ctx.command))
    if len(words) < 2:
        return Outcome(usage)
    try:
        if action == "add":
            keywords = [decode(w) for w in words[2:]]
            row = add_feed_url(
                ctx.settings,
                _link(words[1]),
                name=None,
                include=[w for w in keywords if not w.startswith("-")],
                exclude=[w[1:] for w in keywords if w.startswith("-") and len(w) > 1],
                by=ctx.user or ctx.surface,
            )
            return Outcome(f"Following feed #{row['id']}: {row['url']}. It is read within a few minutes.")
        return Outcome(change_feed(ctx.settings, _link(words[1]), action).capitalize() + ".")
    except FeedCommandError as exc:
        return Outcome(str(exc)[:1].upper() + str(exc)[1:] + ".")


def page_reply(page: PageOutcome, link: str) -> str:
    """The reply to one link read, as an upload's reply reads (mrkdwn; the page's words are escaped)."""
    from bot.answering.views.blockkit import mrkdwn_escape

    shown = mrkdwn_escape(link[:200])
    if page.outcome == "indexed" and page.ingest is not None:
        found = page.ingest
        when = found.published.isoformat() if found.published else "no date found"
        return (
            f"Indexed *{mrkdwn_escape(found.title or '')}* ({when}): {found.entities} entities, "
            f"{found.figures} figures."
        )
    if page.outcome in ("duplicate", "near-duplicate"):
        return f"{shown}: {mrkdwn_escape(page.reason)}; nothing new was added."
    return f"Could not add {shown}: {mrkdwn_escape(page.reason)}."


def read_link(ctx: Context, link: str) -> PageOutcome:
    from bot.feeds.pages import shared_reader

    return shared_reader(ctx.settings, ctx.answerer.rules).read_url(link, added_by=ctx.user or ctx.surface)


def add_link(cmd: Command, ctx: Context) -> Outcome:
    """`add URL`: fetch the page and index it."""
    try:
        link = check_link(_link(cmd.args.split()[0]))
    except FeedCommandError as exc:
        return Outcome(str(exc)[:1].upper() + str(exc)[1:] + ".")
    return Outcome(page_reply(read_link(ctx, link), link))


def watch_links(cmd: Command, ctx: Context) -> Outcome:
    """`watch links` / `unwatch links` in a channel: read (or stop reading) the links posted there."""
    from bot.reading.ingest import now
    from bot.store.db import session_scope
    from bot.store.feeds import unwatch_channel, watch_channel

    watching = cmd.verb == "watch"
    if cmd.args.strip().lower() != "links" or ctx.surface != SLACK or not ctx.channel:
        return Outcome(f"Usage, in the channel: `{ctx.command} watch links` or `{ctx.command} unwatch links`.")
    with session_scope(ctx.settings.database_url) as session:
        if watching:
            changed = watch_channel(session, ctx.channel, ctx.user, now())
        else:
            changed = unwatch_channel(session, ctx.channel)
    if watching:
        return Outcome(
            "Links posted in this channel will be read and indexed, with a reply in their thread."
            if changed
            else "This channel's links are already read."
        )
    return Outcome("Links posted in this channel are no longer read." if changed else "This channel was not watched.")
