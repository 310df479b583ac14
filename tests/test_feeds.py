"""Feeds end to end, through the command line the way an admin runs it: `python -m bot feeds add|list|poll --json`
against RSS 2.0, Atom, RSS 1.0 and malformed feeds on a local site, with the real parser, extractor and database.
Each story is indexed once, a syndicated copy is reported as a copy of its story, every bad page is refused or
fails with a reason, and nothing of the page furniture or of a refused page can be found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.settings import PROJECT_ROOT
from bot.store.db import session_scope
from bot.store.models import Article, Feed, Sentence
from bot.store.stories import story_outlets
from tests.feeds_site import FURNITURE_PHRASES, Site, news_site

CUT = "/harbour/alibaba-cloud-cuts-qwen-prices"


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "FETCH_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "FETCH_TIMEOUT_SECONDS": "2",
        "FETCH_MAX_BYTES": "1000000",
        "SLACK_BOT_TOKEN": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT
    )


@dataclass
class Polled:
    site: Site
    db: Path
    first: list[dict[str, object]]
    second: list[dict[str, object]]
    seconds: float
    hits_after_first: dict[str, int]

    def outcome(self, path: str, rows: list[dict[str, object]] | None = None) -> list[str]:
        url = self.site.url(path)
        return [str(r["outcome"]) for r in (self.first if rows is None else rows) if r["link"] == url]

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db}"


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polled]:
    site = news_site(slow_seconds=30).start()
    db = tmp_path_factory.mktemp("feeds") / "feeds.db"
    for path, name in (
        ("/rss.xml", "Harbour Times"),
        ("/atom.xml", "Daily Ledger"),
        ("/rdf.xml", ""),
        ("/broken.xml", ""),
    ):
        args = ["feeds", "add", site.url(path)] + (["--name", name] if name else [])
        added = cli(db, *args)
        assert added.returncode == 0, added.stderr
    start = time.monotonic()
    first = cli(db, "feeds", "poll", "--json")
    seconds = time.monotonic() - start
    hits = dict(site.hits)
    second = cli(db, "feeds", "poll", "--json")  # a new process: a restart
    yield Polled(
        site,
        db,
        [json.loads(line) for line in first.stdout.splitlines()],
        [json.loads(line) for line in second.stdout.splitlines()],
        seconds,
        hits,
    )
    site.stop()


def test_every_item_has_its_link_guid_title_outcome_and_reason(polled: Polled) -> None:
    for row in polled.first:
        assert {"link", "guid", "title", "outcome", "reason"} <= row.keys()
        assert row["outcome"] in ("indexed", "duplicate", "near-duplicate", "off-topic", "refused", "failed")
        assert row["outcome"] == "indexed" or row["reason"]


def test_each_story_is_indexed_once(polled: Polled) -> None:
    indexed = sorted(str(r["link"]).rsplit("/", 1)[-1] for r in polled.first if r["outcome"] == "indexed")
    assert indexed == ["alibaba-cloud-cuts-qwen-prices", "analysts-split-on-price-cuts", "cainiao-budapest-hub"]
    with session_scope(polled.url) as session:
        assert len(session.scalars(select(Article)).all()) == 3


def test_a_repeated_guid_a_tracking_link_and_another_feed_s_link_are_duplicates(polled: Polled) -> None:
    assert polled.outcome(CUT) == ["indexed", "duplicate"]  # the feed lists GUID ht-1 twice
    assert polled.outcome(CUT + "/?utm_source=rss&utm_medium=feed#top") == ["duplicate"]
    wire = [r for r in polled.first if r["link"] == polled.site.url("/wire/cainiao-budapest-hub")]
    assert [(r["feed"], r["outcome"]) for r in wire] == [(1, "indexed"), (3, "duplicate")]


def test_a_syndicated_copy_is_reported_as_a_copy_of_its_story(polled: Polled) -> None:
    (copy,) = [r for r in polled.first if r["link"] == polled.site.url("/ledger/ai-price-war-deepens")]
    (original,) = [r for r in polled.first if r["link"] == polled.site.url(CUT) and r["outcome"] == "indexed"]
    assert copy["outcome"] == "near-duplicate"
    assert copy["of"] == {
        "article_id": original["article_id"],
        "title": "Alibaba Cloud cuts Qwen model prices by up to 60%",
    }
    with session_scope(polled.url) as session:
        assert story_outlets(session, int(str(original["article_id"]))) == ["Harbour Times", "Daily Ledger"]


def test_another_report_of_the_same_event_is_its_own_story(polled: Polled) -> None:
    assert polled.outcome("/ledger/analysts-split-on-price-cuts") == ["indexed"]


@pytest.mark.parametrize(
    ("path", "outcome", "reason"),
    [
        ("/bad/slow", "failed", "timed out"),
        ("/bad/huge", "refused", "over the limit"),
        ("/bad/bomb", "refused", "over the limit"),
        ("/bad/loop-a", "refused", "redirect loop"),
        ("/bad/elsewhere", "refused", "127.0.0.2 is a loopback address"),
        ("/bad/picture", "refused", "content type image/png"),
        ("/harbour/lyon-bakery-expands", "off-topic", "names neither Alibaba Group"),
    ],
)
def test_a_bad_or_off_topic_page_is_skipped_with_its_reason(
    polled: Polled, path: str, outcome: str, reason: str
) -> None:
    (row,) = [r for r in polled.first if r["link"] == polled.site.url(path)]
    assert row["outcome"] == outcome and reason in str(row["reason"]) and row["article_id"] is None


def test_a_malformed_feed_fails_with_its_reason_and_the_others_go_on(polled: Polled) -> None:
    (row,) = [r for r in polled.first if r["link"] == polled.site.url("/broken.xml")]
    assert row["outcome"] == "failed" and "not well-formed XML" in str(row["reason"])
    assert polled.seconds < 60  # a slow page costs its time-out, not the run


def test_nothing_of_the_furniture_or_of_a_refused_page_is_stored(polled: Polled) -> None:
    with session_scope(polled.url) as session:
        text = " ".join(session.scalars(select(Sentence.text)))
        urls = set(session.scalars(select(Article.url)))
    assert "Qwen" in text and "Cainiao" in text
    for phrase in (*FURNITURE_PHRASES, "Related stories", "All rights reserved", "Accept all", "sourdough"):
        assert phrase not in text
    assert all("/bad/" not in str(u) for u in urls)


def test_a_second_run_reads_nothing_again(polled: Polled) -> None:
    """A restart resumes: the RSS feed answers 304 (its ETag), the others list only items already read; no item
    page is fetched again. The malformed feed fails again, as it should."""
    assert [(r["link"], r["outcome"]) for r in polled.second] == [(polled.site.url("/broken.xml"), "failed")]
    for path in (CUT, "/wire/cainiao-budapest-hub", "/ledger/ai-price-war-deepens"):
        assert polled.site.hits[path] == polled.hits_after_first[path]
    assert polled.site.hits["/rss.xml"] == polled.hits_after_first["/rss.xml"] + 1


def test_feeds_list_shows_each_feed_s_counts_and_errors(polled: Polled) -> None:
    rows = [json.loads(line) for line in cli(polled.db, "feeds", "list", "--json").stdout.splitlines()]
    by_name = {r["name"] or r["url"].rsplit("/", 1)[-1]: r for r in rows}
    assert (by_name["Harbour Times"]["seen"], by_name["Harbour Times"]["indexed"]) == (10, 2)
    assert by_name["Harbour Times"]["last_success"] and by_name["Harbour Times"]["last_error"] is None
    assert "not well-formed" in by_name["broken.xml"]["last_error"] and by_name["broken.xml"]["last_success"] is None


def test_removing_a_feed_keeps_its_articles(polled: Polled) -> None:
    removed = cli(polled.db, "feeds", "remove", polled.site.url("/rdf.xml"))
    assert removed.returncode == 0 and "the articles read from it stay" in removed.stdout
    with session_scope(polled.url) as session:
        assert len(session.scalars(select(Article)).all()) == 3
        assert [f.url.rsplit("/", 1)[-1] for f in session.scalars(select(Feed).order_by(Feed.id))] == [
            "rss.xml",
            "atom.xml",
            "broken.xml",
        ]
    again = cli(polled.db, "feeds", "remove", polled.site.url("/rdf.xml"))
    assert again.returncode == 2 and again.stderr.startswith("error: no feed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["feeds", "add", "ftp://news.example/feed"], "only http and https"),
        (["feeds", "add", "http://news.example:port/feed"], "not a valid link"),
        (["feeds", "pause", "99"], "no feed '99'"),
    ],
)
def test_a_bad_feed_command_says_why_and_changes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    result = cli(tmp_path / "bad.db", *args)
    assert result.returncode == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert cli(tmp_path / "bad.db", "feeds", "list", "--json").stdout == ""


def test_the_digest_lists_a_story_once_with_the_other_outlets(polled: Polled) -> None:
    digest = json.loads(cli(polled.db, "digest", "--json").stdout)
    listed = {a["title"]: a["also_in"] for a in digest["articles"]}
    assert listed == {
        "Alibaba Cloud cuts Qwen model prices by up to 60%": ["Daily Ledger"],
        "Cainiao opens Budapest parcel hub": [],
        "Analysts split on Alibaba's AI price cuts": [],
    }
