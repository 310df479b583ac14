"""`/alibaba digest`, `digest now`, `subscribe` and `unsubscribe`: previews for all, management for admins."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import delete, select

from bot.answering.answers import Answerer
from bot.answering.views.blockkit import mrkdwn_escape
from bot.digest import delivery as digest_store
from bot.digest.content import build_digest
from bot.digest.scheduler import JOB_PREFIX, add_job, current_scheduler, trigger_for
from bot.digest.views.digest_blocks import digest_blocks
from bot.settings import Settings
from bot.slack.admins import REFUSAL, is_admin
from bot.slack.commands import decode
from bot.store.db import session_scope
from bot.store.models import DigestSubscription

DAYS = {"mon": "mon", "monday": "mon", "tue": "tue", "tuesday": "tue", "wed": "wed", "wednesday": "wed",
        "thu": "thu", "thursday": "thu", "fri": "fri", "friday": "fri", "sat": "sat", "saturday": "sat",
        "sun": "sun", "sunday": "sun"}
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{6,})$")
USAGE = ("Usage: `{c} digest` (preview), `{c} digest now`, "
         "`{c} subscribe #channel [weekly|daily] [day] [HH:MM]`, `{c} unsubscribe #channel`")


def parse_subscription(words: list[str], default_tz: str) -> tuple[str, str] | str:
    """(channel id, cron) from `#channel [weekly|daily] [day] [HH:MM]`, or an error message."""
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


def digest_command(settings: Settings, text: str, user: str, respond: Any, client: WebClient,
                   answerer: Answerer, channel_id: str = "") -> None:
    words = text.split()
    verb = words[0].lower()
    rest = words[1:]
    command = settings.slash_command
    if verb == "digest" and not rest:
        end = digest_store.clock()
        start = digest_store.period_start(settings, channel_id or settings.digest_channel, end)
        with session_scope(settings.database_url) as session:
            digest = build_digest(session, start, end)
        respond(response_type="ephemeral", text="Digest preview", blocks=digest_blocks(digest, command))
        return
    if not is_admin(user, settings, client):
        respond(response_type="ephemeral", text=REFUSAL.format(command=command))
        return
    if verb == "digest" and rest[0].lower() == "now":
        target = channel_id or settings.digest_channel
        posted = digest_store.deliver(settings, client, target, digest_store.clock())
        respond(response_type="ephemeral",
                text=f"Digest posted to <#{target}>." if posted else "The digest could not be posted; see status.")
    elif verb == "subscribe":
        parsed = parse_subscription(rest, settings.digest_timezone)
        if isinstance(parsed, str):
            respond(response_type="ephemeral", text=parsed + "\n" + USAGE.format(c=command))
            return
        channel, cron = parsed
        with session_scope(settings.database_url) as session:
            sub = session.scalar(select(DigestSubscription).where(DigestSubscription.channel == channel))
            if sub is None:
                session.add(DigestSubscription(channel=channel, schedule=cron, timezone=settings.digest_timezone,
                                               created_by=user, created_at=digest_store.clock()))
            else:
                sub.schedule, sub.timezone, sub.created_by = cron, settings.digest_timezone, user
        scheduler = current_scheduler()
        if scheduler is not None:
            add_job(scheduler, settings, channel, cron, settings.digest_timezone)
        respond(response_type="ephemeral",
                text=f"<#{channel}> will get the digest on schedule `{cron}` ({settings.digest_timezone}).")
    elif verb == "unsubscribe":
        m = _CHANNEL.match(rest[0]) if rest else None
        if not m:
            respond(response_type="ephemeral", text=USAGE.format(c=command))
            return
        channel = m.group(1) or m.group(2)
        with session_scope(settings.database_url) as session:
            gone = session.execute(  # type: ignore[attr-defined]
                delete(DigestSubscription).where(DigestSubscription.channel == channel)).rowcount
        scheduler = current_scheduler()
        if scheduler is not None and scheduler.get_job(JOB_PREFIX + channel):
            scheduler.remove_job(JOB_PREFIX + channel)
        respond(response_type="ephemeral",
                text=f"<#{channel}> will no longer get digests." if gone else f"<#{channel}> had no digest.")
    else:
        respond(response_type="ephemeral", text=USAGE.format(c=command))
