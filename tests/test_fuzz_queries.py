"""Fuzzing lookups: unicode, FTS5 syntax, SQL, Slack markup and huge inputs are answered without an error, leave
the database as it was, and never plan more than MAX_QUERY_TERMS words (the rest is ignored, with a note)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from bot.answering.answers import Answerer
from bot.answering.query import MAX_QUERY_CHARS, MAX_QUERY_TERMS, Lexicon, clean_query, plan_query
from bot.rules import Rules
from bot.store.db import session_scope
from tests import hostile
from tests.conftest import RULES

hostile.load_fuzz_profile()

FRAGMENTS = st.sampled_from(
    [
        # FTS5 syntax
        '"',
        "*",
        "NEAR(",
        "AND",
        "OR",
        "NOT",
        "^",
        ":",
        "(",
        ")",
        "{",
        "}",
        "col:",
        "-",
        "+",
        "NEAR/2",
        # SQL
        "'; DROP TABLE articles; --",
        "' OR 1=1 --",
        "UNION SELECT",
        "%",
        "_",
        "\\",
        "/*",
        "*/",
        # Slack markup
        "<!channel>",
        "<!here>",
        "<@U0123ABC>",
        "<#C0123|general>",
        "<https://evil.example|click>",
        "*bold*",
        "_it_",
        "~strike~",
        "`code`",
        "```",
        "&lt;",
        "&amp;",
        ">",
        "<",
        # words the corpus knows, so some queries reach the figure and passage paths
        "capex",
        "Eddie Wu",
        "cloud revenue",
        "Qwen",
        "employees",
        "billion",
        "2025",
        "who is",
        "/alibaba",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(FRAGMENTS, st.text(min_size=1, max_size=12)), max_size=40).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=2_000, max_size=12_000),
    st.integers(50, 4_000).map(lambda n: " ".join(f"w{i}x" for i in range(n))),
)


@pytest.fixture(scope="module")
def answerer(seeded) -> Answerer:  # type: ignore[no-untyped-def]
    return Answerer(seeded, RULES)


def database_digest(answerer: Answerer) -> str:
    """Every row of every table, hashed: a lookup must change nothing."""
    digest = hashlib.sha256()
    with session_scope(answerer.settings.database_url) as s:
        # The search index's own tables with a rowid (its data); not the virtual table, which keeps no text.
        tables = (
            s.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                    "AND sql NOT LIKE 'CREATE VIRTUAL%' AND sql NOT LIKE '%WITHOUT ROWID%' "
                    "ORDER BY name"
                )
            )
            .scalars()
            .all()
        )
        for table in tables:
            for row in s.execute(text(f'SELECT * FROM "{table}" ORDER BY rowid')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def before(answerer: Answerer) -> str:
    return database_digest(answerer)


@given(QUERIES)
def test_any_query_is_answered_and_bounded(answerer: Answerer, before: str, query: str) -> None:
    answer = answerer.ask(query)
    assert answer.kind in {"figure", "entity", "passages", "none", "help"}
    assert isinstance(answer.text, str) and answer.text
    assert len(answer.query) <= MAX_QUERY_CHARS
    with session_scope(answerer.settings.database_url) as s:
        plan = plan_query(clean_query(query), answerer.rules, answerer.lexicon(s))
    assert len(plan.groups) + len(plan.unknown) <= MAX_QUERY_TERMS


def test_lookups_changed_nothing(answerer: Answerer, before: str) -> None:
    for query in ("capex", "'; DROP TABLE articles; --", "<!channel> capex", "x" * 10_000):
        answerer.ask(query)
    assert database_digest(answerer) == before


def test_a_query_of_thousands_of_words_reads_the_first_ones_and_says_so(rules: Rules) -> None:
    lexicon = Lexicon({}, {"revenue", "cloud"}, {"revenu", "cloud"}, ["cloud", "revenue"])
    query = "cloud revenue " + " ".join(f"zq{i}x" for i in range(3_000))
    plan = plan_query(clean_query(query), rules, lexicon)
    assert [g.label for g in plan.groups][:2] == ["cloud", "revenue"]
    assert len(plan.groups) + len(plan.unknown) == MAX_QUERY_TERMS
    assert plan.notes == [f"Only the first {MAX_QUERY_TERMS} words of the question were read; the rest was ignored."]
    short = plan_query("cloud revenue", rules, lexicon)
    assert short.notes == [] and len(short.groups) == 2


def test_one_token_holding_many_words_is_bounded_too(rules: Rules) -> None:
    lexicon = Lexicon({}, set(), set(), [])
    plan = plan_query("-".join(f"zq{i}x" for i in range(60)), rules, lexicon)
    assert len(plan.unknown) <= MAX_QUERY_TERMS and plan.notes


def test_the_note_reaches_the_answer(answerer: Answerer) -> None:
    answer = answerer.ask("capex " + "again " * 60)
    assert any("the rest was ignored" in note for note in answer.notes)
    assert "the rest was ignored" not in " ".join(answerer.ask("capex").notes)
