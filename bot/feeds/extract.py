"""A fetched page as a document the reading pipeline takes: trafilatura finds the article in the page (menus,
cookie banners, related stories, comments and footers stay out) with its title, author, date and site name."""

from __future__ import annotations

from bot.feeds.fetch import Fetched
from bot.feeds.urls import host_of
from bot.reading.files import DocumentError, RawDocument
from bot.reading.files.text import decode

MIN_TEXT_CHARS = 200  # less than this once the furniture is out is no article (a landing page, a paywall stub)


def page_name(url: str) -> str:
    """How the article's file name reads: its host and path ("news.example/2026/acme-deal")."""
    host = host_of(url)
    path = url.split(host, 1)[-1].split("?", 1)[0].strip("/") if host else ""
    return (f"{host}/{path}" if path else host or url)[:300]


def page_document(fetched: Fetched) -> RawDocument:
    """The article of the page, or a `DocumentError` saying why there is none."""
    if fetched.kind == "xml":
        raise DocumentError("the link is a feed (XML), not an article page; follow it with `feed add`")
    name = page_name(fetched.url)
    if fetched.kind == "text":
        text = decode(fetched.body)
        title = author = date = site = None
    else:
        import trafilatura  # about 0.15 s to import; only a fetched page needs it

        found = trafilatura.bare_extraction(
            fetched.body,
            url=fetched.url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            favor_precision=True,
            deduplicate=False,  # True would drop text seen in an earlier page of this process
        )
        if found is None or isinstance(found, dict):
            raise DocumentError("no article text found on the page")
        text = found.text or ""
        title, author, date, site = found.title, found.author, found.date, found.sitename
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise DocumentError(
            f"no article text found on the page (under {MIN_TEXT_CHARS} characters once page furniture is out)"
        )
    meta = {"author": author} if author else {}
    return RawDocument(
        text=text,
        name=name,
        title=(title or None),
        published=(date or None),
        source=(site or host_of(fetched.url) or None),
        url=fetched.url,
        meta=meta,
    )
