"""The fetcher against a real server on 127.0.0.1: good pages come back decompressed, bad ones are refused or fail
with a one-line reason in bounded time and memory; the address check is on the address connected to, redirects
included; links are normalised so that a changed spelling is the same page."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from collections.abc import Iterator

import pytest

from bot.feeds.fetch import FetchError, Policy, address_refusal, fetch
from bot.feeds.urls import normalise_url
from tests.feeds_site import Site, gzip_bomb, news_site

LOCAL = Policy(allowed_private=frozenset({"127.0.0.1"}), max_bytes=1_000_000, connect_timeout=2, total_timeout=2)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    site = news_site(slow_seconds=10)
    site.page(
        "/gz",
        gzip.compress(b"<html><body><p>packed page</p></body></html>"),
        "text/html",
        **{"Content-Encoding": "gzip"},
    )
    site.page("/notes.txt", "plain words", "text/plain; charset=utf-8")
    site.routes["/trickle-headers"] = _trickle_headers
    for n in range(7):
        site.redirect(f"/hop{n}", site.url(f"/hop{n + 1}"))
    site.page("/hop7", "<html><body>end of the chain</body></html>")
    site.page("/etag", "<html><body>v1</body></html>", ETag='"v1"')
    site.start()
    yield site
    site.stop()


def _trickle_headers(request) -> None:  # type: ignore[no-untyped-def]
    """A server that sends its status line and then one header byte every 0.1 s, for ever."""
    try:
        request.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(600):
            request.wfile.write(b"X")
            request.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def refusal(site: Site, path: str, policy: Policy = LOCAL) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(site.url(path), policy)
    return caught.value


@pytest.mark.parametrize(
    ("path", "is_refused", "reason"),
    [
        ("/bad/huge", True, "over the limit of 1,000,000"),
        ("/bad/bomb", True, "over the limit of 1,000,000 bytes"),
        ("/bad/loop-a", True, "redirect loop"),
        ("/bad/elsewhere", True, "127.0.0.2 is a loopback address"),
        ("/bad/picture", True, "content type image/png"),
        ("/bad/slow", False, "timed out"),
        ("/trickle-headers", False, "timed out"),
        ("/hop0", True, "more than 5 redirects"),
        ("/missing", False, "HTTP 404"),
    ],
)
def test_a_bad_page_is_refused_with_its_reason_in_bounded_time(
    site: Site, path: str, is_refused: bool, reason: str
) -> None:
    start = time.monotonic()
    error = refusal(site, path)
    assert time.monotonic() - start < LOCAL.total_timeout + 1.5
    assert reason in str(error) and "\n" not in str(error)
    assert error.refused is is_refused


def test_a_compressed_bomb_never_expands_in_memory(site: Site) -> None:
    tracemalloc.start()
    try:
        refusal(site, "/bad/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(gzip_bomb()) < 200_000  # the bomb is small on the wire: only the decompressed count catches it
    assert peak < 4 * LOCAL.max_bytes


def test_a_good_page_comes_back_decompressed_with_its_kind(site: Site) -> None:
    page = fetch(site.url("/gz"), LOCAL)
    assert (page.kind, page.body) == ("html", b"<html><body><p>packed page</p></body></html>")
    assert fetch(site.url("/notes.txt"), LOCAL).kind == "text"
    assert fetch(site.url("/rss.xml"), LOCAL).kind == "xml"


def test_five_redirects_are_followed(site: Site) -> None:
    page = fetch(site.url("/hop2"), LOCAL)
    assert page.url == site.url("/hop7") and b"end of the chain" in page.body


def test_a_conditional_fetch_of_an_unchanged_page_has_no_body(site: Site) -> None:
    first = fetch(site.url("/etag"), LOCAL)
    again = fetch(site.url("/etag"), LOCAL, etag=first.etag)
    assert (first.etag, again.not_modified, again.body) == ('"v1"', True, b"")


def test_loopback_is_refused_unless_listed(site: Site) -> None:
    error = refusal(site, "/gz", Policy())
    assert error.refused and str(error) == "refused: 127.0.0.1 is a loopback address"
    # By name: the check is on the address the name resolves to (127.0.0.1 or ::1), and 127.0.0.2 is not that.
    with pytest.raises(FetchError, match=r"^refused: localhost resolves to .*, a loopback address$"):
        fetch(f"http://localhost:{site.port}/gz", Policy(allowed_private=frozenset({"127.0.0.2"})))


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url, LOCAL)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.0.0.8", "private"),
        ("172.16.4.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
    ],
)
def test_every_non_public_address_is_refused(address: str, kind: str) -> None:
    reason = address_refusal(address, "host.example", Policy())
    assert reason is not None and reason.endswith(f"{kind} address")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_a_public_address_passes(address: str) -> None:
    assert address_refusal(address, "host.example", Policy()) is None


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("http://News.Example.com/a/b/", "https://news.example.com/a/b"),
        ("https://www.news.example.com:443/a?utm_source=x&utm_campaign=y", "https://news.example.com/a"),
        ("https://news.example.com/a?b=2&a=1&fbclid=Z&gclid=Q#para-3", "https://news.example.com/a?a=1&b=2"),
        ("http://news.example.com:80/", "https://news.example.com/"),
        ("http://news.example.com:8080/A", "https://news.example.com:8080/A"),
    ],
)
def test_a_link_is_normalised(url: str, normal: str) -> None:
    assert normalise_url(url) == normal
