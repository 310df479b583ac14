"""Sentence search with bounded work: the expression evaluated over the newest span of the index must give the
newest matches, in order, nothing skipped and nothing false, on SQLite and on PostgreSQL.

The truth is computed here by reading every sentence; the search under test reads the index. To reach the
bounded path on a small corpus, the thresholds are lowered (every word counts as common)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import event, text

from bot.settings import Settings
from bot.store import search
from bot.store.db import session_scope
from bot.store.models import Article, Sentence
from bot.store.packed import unpack
from bot.store.search import (
    Group,
    essential_alternatives,
    group_expression,
    lookup_cache,
    match_expression,
    parse,
    stem_line,
    window,
)

VOCAB = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
FILLER = ["and", "of", "the"]


pytestmark = pytest.mark.both_backends  # and on PostgreSQL when one is reachable


@pytest.fixture()
def corpus(settings: Settings) -> str:
    """60 articles of 10 sentences of random words (with stop words between), and the word counts ingest keeps."""
    url = settings.database_url
    rng = random.Random(7)
    with session_scope(url) as session:
        counts: Counter[str] = Counter()
        for a in range(60):
            article = Article(title=f"a{a}", text_hash=f"{a:064d}", added_at=datetime(2026, 1, 1))
            session.add(article)
            session.flush()
            used: set[str] = set()
            for i in range(10):
                tokens = []
                for _ in range(rng.randint(4, 9)):
                    tokens.append(rng.choice(VOCAB))
                    if rng.random() < 0.3:
                        tokens.append(rng.choice(FILLER))
                sentence = " ".join(tokens).capitalize() + "."
                used |= {t for t in tokens if len(t) > 2}
                session.add(Sentence(article_id=article.id, position=i, start=0, end=len(sentence), text=sentence))
            counts.update(used)
        session.execute(
            text("INSERT INTO terms(term, df) VALUES (:t, :n)"), [{"t": t, "n": n} for t, n in counts.items()]
        )
    return url


def _truth(url: str, expression: str) -> list[int]:
    node = parse(expression)
    with session_scope(url) as session:
        rows = session.execute(text("SELECT id, text FROM sentences ORDER BY id DESC")).all()
    return [int(sid) for sid, t in rows if node.matches(stem_line(str(unpack(t))))]


EXPRESSIONS = [
    match_expression([Group("a", ("alpha",)), Group("b", ("bravo", "charlie"))]),
    match_expression([Group("a", ("delta echo",)), Group("b", ("foxtrot",))]),
    match_expression([Group("a", ("golf and hotel",)), Group("b", ("india", "juliet"))]),  # a phrase with a stop word
    match_expression([Group("a", ("alpha",)), Group("b", ("bravo",)), Group("c", ("charlie",))]),
    match_expression([Group("a", ("alpha of the bravo", "juliet")), Group("b", ("echo",))]),
    match_expression([Group("a", ("hotel india",)), Group("b", ("alpha golf",))], "OR"),
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_bounded_search_finds_the_newest_matches_exactly(
    corpus: str, expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "COMMON_ARTICLES", 1)  # every AND is "broad": the bounded path runs
    truth = _truth(corpus, expression)
    assert truth, expression  # the corpus holds matches of every expression
    with session_scope(corpus) as session:
        for limit in (3, 10, 40):
            # The span reaches the whole corpus here (600 sentences): the answer is the truth's newest `limit`.
            assert search.candidate_sentences(session, expression, limit=limit) == truth[:limit], (expression, limit)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_a_shallow_span_never_skips_or_invents_a_match(
    corpus: str, expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tiny windows and caps: the span ends above the oldest sentences, so the search may find fewer, but what it
    # finds must be the newest matches with none missing in between.
    monkeypatch.setattr(window, "COMMON_ARTICLES", 1)
    monkeypatch.setattr(window, "PROBE_WINDOW", 4)
    monkeypatch.setattr(window, "SPAN_CAP", 30)
    monkeypatch.setattr(window, "DENSE_DEPTH", 0)  # never hand over to the index's own AND
    truth = _truth(corpus, expression)
    with session_scope(corpus) as session:
        for limit in (3, 10, 40):
            found = search.candidate_sentences(session, expression, limit=limit)
            assert found == truth[: len(found)], (expression, limit)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_the_index_path_agrees_with_the_truth(corpus: str, expression: str) -> None:
    # The default thresholds: these few articles are rare, so the index evaluates the expression itself.
    truth = _truth(corpus, expression)
    with session_scope(corpus) as session:
        assert search.candidate_sentences(session, expression, limit=25) == truth[:25]


def test_an_or_searches_each_alternative_once() -> None:
    # "Acme Group Holding" matches only where "Acme" does; "quarters" stems as "quarter" does.
    assert essential_alternatives(["Acme Group Holding", "Acme", "ACME Group", "quarters", "quarter"]) == [
        "Acme",
        "quarter",
    ]
    assert essential_alternatives(["cloud revenue", "revenue cloud"]) == ["cloud revenue", "revenue cloud"]
    assert group_expression(Group("x", ("Beta Corp", "Beta"), related=("Beta Corp International",))) == '("Beta")'


def test_a_phrase_with_a_stop_word_keeps_its_order() -> None:
    node = parse('"golf and hotel"')
    assert node.matches(stem_line("Golf and hotel, then india."))
    assert not node.matches(stem_line("Hotel and golf."))
    assert not node.matches(stem_line("Golf, hotel and more."))
    assert parse('"Société Générale"').matches(stem_line("Shares of Societe Generale fell."))


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_a_lookup_reads_a_search_once_and_answers_as_a_fresh_read(
    corpus: str, expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Short windows and walks: the PostgreSQL reads go range by range, the limits ask for more and for fewer than
    # the read before, and every answer is the one a search outside the lookup gives.
    monkeypatch.setattr(search.TsvectorSearch, "RECENT_ROWS", 40)
    monkeypatch.setattr(search.TsvectorSearch, "SHALLOW_WALK", 120)
    monkeypatch.setattr(search.TsvectorSearch, "MAX_WALK", 200)
    limits = (10, 3, 40, 25, 3, 60)
    with session_scope(corpus) as session:
        fresh = [search.candidate_sentences(session, expression, limit=limit) for limit in limits]
    statements: list[str] = []
    with session_scope(corpus) as session, search.lookup(session):
        event.listen(session.connection(), "before_cursor_execute", lambda *a: statements.append(a[2]))
        assert [search.candidate_sentences(session, expression, limit=limit) for limit in limits] == fresh
        before = len(statements)
        assert search.candidate_sentences(session, expression, limit=40) == fresh[2]
        index_reads = [s for s in statements[before:] if "MATCH" in s or "@@" in s or "max(id)" in s]
        assert index_reads == []  # asked before: the index is not read again
    assert lookup_cache._LOOKUP not in session.info
