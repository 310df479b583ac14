"""APScheduler inside `serve`: one cron job per digest channel, kept in the database's job store."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient
from sqlalchemy import select

from bot.digest import delivery as digest_store
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
    lookback = timedelta(seconds=settings.digest_grace_seconds) + timedelta(days=8)
    end = scheduled_slot(trigger_for(schedule, timezone), digest_store.clock(), lookback)
    return digest_store.deliver(settings, client, channel, end)


def add_job(scheduler: BackgroundScheduler, settings: Settings, channel: str, schedule: str, timezone: str) -> None:
    scheduler.add_job(
        JOB_FUNC, trigger=trigger_for(schedule, timezone), args=[channel, schedule, timezone],
        id=JOB_PREFIX + channel, name=f"digest for {channel}", replace_existing=True,
        misfire_grace_time=settings.digest_grace_seconds, coalesce=True, max_instances=1,
    )


def ensure_default_subscription(settings: Settings) -> None:
    if not settings.digest_channel:
        return
    with session_scope(settings.database_url) as session:
        existing = session.scalar(select(DigestSubscription).where(
            DigestSubscription.channel == settings.digest_channel))
        if existing is None:
            session.add(DigestSubscription(channel=settings.digest_channel, schedule=settings.digest_schedule,
                                           timezone=settings.digest_timezone, created_by="settings",
                                           created_at=digest_store.clock()))
        elif existing.created_by == "settings":
            existing.schedule, existing.timezone = settings.digest_schedule, settings.digest_timezone


def build_scheduler(settings: Settings) -> BackgroundScheduler:
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine_for(settings.database_url),
                                                 tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": settings.digest_grace_seconds},
        timezone=ZoneInfo("UTC"),
    )


def start_scheduler(settings: Settings, client: WebClient) -> BackgroundScheduler | None:
    """Start the digest scheduler (jobs survive restarts in the job store) and finish interrupted digests."""
    _runtime.update(settings=settings, client=client)
    ensure_default_subscription(settings)
    scheduler = build_scheduler(settings)
    scheduler.start(paused=True)
    with session_scope(settings.database_url) as session:
        subscriptions = [(s.channel, s.schedule, s.timezone) for s in session.scalars(select(DigestSubscription))]
    wanted = {JOB_PREFIX + channel for channel, _, _ in subscriptions}
    for job in scheduler.get_jobs():
        if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
            job.remove()
    for channel, schedule, timezone in subscriptions:
        existing = scheduler.get_job(JOB_PREFIX + channel)
        if existing is None or existing.func_ref != JOB_FUNC or list(existing.args) != [channel, schedule, timezone]:
            add_job(scheduler, settings, channel, schedule, timezone)
    _runtime["scheduler"] = scheduler
    scheduler.resume()
    resumed = digest_store.resume_unfinished(settings, client)
    if resumed:
        log.info("finished %s digest(s) interrupted before they were posted", resumed)
    return scheduler


def current_scheduler() -> BackgroundScheduler | None:
    return _runtime.get("scheduler")
