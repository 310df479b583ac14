"""Several replicas on one PostgreSQL database: two real `serve` processes behind one Slack, digests claimed by
racing processes, subscriptions that follow the table on every scheduler."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from bot.digest import scheduler
from bot.settings import PROJECT_ROOT
from bot.slack.app import web_client
from bot.store.db import session_scope
from bot.store.models import Article, DigestRun, DigestSubscription
from tests.conftest import FACING, UPLOAD, create_postgres_database, drop_postgres_database, make_settings
from tests.slack_helpers import ADMIN, MEMBER, RunningBot, event_wrapper, start_bot
from tests.slack_standin import BOT_TOKEN, SlackStandIn, StoredFile
from tests.test_slack_http import file_share_event, thread_result


@pytest.fixture(scope="module")
def shared_url(seeded_postgres: str) -> Iterator[str]:
    url = create_postgres_database(template=seeded_postgres)
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="module")
def replicas(
    standin: SlackStandIn, shared_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningBot, RunningBot]]:
    tmp = tmp_path_factory.mktemp("replicas")
    bots: list[RunningBot] = []
    try:
        for _ in range(2):
            bots.append(start_bot(standin, tmp / "unused.db", tmp, extra_env={"DATABASE_URL": shared_url}))
        yield bots[0], bots[1]
    finally:
        for bot in bots:
            bot.stop()


def articles(url: str) -> int:
    with session_scope(url) as s:
        return int(s.scalar(select(func.count()).select_from(Article)) or 0)


def posts_in(standin: SlackStandIn, channel: str) -> list[object]:
    return [c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def test_an_event_delivered_to_both_replicas_is_handled_once(
    replicas: tuple[RunningBot, RunningBot], standin: SlackStandIn
) -> None:
    event = {
        "type": "app_mention",
        "user": MEMBER,
        "text": "<@U0BOT> capex",
        "ts": "1700000100.000001",
        "channel": "C0BOTH0001",
        "event_ts": "1700000100.000001",
    }
    body = json.dumps(event_wrapper(event, "EvBothReplicas1")).encode()
    now = int(time.time())
    # A retry reaches the other replica: the same event id, signed afresh.
    threads = [
        threading.Thread(target=bot.post, args=(body, "application/json"), kwargs={"timestamp": now + i})
        for i, bot in enumerate(replicas)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    standin.wait_for(lambda: posts_in(standin, "C0BOTH0001"))
    time.sleep(1.5)
    posts = posts_in(standin, "C0BOTH0001")
    assert len(posts) == 1
    assert "380 billion yuan" in json.dumps(posts[0].params["blocks"])  # type: ignore[attr-defined]


def test_an_upload_on_one_replica_is_answerable_on_the_other(
    replicas: tuple[RunningBot, RunningBot], standin: SlackStandIn, shared_url: str
) -> None:
    one, two = replicas
    before = articles(shared_url)
    standin.add_file(StoredFile("F0REPLICA1", UPLOAD.name, UPLOAD.read_bytes()))
    one.event(file_share_event("F0REPLICA1", UPLOAD.name, ADMIN, "1700000101.000001"), "EvReplicaUpload1")
    assert "Indexed" in thread_result(standin, "1700000101.000001")
    url = standin.response_url()
    two.command("cloud revenue", url)
    assert "33.4 billion yuan" in json.dumps(standin.wait_response(url)["blocks"])
    assert articles(shared_url) == before + 1


def test_the_same_upload_to_both_replicas_at_once_is_stored_once(
    replicas: tuple[RunningBot, RunningBot], standin: SlackStandIn, shared_url: str
) -> None:
    text_ = (
        b"Alibaba Adds Capacity In Jakarta\n\nOctober 3, 2025\n\nAlibaba Cloud opened a third data centre in "
        b"Jakarta, adding 700 servers racks, the company said, after demand for model training rose."
    )
    standin.add_file(StoredFile("F0TWICE001", "jakarta.md", text_, "text/markdown"))
    before = articles(shared_url)
    threads = [
        threading.Thread(
            target=bot.event,
            args=(file_share_event("F0TWICE001", "jakarta.md", ADMIN, f"1700000102.00000{i}"), f"EvTwice{i}"),
        )
        for i, bot in enumerate(replicas)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = sorted(thread_result(standin, f"1700000102.00000{i}") for i in range(2))
    assert sum("Indexed *Alibaba Adds Capacity In Jakarta*" in r for r in results) == 1, results
    assert sum("already indexed" in r for r in results) == 1, results
    assert articles(shared_url) == before + 1


WORKER = """
import sys, time
from datetime import datetime, timedelta
from bot.digest import delivery
from bot.settings import Settings
from bot.answering.facing import facing_of
from bot.rules import load_company
from bot.slack.app import web_client
settings = Settings.from_env()
client = web_client(settings)
start, count = float(sys.argv[1]), int(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
base = datetime(2025, 9, 1, 9, 0)
facing = facing_of(settings, load_company(settings.seeds_dir))
print(sum(delivery.deliver(settings, client, "C0RACE0001", base + timedelta(minutes=i), facing) for i in range(count)))
"""


def test_racing_replicas_post_one_digest_per_fire_time(standin: SlackStandIn, postgres_url: str) -> None:
    from bot.store.db import migrate

    migrate(postgres_url)
    fire_times = 25
    env = dict(
        os.environ,
        DATABASE_URL=postgres_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=standin.api_url,
        LOG_LEVEL="WARNING",
        DIGEST_CHANNEL="",
    )
    start = time.time() + 4.0  # both processes loaded before either begins
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), str(fire_times)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    posted = [int(out.strip()) for out, _ in outputs]
    assert sum(posted) == fire_times  # each fire time posted by exactly one of them
    assert len(posts_in(standin, "C0RACE0001")) == fire_times
    with session_scope(postgres_url) as s:
        rows = s.execute(select(DigestRun.period_end, DigestRun.status).where(DigestRun.channel == "C0RACE0001"))
        ends = {end: status for end, status in rows}
    assert len(ends) == fire_times and set(ends.values()) == {"posted"}


def test_a_subscription_made_elsewhere_is_scheduled_here(
    standin: SlackStandIn, postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot.store.db import migrate

    migrate(postgres_url)
    settings = make_settings(postgres_url, slack_bot_token=BOT_TOKEN, slack_api_url=standin.api_url, digest_channel="")
    monkeypatch.setattr(scheduler, "SYNC_SECONDS", 1)
    running = scheduler.start_scheduler(settings, web_client(settings), FACING)
    assert running is not None
    job_id = scheduler.JOB_PREFIX + "C0ELSEWHERE"
    try:
        assert running.get_job(job_id) is None
        with session_scope(postgres_url) as s:  # another replica's `subscribe`
            s.add(
                DigestSubscription(
                    channel="C0ELSEWHERE",
                    schedule="30 7 * * *",
                    timezone="UTC",
                    created_by="U0ADMIN001",
                    created_at=datetime(2025, 9, 1),
                )
            )
        deadline = time.time() + 10
        while running.get_job(job_id) is None and time.time() < deadline:
            time.sleep(0.2)
        job = running.get_job(job_id)
        assert job is not None and list(job.args) == ["C0ELSEWHERE", "30 7 * * *", "UTC"]
        with session_scope(postgres_url) as s:  # and its `unsubscribe`
            s.execute(delete(DigestSubscription).where(DigestSubscription.channel == "C0ELSEWHERE"))
        deadline = time.time() + 10
        while running.get_job(job_id) is not None and time.time() < deadline:
            time.sleep(0.2)
        assert running.get_job(job_id) is None
    finally:
        running.shutdown(wait=False)
        scheduler._runtime.pop("scheduler", None)


def test_stale_takeover_is_claimed_by_one_replica(standin: SlackStandIn, postgres_url: str) -> None:
    """A run claimed by a replica that died long ago: of many takers at once, one posts it."""
    from bot.digest import delivery
    from bot.store.db import migrate

    migrate(postgres_url)
    settings = make_settings(postgres_url, slack_bot_token=BOT_TOKEN, slack_api_url=standin.api_url)
    end = datetime(2025, 9, 8, 9, 0)
    with session_scope(postgres_url) as s:
        s.add(
            DigestRun(
                channel="C0STALE001",
                period_start=end - timedelta(days=7),
                period_end=end,
                status="claimed",
                attempts=0,
                claimed_by="gone-host:1",
                claimed_at=delivery.clock() - delivery.STALE_CLAIM - timedelta(minutes=1),
            )
        )
    results: list[bool] = []
    client = web_client(settings)
    threads = [
        threading.Thread(target=lambda: results.append(delivery.deliver(settings, client, "C0STALE001", end, FACING)))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
    assert len(posts_in(standin, "C0STALE001")) == 1
