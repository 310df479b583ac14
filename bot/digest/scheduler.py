"""APScheduler inside `serve`: one cron job per digest channel, kept in the database's job store, and kept in
step with the subscriptions table on every replica."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient
from sqlalchemy import select

from bot.answering.views.wording import Facing
from bot.digest import delivery
from bot.rules import Rules
from bot.settings import Settings
from bot.store.db import engine_for, session_scope
from bot.store.models import DigestSubscription

log = logging.getLogger(__name__)

JOB_PREFIX = "digest:"
# What a job needs but cannot pickle into the job store: set by start_scheduler in this process.
_runtime: dict[str, Any] = {}


def trigger_for(schedule: str, timezone: str) -> CronTrigger:
    return CronTrigger.from_crontab(schedule, timezone=ZoneInfo(timezone))


def scheduled_slot(trigger: CronTrigger, now: datetime, lookback: timedelta) -> datetime:
    """The latest fire time at or before `now` (naive UTC): the period every process agrees on."""
    utc = ZoneInfo("UTC")
    aware_now = now.replace(tzinfo=utc)
    moment = trigger.get_next_fire_time(None, aware_now - lookback)
    slot = None
    while moment is not None and moment <= aware_now:
        slot = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    if slot is None:
        return now.replace(second=0)
    return slot.astimezone(utc).replace(tzinfo=None)


JOB_FUNC = "bot.digest.scheduler:run_digest_job"  # stored in the job store: keep in step with this module


def run_digest_job(channel: str, schedule: str, timezone: str) -> bool:
    """The job APScheduler runs: post the digest for the slot that just came due, exactly once."""
    settings: Settings = _runtime["settings"]
    client: WebClient = _runtime["client"]
    facing: Facing = _runtime["facing"]
    lookback = timedelta(seconds=settings.digest_grace_seconds) + timedelta(days=8)
    end = scheduled_slot(trigger_for(schedule, timezone), delivery.clock(), lookback)
    return delivery.deliver(settings, client, channel, end, facing)


def add_job(scheduler: BackgroundScheduler, settings: Settings, channel: str, schedule: str, timezone: str) -> None:
    scheduler.add_job(
        JOB_FUNC,
        trigger=trigger_for(schedule, timezone),
        args=[channel, schedule, timezone],
        id=JOB_PREFIX + channel,
        name=f"digest for {channel}",
        replace_existing=True,
        misfire_grace_time=settings.digest_grace_seconds,
        coalesce=True,
        max_instances=1,
    )


def ensure_default_subscription(settings: Settings) -> None:
    if not settings.digest_channel:
        return
    with session_scope(settings.database_url) as session:
        existing = session.scalar(
            select(DigestSubscription).where(DigestSubscription.channel == settings.digest_channel)
        )
        if existing is None:
            session.add(
                DigestSubscription(
                    channel=settings.digest_channel,
                    schedule=settings.digest_schedule,
                    timezone=settings.digest_timezone,
                    created_by="settings",
                    created_at=delivery.clock(),
                )
            )
        elif existing.created_by == "settings":
            existing.schedule, existing.timezone = settings.digest_schedule, settings.digest_timezone


SYNC_JOB = "sync-subscriptions"
SYNC_SECONDS = 30  # how soon a subscription changed on another replica takes effect here


def build_scheduler(settings: Settings) -> BackgroundScheduler:
    """Digest jobs in the database's job store (shared by replicas); this process's own jobs in memory."""
    return BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=engine_for(settings.database_url), tablename="apscheduler_jobs"),
            "local": MemoryJobStore(),
        },
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": settings.digest_grace_seconds},
        timezone=ZoneInfo("UTC"),
    )


def sync_jobs(scheduler: BackgroundScheduler, settings: Settings) -> None:
    """Make the stored jobs match the subscriptions table: one job per subscribed channel, none for others.

    Every replica runs this at start and every SYNC_SECONDS, so a channel subscribed or unsubscribed through any
    replica is scheduled on all of them, and each scheduler wakes at least that often to see jobs another
    replica stored. Two schedulers firing the same job is harmless: the claim in `deliver` posts once."""
    with session_scope(settings.database_url) as session:
        subscriptions = [(s.channel, s.schedule, s.timezone) for s in session.scalars(select(DigestSubscription))]
    wanted = {JOB_PREFIX + channel for channel, _, _ in subscriptions}
    for job in scheduler.get_jobs(jobstore="default"):
        if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
            with contextlib.suppress(JobLookupError):  # another replica removed it first
                job.remove()
    for channel, schedule, timezone in subscriptions:
        existing = scheduler.get_job(JOB_PREFIX + channel, jobstore="default")
        if existing is None or existing.func_ref != JOB_FUNC or list(existing.args) != [channel, schedule, timezone]:
            add_job(scheduler, settings, channel, schedule, timezone)


def _sync_job() -> None:
    scheduler: BackgroundScheduler | None = _runtime.get("scheduler")
    if scheduler is None:
        return
    try:
        sync_jobs(scheduler, _runtime["settings"])
    except Exception:  # a lost connection or a race with another replica: the next sync tries again
        log.exception("could not sync digest subscriptions; trying again in %s s", SYNC_SECONDS)


FEEDS_JOB = "poll-feeds"


def _feeds_job() -> None:
    runner = _runtime.get("feeds")
    if runner is None:
        return
    try:
        runner.tick()
    except Exception:  # a lost connection: the next tick tries again
        log.exception("could not look for due feeds")


def start_feeds(scheduler: BackgroundScheduler, settings: Settings, rules: Rules) -> None:
    """Poll the feeds that are due every minute, off the scheduler's own threads (bot/feeds/schedule.py)."""
    from bot.feeds.schedule import TICK_SECONDS, FeedRunner

    _runtime["feeds"] = FeedRunner(settings, rules)
    scheduler.add_job(
        _feeds_job,
        "interval",
        seconds=TICK_SECONDS,
        id=FEEDS_JOB,
        jobstore="local",
        replace_existing=True,
        misfire_grace_time=TICK_SECONDS,
        next_run_time=datetime.now(ZoneInfo("UTC")) + timedelta(seconds=5),
    )


def start_scheduler(
    settings: Settings, client: WebClient, facing: Facing, rules: Rules | None = None
) -> BackgroundScheduler | None:
    """Start the digest scheduler (jobs survive restarts in the job store) and finish interrupted digests; with
    the pack's `rules`, poll the feeds too."""
    _runtime.update(settings=settings, client=client, facing=facing)
    ensure_default_subscription(settings)
    scheduler = build_scheduler(settings)
    scheduler.start(paused=True)
    sync_jobs(scheduler, settings)
    scheduler.add_job(
        _sync_job,
        "interval",
        seconds=SYNC_SECONDS,
        id=SYNC_JOB,
        jobstore="local",
        replace_existing=True,
        misfire_grace_time=SYNC_SECONDS,
    )
    if rules is not None:
        start_feeds(scheduler, settings, rules)
    _runtime["scheduler"] = scheduler
    scheduler.resume()
    resumed = delivery.resume_unfinished(settings, client, facing)
    if resumed:
        log.info("finished %s digest(s) interrupted before they were posted", resumed)
    return scheduler


def stop_feeds() -> None:
    runner = _runtime.pop("feeds", None)
    if runner is not None:
        runner.stop()


def current_scheduler() -> BackgroundScheduler | None:
    return _runtime.get("scheduler")
