"""A news site on 127.0.0.1 for the feed tests and the benchmark: article pages with their furniture, a syndicated
copy, a different report of the same event, an off-topic page, bad pages (slow, huge, a gzip bomb, a redirect
loop, a redirect to another loopback address, a wrong content type) and RSS 2.0, RSS 1.0, Atom and malformed
feeds. The articles are written for these tests."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PRICE_CUT = [
    "Alibaba Cloud said on Monday that it would cut the price of access to its largest Qwen language models by "
    "as much as 60 percent for business customers in China, the third reduction this year.",
    "The cloud unit of Alibaba Group said the new prices apply from December 15 to customers who call the models "
    "through its Model Studio platform, and that smaller models would become free for the first million tokens "
    "each month.",
    "Executives framed the move as a way to widen use of generative AI among manufacturers and retailers rather "
    "than a fight for market share. Rivals including Baidu have made similar cuts over the past year.",
    "Revenue at the cloud intelligence group rose 26 percent in the September quarter, helped by demand for AI "
    "computing, and the company has said it will spend more on data centres over the next three years.",
    "A spokesperson said the price cut would not change the unit's goal of reaching sustained profitability, "
    "because the cost of serving each request had fallen sharply since the spring.",
]

# The same report carried by a second outlet: another headline, paragraphs in another order, light edits.
PRICE_CUT_COPY = [
    PRICE_CUT[1].replace("The cloud unit of Alibaba Group said", "Alibaba Group's cloud unit said"),
    PRICE_CUT[0].replace("said on Monday", "said Monday"),
    PRICE_CUT[3],
    PRICE_CUT[2].replace("Rivals including Baidu", "Competitors such as Baidu"),
    PRICE_CUT[4].replace("A spokesperson", "A company spokesperson"),
]

# The same event, reported apart: the same names and figures, other words.
PRICE_CUT_ANALYSIS = [
    "Analysts in Hong Kong were divided over whether the latest round of AI price cuts by Alibaba Cloud would "
    "pay off, after the company lowered what it charges for its Qwen models by up to 60 percent.",
    "Several brokers argued that cheaper model access would draw more small firms onto Alibaba's platform and "
    "lift demand for storage and computing, where margins are wider than for the models themselves.",
    "Others warned that a price war with Baidu and ByteDance could squeeze the cloud intelligence group just as "
    "it returns to growth, noting that revenue there climbed 26 percent in the latest quarter.",
    "Shares of Alibaba Group were little changed in afternoon trading, while the broader Hang Seng Tech index "
    "slipped by less than one percent.",
]

LOGISTICS = [
    "Cainiao, the logistics arm of Alibaba Group, opened a sorting centre near Budapest that it says can handle "
    "two million parcels a day for shoppers across central Europe.",
    "The site is the company's largest in the region and will shorten delivery from its AliExpress marketplace "
    "to Hungary, Austria and Slovakia to about five working days.",
    "Cainiao said the centre uses robotic arms and computer vision to sort parcels, and that about 400 people "
    "would work there once it reaches full capacity next summer.",
    "Local officials welcomed the investment, which they said would also bring work for trucking firms and "
    "warehouse suppliers in the surrounding county.",
]

OFF_TOPIC = [
    "A family bakery chain in Lyon said it would open twelve new shops next year after sales of its sourdough "
    "loaves doubled, helped by a popular video of its morning queue.",
    "The owners plan to hire sixty bakers and to build a second flour mill outside the city, and said prices of "
    "their pastries would stay the same despite higher butter costs.",
    "Customers have travelled from as far as Geneva to taste the chain's almond croissant, which a food guide "
    "named the best in the region last spring.",
]

FURNITURE_PHRASES = (
    "We value your privacy and use cookies",
    "Tencent Music opens a concert hall",
    "Subscribe to the Morning Wire newsletter",
    "Great article, thanks for sharing",
)


def article_page(outlet: str, title: str, paragraphs: list[str], published: str = "2026-11-30") -> str:
    """An article page with its furniture: menu, cookie banner, related stories, comments, footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta property="og:title" content="{title}">
<meta name="author" content="Mei Chen"><meta property="article:published_time" content="{published}T08:00:00Z">
</head><body><header><nav><a href="/">Home</a> <a href="/tech">Technology</a> <a href="/markets">Markets</a>
<a href="/login">Sign in</a></nav></header>
<div class="cookie-banner" id="cookie-consent"><p>{FURNITURE_PHRASES[0]} to improve your experience. Accept all or
manage your choices.</p><button>Accept all</button></div>
<main><article><h1>{title}</h1><p class="byline">By Mei Chen</p>{body}</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/r1">{FURNITURE_PHRASES[1]} in Shenzhen</a></li>
<li><a href="/r2">Markets wrap: stocks drift lower</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3><div class="comment"><p>{FURNITURE_PHRASES[3]}!
Really useful.</p></div></section></main>
<footer><p>{FURNITURE_PHRASES[2]}.</p><p>Copyright 2026 {outlet}. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms</a></footer></body></html>"""


Handler = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """The server and its routes; `url(path)` is a page's address. Routes are (status, headers, body) or a
    function that answers the request itself."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes] | Handler] = {}
        self.hits: dict[str, int] = {}
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path
                site.hits[path] = site.hits.get(path, 0) + 1
                route = site.routes.get(path)
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                elif callable(route):
                    route(self)
                else:
                    status, headers, body = route
                    etag = headers.get("ETag")
                    if etag and self.headers.get("If-None-Match") == etag:
                        self._send(304, {"ETag": etag}, b"")
                    else:
                        self._send(status, headers, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    with contextlib.suppress(OSError):
                        self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def page(
        self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (200, {"Content-Type": content_type, **headers}, data)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.routes[path] = (status, {"Location": to, "Content-Type": "text/plain"}, b"")

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def slow(seconds: float) -> Handler:
    """A page whose server answers its headers then trickles the body a byte at a time."""

    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", "100000")
        request.end_headers()
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                request.wfile.write(b"<")
                request.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    return answer


def gzip_bomb(megabytes: int = 64) -> bytes:
    """A few tens of kilobytes that decompress to `megabytes` of HTML-looking zeros."""
    return gzip.compress(b"<html><body><p>" + b"0" * (megabytes * 1_000_000) + b"</p></body></html>", 9)


def rss(items: list[dict[str, str]], title: str = "Harbour Times: Technology") -> str:
    """An RSS 2.0 feed; each item: title, link, guid (optional), date (RFC 822)."""
    body = ""
    for item in items:
        guid = f'<guid isPermaLink="false">{item["guid"]}</guid>' if item.get("guid") else ""
        date = f"<pubDate>{item['date']}</pubDate>" if item.get("date") else ""
        body += f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>{guid}{date}</item>"
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://127.0.0.1/</link><description>News</description>{body}</channel></rss>"
    )


def atom(items: list[dict[str, str]], title: str = "Daily Ledger") -> str:
    """An Atom feed; each item: title, link, id, updated (ISO 8601)."""
    body = "".join(
        f'<entry><title>{escape(i["title"])}</title><link href="{escape(i["link"])}"/><id>{i["id"]}</id>'
        f"<updated>{i['updated']}</updated></entry>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
        f"<id>urn:ledger</id><updated>2026-12-01T00:00:00Z</updated>{body}</feed>"
    )


def rdf(items: list[dict[str, str]], title: str = "Budapest Wire") -> str:
    """An RSS 1.0 (RDF) feed; each item: title, link, date (ISO 8601, Dublin Core)."""
    body = "".join(
        f'<item rdf:about="{i["link"]}"><title>{i["title"]}</title><link>{i["link"]}</link>'
        f"<dc:date>{i['date']}</dc:date></item>"
        for i in items
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="urn:wire"><title>{title}</title><link>http://127.0.0.1/</link>'
        f"<description>Wire</description></channel>{body}</rdf:RDF>"
    )


def news_site(slow_seconds: float = 30.0) -> Site:
    """The site the feed tests poll: an RSS 2.0 feed at /rss.xml, an Atom feed at /atom.xml, an RSS 1.0 feed at
    /rdf.xml and a malformed one at /broken.xml; good and bad pages behind them."""
    site = Site()
    u = site.url
    site.page(
        "/harbour/alibaba-cloud-cuts-qwen-prices",
        article_page("Harbour Times", "Alibaba Cloud cuts Qwen model prices by up to 60%", PRICE_CUT),
    )
    site.page(
        "/ledger/ai-price-war-deepens",
        article_page("Daily Ledger", "China's AI price war deepens as Alibaba slashes rates", PRICE_CUT_COPY),
    )
    site.page(
        "/ledger/analysts-split-on-price-cuts",
        article_page("Daily Ledger", "Analysts split on Alibaba's AI price cuts", PRICE_CUT_ANALYSIS, "2026-12-01"),
    )
    site.page(
        "/wire/cainiao-budapest-hub",
        article_page("Budapest Wire", "Cainiao opens Budapest parcel hub", LOGISTICS, "2026-11-28"),
    )
    site.page(
        "/harbour/lyon-bakery-expands",
        article_page("Harbour Times", "Lyon bakery chain to open twelve shops", OFF_TOPIC),
    )
    site.routes["/bad/slow"] = slow(slow_seconds)
    site.page("/bad/huge", "<html><body>" + "<p>filler text</p>" * 400_000 + "</body></html>")
    site.page("/bad/bomb", gzip_bomb(), "text/html", **{"Content-Encoding": "gzip"})
    site.redirect("/bad/loop-a", u("/bad/loop-b"))
    site.redirect("/bad/loop-b", u("/bad/loop-a"))
    site.redirect("/bad/elsewhere", f"http://127.0.0.2:{site.port}/harbour/alibaba-cloud-cuts-qwen-prices")
    site.page("/bad/picture", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, "image/png")
    site.page(
        "/broken.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>x</broken>',
        "application/rss+xml",
    )
    cut = "/harbour/alibaba-cloud-cuts-qwen-prices"
    site.page(
        "/rss.xml",
        rss(
            [
                # Out of order: the newest first, an older one last.
                {
                    "title": "Lyon bakery chain to open twelve shops",
                    "link": u("/harbour/lyon-bakery-expands"),
                    "guid": "ht-5",
                    "date": "Tue, 01 Dec 2026 09:00:00 GMT",
                },
                {
                    "title": "Alibaba Cloud cuts Qwen model prices by up to 60%",
                    "link": u(cut),
                    "guid": "ht-1",
                    "date": "Mon, 30 Nov 2026 08:00:00 GMT",
                },
                {"title": "Slow page", "link": u("/bad/slow"), "guid": "ht-6", "date": "Mon, 30 Nov 2026 10:00:00 GMT"},
                {"title": "Huge page", "link": u("/bad/huge"), "guid": "ht-7", "date": "Mon, 30 Nov 2026 11:00:00 GMT"},
                {
                    "title": "Compressed bomb",
                    "link": u("/bad/bomb"),
                    "guid": "ht-8",
                    "date": "Mon, 30 Nov 2026 12:00:00 GMT",
                },
                {
                    "title": "Redirect loop",
                    "link": u("/bad/loop-a"),
                    "guid": "ht-9",
                    "date": "Mon, 30 Nov 2026 13:00:00 GMT",
                },
                {
                    "title": "Redirect elsewhere",
                    "link": u("/bad/elsewhere"),
                    "guid": "ht-10",
                    "date": "Mon, 30 Nov 2026 14:00:00 GMT",
                },
                {
                    "title": "A picture",
                    "link": u("/bad/picture"),
                    "guid": "ht-11",
                    "date": "Mon, 30 Nov 2026 15:00:00 GMT",
                },
                # The same GUID twice, and the same story again under a tracking link and another GUID.
                {
                    "title": "Alibaba Cloud cuts Qwen model prices (updated)",
                    "link": u(cut),
                    "guid": "ht-1",
                    "date": "Mon, 30 Nov 2026 08:30:00 GMT",
                },
                {
                    "title": "Alibaba Cloud cuts Qwen model prices by up to 60%",
                    "link": u(cut + "/?utm_source=rss&utm_medium=feed#top"),
                    "guid": "ht-1b",
                    "date": "Mon, 30 Nov 2026 09:00:00 GMT",
                },
                {
                    "title": "Cainiao opens Budapest parcel hub",
                    "link": u("/wire/cainiao-budapest-hub"),
                    "guid": "ht-2",
                    "date": "Sat, 28 Nov 2026 08:00:00 GMT",
                },
            ]
        ),
        "application/rss+xml; charset=utf-8",
        ETag='"rss-v1"',
    )
    site.page(
        "/atom.xml",
        atom(
            [
                {
                    "title": "Analysts split on Alibaba's AI price cuts",
                    "link": u("/ledger/analysts-split-on-price-cuts"),
                    "id": "urn:ledger:2",
                    "updated": "2026-12-01T08:00:00Z",
                },
                {
                    "title": "China's AI price war deepens as Alibaba slashes rates",
                    "link": u("/ledger/ai-price-war-deepens"),
                    "id": "urn:ledger:1",
                    "updated": "2026-11-30T12:00:00Z",
                },
            ]
        ),
        "application/atom+xml",
    )
    site.page(
        "/rdf.xml",
        rdf(
            [
                {
                    "title": "Cainiao opens Budapest parcel hub",
                    "link": u("/wire/cainiao-budapest-hub"),
                    "date": "2026-11-28T08:00:00Z",
                }
            ]
        ),
        "application/rdf+xml",
    )
    return site
