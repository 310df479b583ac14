"""The digest verbs: `digest` previews for anyone; `digest now`, `subscribe` and `unsubscribe` for admins."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.answering.facing import facing_of
from bot.answering.views.blockkit import mrkdwn_escape
from bot.commands.command import Command, decode
from bot.commands.context import Context, Outcome
from bot.digest import delivery
from bot.digest.content import DEFAULT_PERIOD, build_digest
from bot.digest.scheduler import JOB_PREFIX, add_job, current_scheduler, trigger_for
from bot.digest.views.digest_text import digest_text
from bot.store.db import session_scope
from bot.store.subscriptions import remove_subscription, save_subscription

DAYS = {
    "mon": "mon",
    "monday": "mon",
    "tue": "tue",
    "tuesday": "tue",
    "wed": "wed",
    "wednesday": "wed",
    "thu": "thu",
    "thursday": "thu",
    "fri": "fri",
    "friday": "fri",
    "sat": "sat",
    "saturday": "sat",
    "sun": "sun",
    "sunday": "sun",
}
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{6,})$")
USAGE = (
    "Usage: `{c} digest` (preview), `{c} digest now`, "
    "`{c} subscribe #channel [weekly|daily] [day] [HH:MM]`, `{c} unsubscribe #channel`"
)


def parse_subscription(words: list[str], default_tz: str) -> tuple[str, str] | str:
    """(channel id, cron) from `#channel [weekly|daily] [day] [HH:MM]`, or an error message.

    >>> parse_subscription(["<#C0NEWS1|news>", "daily", "07:30"], "UTC")
    ('C0NEWS1', '30 7 * * *')
    """
    if not words:
        return "Name a channel: `subscribe #channel`."
    m = _CHANNEL.match(words[0])
    if not m:
        return f"I could not read “{_echo(words[0])}” as a channel; pick it with # so Slack links it."
    channel = m.group(1) or m.group(2)
    cadence, day, hour, minute = "weekly", "mon", 9, 0
    for word in (w.lower() for w in words[1:]):
        if word in ("weekly", "daily"):
            cadence = word
        elif word in DAYS:
            day = DAYS[word]
        elif t := re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", word):
            hour, minute = int(t.group(1)), int(t.group(2))
        else:
            return f"I did not understand “{_echo(word)}”."
    cron = f"{minute} {hour} * * {'*' if cadence == 'daily' else day}"
    trigger_for(cron, default_tz)  # validates
    return channel, cron


def _echo(word: str) -> str:
    """A word the user typed, shown back as plain text (never a live mention or link)."""
    return mrkdwn_escape(decode(word))


def preview_digest(cmd: Command, ctx: Context) -> Outcome:
    """The digest as it would be posted: in Slack since the channel's last digest, elsewhere the last 7 days."""
    end = datetime.now(UTC).replace(tzinfo=None)  # the moment it is built: an article added this second is in
    start, after = (
        (end - DEFAULT_PERIOD, None) if ctx.channel is None else delivery.window_start(ctx.settings, ctx.channel, end)
    )
    with session_scope(ctx.settings.database_url) as session:
        digest = build_digest(session, start, end, after_id=after)
    facing = facing_of(ctx.settings, ctx.answerer.rules.company)
    return Outcome(digest_text(digest, facing), kind="digest", digest=digest)


def post_digest(cmd: Command, ctx: Context) -> Outcome:
    """`digest now`: post the digest to this channel (or the default one) at once."""
    if cmd.args.split()[0].lower() != "now":
        return Outcome(USAGE.format(c=ctx.command))
    target = ctx.channel or ""
    facing = facing_of(ctx.settings, ctx.answerer.rules.company)
    posted = delivery.deliver(ctx.settings, ctx.slack, target, delivery.clock(), facing)
    return Outcome(f"Digest posted to <#{target}>." if posted else "The digest could not be posted; see status.")


def subscribe(cmd: Command, ctx: Context) -> Outcome:
    settings = ctx.settings
    parsed = parse_subscription(cmd.args.split(), settings.digest_timezone)
    if isinstance(parsed, str):
        return Outcome(parsed + "\n" + USAGE.format(c=ctx.command))
    channel, cron = parsed
    with session_scope(settings.database_url) as session:
        save_subscription(session, channel, cron, settings.digest_timezone, by=ctx.user, now=delivery.clock())
    scheduler = current_scheduler()
    if scheduler is not None:
        add_job(scheduler, settings, channel, cron, settings.digest_timezone)
    return Outcome(f"<#{channel}> will get the digest on schedule `{cron}` ({settings.digest_timezone}).")


def unsubscribe(cmd: Command, ctx: Context) -> Outcome:
    words = cmd.args.split()
    m = _CHANNEL.match(words[0]) if words else None
    if not m:
        return Outcome(USAGE.format(c=ctx.command))
    channel = m.group(1) or m.group(2)
    with session_scope(ctx.settings.database_url) as session:
        gone = remove_subscription(session, channel)
    scheduler = current_scheduler()
    if scheduler is not None and scheduler.get_job(JOB_PREFIX + channel):
        scheduler.remove_job(JOB_PREFIX + channel)
    return Outcome(f"<#{channel}> will no longer get digests." if gone else f"<#{channel}> had no digest.")
