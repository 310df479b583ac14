"""Polling in the running bot: each feed polled once per interval whatever the number of replicas (claimed in the
database), a hanging feed never delays another, back-off after errors, at most N new items per poll (the newest),
and conditional fetches. The items here are off-topic pages, so no article is indexed and no pipeline loads."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.feeds.manage import add_feed_url
from bot.feeds.pages import Reader
from bot.feeds.poll import Poller
from bot.feeds.schedule import FeedRunner
from bot.reading.ingest import now
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.feeds import claim_feed
from bot.store.models import Feed, FeedItem
from tests.conftest import RULES
from tests.feeds_site import OFF_TOPIC, Site, article_page, rss, slow


@pytest.fixture()
def site() -> Iterator[Site]:
    site = Site()
    items = []
    for n in range(6):
        site.page(f"/p{n}", article_page("Harbour Times", f"Bakery news {n}", [f"Part {n}.", *OFF_TOPIC]))
        items.append(
            {
                "title": f"Bakery news {n}",
                "link": site.url(f"/p{n}"),
                "guid": f"g{n}",
                "date": f"Tue, 0{n + 1} Dec 2026 08:00:00 GMT",
            }
        )
    site.page("/bakery.xml", rss(items), "application/rss+xml", ETag='"b1"')
    site.page("/two.xml", rss(items[:2]), "application/rss+xml", **{"Last-Modified": "Tue, 01 Dec 2026 08:00:00 GMT"})
    site.routes["/hangs.xml"] = slow(30)
    site.start()
    yield site
    site.stop()


def local(settings: Settings, **changes: object) -> Settings:
    return dataclasses.replace(
        settings, fetch_allowed_private_hosts=frozenset({"127.0.0.1"}), fetch_timeout_seconds=2, **changes
    )


def add(settings: Settings, url: str) -> int:
    return int(str(add_feed_url(settings, url, name=None, include=[], exclude=[], by="test")["id"]))


@pytest.mark.both_backends
def test_of_two_replicas_one_polls_each_feed(settings: Settings, site: Site) -> None:
    settings = local(settings)
    ids = [add(settings, site.url("/bakery.xml")), add(settings, site.url("/two.xml"))]
    replicas = [FeedRunner(settings, RULES), FeedRunner(settings, RULES)]
    threads = [threading.Thread(target=r.tick) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in replicas:
        r.wait()
    assert site.hits["/bakery.xml"] == 1 and site.hits["/two.xml"] == 1
    # Each feed read its items once; the two pages both feeds list were read once by each.
    assert [site.hits[f"/p{n}"] for n in range(6)] == [2, 2, 1, 1, 1, 1]
    with session_scope(settings.database_url) as session:
        feeds = session.scalars(select(Feed).where(Feed.id.in_(ids)).order_by(Feed.id)).all()
        assert [(f.items_seen, f.claimed_by) for f in feeds] == [(6, None), (2, None)]
        assert all(f.next_poll_at and f.next_poll_at > now() + timedelta(minutes=29) for f in feeds)
        assert len(session.scalars(select(FeedItem)).all()) == 8


@pytest.mark.both_backends
def test_a_claim_is_taken_once_and_a_stale_one_taken_over(settings: Settings) -> None:
    feed_id = add(settings, "https://news.example/feed.xml")
    stamp = now()
    with session_scope(settings.database_url) as session:
        assert claim_feed(session, feed_id, "a:1", stamp)
    with session_scope(settings.database_url) as session:
        assert not claim_feed(session, feed_id, "b:2", stamp, force=True)
    with session_scope(settings.database_url) as session:
        assert claim_feed(session, feed_id, "b:2", stamp + timedelta(minutes=16))


def test_a_hanging_feed_never_delays_another(settings: Settings, site: Site) -> None:
    settings = local(settings)
    add(settings, site.url("/hangs.xml"))
    quick = add(settings, site.url("/two.xml"))
    runner = FeedRunner(settings, RULES, workers=2)
    start = time.monotonic()
    runner.tick()
    while True:
        with session_scope(settings.database_url) as session:
            if session.get_one(Feed, quick).last_success_at is not None:
                break
        assert time.monotonic() - start < 1.5, "the quick feed waited for the hanging one"
        time.sleep(0.05)
    runner.wait()
    with session_scope(settings.database_url) as session:
        hanging = session.scalars(select(Feed).where(Feed.id != quick)).one()
        assert hanging.last_error and "timed out" in hanging.last_error


def test_errors_in_a_row_push_the_next_poll_back(settings: Settings, site: Site) -> None:
    settings = local(settings, feed_poll_minutes=10, feed_max_backoff_minutes=35)
    feed_id = add(settings, site.url("/missing.xml"))
    poller = Poller(Reader(settings, RULES))
    waits = []
    for _ in range(3):
        stamp = now()
        assert poller.poll(feed_id, force=True).status == "failed"
        with session_scope(settings.database_url) as session:
            feed = session.get_one(Feed, feed_id)
            waits.append(round((feed.next_poll_at - stamp).total_seconds() / 60))
    assert waits == [20, 35, 35]  # 10 minutes doubled per error, capped
    assert feed.last_error == "HTTP 404 Not Found" and feed.errors_in_row == 3
    site.page("/missing.xml", rss([]), "application/rss+xml")
    assert poller.poll(feed_id, force=True).status == "polled"
    with session_scope(settings.database_url) as session:
        assert session.get_one(Feed, feed_id).errors_in_row == 0


def test_at_most_n_new_items_per_poll_the_newest_first(settings: Settings, site: Site) -> None:
    settings = local(settings, feed_max_items_per_poll=4)
    feed_id = add(settings, site.url("/bakery.xml"))
    poller = Poller(Reader(settings, RULES))
    first = poller.poll(feed_id, force=True)
    assert [i.entry.guid for i in first.items] == ["g2", "g3", "g4", "g5"] and first.left == 2
    assert {i.page.outcome for i in first.items} == {"off-topic"}
    site.page("/bakery.xml", site.routes["/bakery.xml"][2], "application/rss+xml", ETag='"b2"')  # type: ignore[index]
    second = poller.poll(feed_id, force=True)
    assert [i.entry.guid for i in second.items] == ["g0", "g1"] and second.left == 0


def test_an_unchanged_feed_costs_a_304(settings: Settings, site: Site) -> None:
    settings = local(settings)
    feed_id = add(settings, site.url("/two.xml"))
    poller = Poller(Reader(settings, RULES))
    assert poller.poll(feed_id, force=True).status == "polled"
    site.routes["/two.xml"] = lambda request: _not_modified_if_asked(request, "Tue, 01 Dec 2026 08:00:00 GMT")
    again = poller.poll(feed_id, force=True)
    assert (again.status, again.items) == ("not-modified", [])
    assert site.hits["/p0"] == 1


def _not_modified_if_asked(request, stamp: str) -> None:  # type: ignore[no-untyped-def]
    status = 304 if request.headers.get("If-Modified-Since") == stamp else 500
    request.send_response(status)
    request.send_header("Content-Length", "0")
    request.end_headers()


def test_a_paused_feed_is_not_polled(settings: Settings, site: Site) -> None:
    from bot.feeds.manage import change_feed

    settings = local(settings)
    feed_id = add(settings, site.url("/two.xml"))
    assert change_feed(settings, str(feed_id), "pause").startswith("paused feed #")
    assert Poller(Reader(settings, RULES)).poll(feed_id, force=True).status == "skipped"
    assert "/two.xml" not in site.hits
