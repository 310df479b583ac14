"""Page furniture in web pages (navigation, related stories, counters, promotion boxes) never becomes article text;
the article's own paragraphs, headings and title stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.reading.articles import prepare
from bot.reading.files import read_path
from bot.reading.files.base import Limits
from bot.settings import Settings

PAGES = Path(__file__).parent / "fixtures" / "furniture"


def _text(name: str, rules) -> str:  # type: ignore[no-untyped-def]
    return prepare(read_path(PAGES / name, Limits.of(Settings())), rules).text


@pytest.mark.parametrize(
    ("name", "kept", "dropped"),
    [
        (
            "harbour_grid.html",
            [
                "Harbour Grid lifts turbine orders by 18%",
                "worth 4.6 billion kronor in the quarter to March",
                "Gothenburg maker",
                "Its order backlog reached 31 billion kronor",
                "margins near 9% for the full year",
            ],
            [
                "61 vendors",
                "7 min read",
                "3,400 shares",
                "52,000 readers",
                "87 comments",
                "Fjord Cable",
                "Solar prices",
                "Utility shares",
                "49 kronor",
                "Front page",
                "Wind",
            ],
        ),
        (
            "plain_page.html",
            [
                "Orchard Lane Foods sales climb to 840 million pounds",
                "helped by 120 new stores",
                "growth of 6% in Wales",
            ],
            ["Updated 14 March", "1,250 comments", "5 min read", "300 jobs", "3% price rise", "9-year high", "Home"],
        ),
    ],
)
def test_only_the_articles_own_text_is_kept(name: str, kept: list[str], dropped: list[str], rules) -> None:  # type: ignore[no-untyped-def]
    text = _text(name, rules)
    for snippet in kept:
        assert snippet in text
    for snippet in dropped:
        assert snippet not in text


@pytest.mark.parametrize(
    "line",
    [
        "128 comments",
        "Comments (57)",
        "Join the conversation: 12 comments",
        "2.4k shares",
        "Share 9,100 readers",
        "4 min read",
        "11 minute read",
        "Updated 3 hours ago",
        "Last updated: 2 June 2026 10:15 BST",
        "Published 21 April 2026",
    ],
)
def test_counter_and_metadata_lines_are_furniture(line: str, rules) -> None:  # type: ignore[no-untyped-def]
    from bot.reading.articles import _is_boilerplate

    assert _is_boilerplate(line, rules)


@pytest.mark.parametrize(
    "line",
    [
        "The forum now has 9,100 readers a day.",
        "Updated guidance calls for 5% growth.",
        "Shares rose 4% after the results.",
        "Comments from the chief executive lifted the stock 3%.",
    ],
)
def test_prose_about_counts_is_kept(line: str, rules) -> None:  # type: ignore[no-untyped-def]
    from bot.reading.articles import _is_boilerplate

    assert not _is_boilerplate(line, rules)
