"""Posting a digest exactly once: claim (channel, period) in the database, post, then mark it posted; then a
chart of each changed series (at most three) in its thread."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import desc, func, select, update

from bot.answering.views.wording import Facing
from bot.digest.content import DEFAULT_PERIOD, Digest, build_digest
from bot.digest.views.digest_blocks import digest_blocks, digest_fallback
from bot.settings import Settings
from bot.store.db import insert_ignore, session_scope
from bot.store.models import Article, DigestRun

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
STALE_CLAIM = timedelta(minutes=30)  # a claim from another machine older than this is taken over
BACKOFF_SECONDS = 2.0
# What to do about the errors an admin can fix, shown after the error in status and the App Home ({bot}: the bot
# user's name the manifest gives it).
FIXES = {
    "not_in_channel": " (invite the bot to the channel: `/invite @{bot}`)",
    "channel_not_found": " (the channel is gone or private: invite the bot, or unsubscribe it)",
    "is_archived": " (the channel is archived: unsubscribe it)",
}
CLAIMER = f"{socket.gethostname()}:{os.getpid()}"


def utcnow() -> datetime:
    return datetime.utcnow().replace(microsecond=0)


# Tests replace these: the clock and the pause between retries.
clock: Callable[[], datetime] = utcnow
sleep: Callable[[float], None] = time.sleep


def _claimer_alive(claimer: str | None) -> bool:
    """Whether the process that claimed a run still runs (only knowable on this host)."""
    if not claimer or ":" not in claimer:
        return False
    host, _, pid = claimer.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: trust its claim until it is stale (see resume_unfinished)
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def period_start(settings: Settings, channel: str, end: datetime) -> datetime:
    """Since the previous posted digest for the channel, or the last 7 days for the first."""
    return window_start(settings, channel, end)[0]


def window_start(settings: Settings, channel: str, end: datetime) -> tuple[datetime, int | None]:
    """Where the digest for (channel, end) starts: the previous posted digest's end and the last article it
    covered (None before any, or for a digest posted before windows were kept by article id)."""
    with session_scope(settings.database_url) as session:
        last = session.execute(
            select(DigestRun.period_end, DigestRun.through_article_id)
            .where(DigestRun.channel == channel, DigestRun.status == "posted", DigestRun.period_end < end)
            .order_by(desc(DigestRun.period_end))
            .limit(1)
        ).first()
    return (last[0], last[1]) if last else (end - DEFAULT_PERIOD, None)


def claim(settings: Settings, channel: str, end: datetime) -> DigestRun | None:
    """Claim the digest for (channel, end); None when it is posted or another live process holds it.

    The claim is a row in the database every replica shares, whatever the number of schedulers firing: the first
    insert wins (ON CONFLICT DO NOTHING on the unique (channel, period_end)); taking over a stale or failed run
    locks its row first (FOR UPDATE SKIP LOCKED on PostgreSQL: a replica holding the lock is deciding, so leave
    it), and the update only applies if nobody changed the run since it was read.
    """
    start, after = window_start(settings, channel, end)
    now = clock()
    where = (DigestRun.channel == channel, DigestRun.period_end == end)
    with session_scope(settings.database_url) as session:
        through = session.scalar(select(func.max(Article.id))) or 0  # what is stored now is in this digest
        if insert_ignore(
            session,
            DigestRun,
            {
                "channel": channel,
                "period_start": start,
                "period_end": end,
                "status": "claimed",
                "attempts": 0,
                "claimed_by": CLAIMER,
                "claimed_at": now,
                "after_article_id": after,
                "through_article_id": through,
            },
        ):
            return session.scalars(select(DigestRun).where(*where)).one()
    with session_scope(settings.database_url) as session:
        run = session.scalars(select(DigestRun).where(*where).with_for_update(skip_locked=True)).first()
        if run is None:
            return None  # another replica holds the row
        # Posted: done. Claimed by a live process (this one included: another thread is posting it): theirs.
        # Claimed by a process that is gone, or failed earlier: ours to finish.
        live = run.status == "claimed" and _claimer_alive(run.claimed_by) and run.claimed_at >= now - STALE_CLAIM
        if run.status == "posted" or live:
            return None
        taken = session.execute(  # type: ignore[attr-defined]
            update(DigestRun)
            .where(DigestRun.id == run.id, DigestRun.claimed_by == run.claimed_by, DigestRun.status == run.status)
            .values(claimed_by=CLAIMER, claimed_at=now, status="claimed")
        ).rowcount
        if not taken:
            return None
        session.refresh(run)
        return run


def post_claimed(settings: Settings, client: WebClient, run_id: int, facing: Facing) -> bool:
    """Post a claimed digest, retrying with back-off; mark it posted, or failed after the last attempt."""
    with session_scope(settings.database_url) as session:
        run = session.get(DigestRun, run_id)
        assert run is not None
        digest = build_digest(
            session, run.period_start, run.period_end, after_id=run.after_article_id, through_id=run.through_article_id
        )
        channel, attempts = run.channel, run.attempts
    if digest.empty and settings.digest_skip_empty:
        _finish(settings, run_id, status="posted", ts=None, error="nothing new; skipped")
        return True
    text = digest_fallback(digest, facing)
    while attempts < MAX_ATTEMPTS:
        attempts += 1
        try:
            response = client.chat_postMessage(channel=channel, text=text, blocks=digest_blocks(digest, facing))
            _finish(settings, run_id, status="posted", ts=response.get("ts"), attempts=attempts)
            if settings.charts and digest.changed:
                attach_charts(settings, client, channel, response.get("ts"), digest)
            return True
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
        except Exception as exc:  # network failures: retried like API errors
            error = exc.__class__.__name__
        log.warning("posting the digest to %s failed (attempt %s): %s", channel, attempts, error)
        _finish(
            settings,
            run_id,
            status="claimed" if attempts < MAX_ATTEMPTS else "failed",
            ts=None,
            error=error,
            attempts=attempts,
        )
        if attempts < MAX_ATTEMPTS:
            sleep(BACKOFF_SECONDS * 2 ** (attempts - 1))
    log.error("giving up on the digest for %s after %s attempts", channel, attempts)
    return False


def attach_charts(settings: Settings, client: WebClient, channel: str, ts: str | None, digest: Digest) -> int:
    """After the digest is posted: a chart of each changed series (at most three) in its thread, uploaded with its
    alt text. Never raises: a chart that fails is logged and the digest stands as posted."""
    from bot.charts.draw import render
    from bot.charts.followed import changed_series

    done = 0
    try:
        with session_scope(settings.database_url) as session:
            found = changed_series(session, digest.changed)
        for series in found:
            chart = render(series)
            client.files_upload_v2(
                file=chart.png,
                filename=f"chart-{series.version}.png",
                title=series.title,
                alt_txt=chart.alt_text,
                channel=channel,
                thread_ts=ts,
            )
            done += 1
    except Exception as exc:
        log.warning("a digest chart for %s failed after %s uploaded; the digest stands: %s", channel, done, exc)
    return done


def _finish(
    settings: Settings,
    run_id: int,
    *,
    status: str,
    ts: str | None,
    error: str | None = None,
    attempts: int | None = None,
) -> None:
    with session_scope(settings.database_url) as session:
        run = session.get(DigestRun, run_id)
        assert run is not None
        run.status = status
        run.last_error = error
        if attempts is not None:
            run.attempts = attempts
        if status == "posted" and ts is not None:
            run.message_ts, run.posted_at = ts, clock()
        elif status == "posted":
            run.posted_at = clock()


def deliver(settings: Settings, client: WebClient, channel: str, end: datetime, facing: Facing) -> bool:
    """Claim and post the digest for (channel, end) unless it was posted already: the exactly-once path."""
    run = claim(settings, channel, end)
    if run is None:
        log.info("digest for %s at %s is posted or being posted elsewhere", channel, end)
        return False
    return post_claimed(settings, client, run.id, facing)


def resume_unfinished(settings: Settings, client: WebClient, facing: Facing) -> int:
    """At start-up: finish digests that were claimed but not posted by a process that is gone."""
    with session_scope(settings.database_url) as session:
        pending = [
            (r.channel, r.period_end)
            for r in session.scalars(select(DigestRun).where(DigestRun.status == "claimed"))
            if not _claimer_alive(r.claimed_by) or r.claimed_at < clock() - STALE_CLAIM
        ]
    for channel, end in pending:
        deliver(settings, client, channel, end, facing)
    return len(pending)


def failed_digest_lines(settings: Settings, facing: Facing) -> list[str]:
    bot = facing.bot_name
    with session_scope(settings.database_url) as session:
        runs = session.scalars(
            select(DigestRun).where(DigestRun.status == "failed").order_by(desc(DigestRun.period_end)).limit(5)
        ).all()
        return [
            f"Digest for <#{r.channel}> due {r.period_end:%Y-%m-%d %H:%M} UTC failed after {r.attempts} "
            f"attempts: {r.last_error}{FIXES.get(r.last_error or '', '').format(bot=bot)}"
            for r in runs
        ]
