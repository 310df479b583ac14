"""Each story once, on SQLite and PostgreSQL, with the real pipeline: a link read again under another spelling is
not fetched, a syndicated copy becomes another outlet of its story, and another report of the same event is a story
of its own."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.feeds.pages import Reader
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Article, StoryBand
from bot.store.stories import story_outlets
from tests.conftest import RULES
from tests.feeds_site import PRICE_CUT, Site, article_page, news_site

CUT = "/harbour/alibaba-cloud-cuts-qwen-prices"


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    site = news_site(slow_seconds=5).start()
    yield site
    site.stop()


@pytest.mark.both_backends
def test_each_story_is_stored_once_with_its_outlets(settings: Settings, site: Site, nlp: object) -> None:
    settings = dataclasses.replace(settings, fetch_allowed_private_hosts=frozenset({"127.0.0.1"}))
    reader = Reader(settings, RULES)
    first = reader.read_url(site.url(CUT))
    assert first.outcome == "indexed" and first.article_id is not None
    hits = site.hits[CUT]
    https = site.url(CUT).replace("http://", "https://") + "/?utm_campaign=x&fbclid=y#comments"
    again = reader.read_url(https)
    assert (again.outcome, again.article_id, site.hits[CUT]) == ("duplicate", first.article_id, hits)
    copy = reader.read_url(site.url("/ledger/ai-price-war-deepens"))
    assert (copy.outcome, copy.article_id) == ("near-duplicate", first.article_id)
    assert copy.similarity is not None and copy.similarity >= 0.4
    assert reader.read_url(site.url("/ledger/ai-price-war-deepens")).outcome == "duplicate"  # the copy's link
    site.page(  # the same words at a third outlet
        "/mirror/cut", article_page("Mirror News", "Alibaba Cloud cuts Qwen model prices by up to 60%", PRICE_CUT)
    )
    mirror = reader.read_url(site.url("/mirror/cut"))
    assert (mirror.outcome, mirror.article_id) == ("duplicate", first.article_id)
    assert mirror.reason.startswith("same text as")
    other = reader.read_url(site.url("/ledger/analysts-split-on-price-cuts"))
    assert other.outcome == "indexed" and other.article_id != first.article_id
    with session_scope(settings.database_url) as session:
        assert story_outlets(session, first.article_id) == ["Harbour Times", "Daily Ledger", "Mirror News"]
        assert len(session.scalars(select(Article)).all()) == 2
        bands = session.scalars(select(StoryBand.article_id)).all()
        assert sorted(set(bands)) == sorted({first.article_id, other.article_id}) and len(bands) == 64


def test_a_copy_of_an_uploaded_article_is_recognised(settings: Settings, site: Site, nlp: object) -> None:
    """Every article keeps its bands, whatever way it came in: a feed's copy of an upload is a copy."""
    settings = dataclasses.replace(settings, fetch_allowed_private_hosts=frozenset({"127.0.0.1"}))
    reader = Reader(settings, RULES)
    text = "Alibaba Cloud cuts Qwen model prices by up to 60%\n\n" + "\n\n".join(PRICE_CUT)
    upload = reader.ingestor.ingest_bytes(text.encode(), "qwen-prices.txt")
    assert upload.status == "new"
    copy = reader.read_url(site.url("/ledger/ai-price-war-deepens"))
    assert (copy.outcome, copy.article_id) == ("near-duplicate", upload.article_id)
