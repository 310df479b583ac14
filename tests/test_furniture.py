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


LETTER = (
    "Freight Notes: why Tidewater Lines is adding ships\n\n"
    "Tidewater Lines ordered 14 container ships worth 2.2 billion euros this week.\n\n"
    "Its fleet will reach 96 vessels by 2029.\n\n{middle}Analysts expect rates to ease.\n\n---\n{tail}"
)


def test_a_sign_off_after_the_last_break_is_not_the_article(rules) -> None:  # type: ignore[no-untyped-def]
    from bot.reading.files import read_bytes

    raw = LETTER.format(middle="", tail="Freight Notes reaches 18,500 subscribers each Friday. Pass it on.")
    text = prepare(read_bytes(raw.encode(), "letter.txt", Limits.of(Settings())), rules).text
    assert "18,500 subscribers" not in text
    assert "96 vessels by 2029" in text and "Analysts expect rates to ease." in text


@pytest.mark.parametrize(
    ("middle", "tail"),
    [
        ("", "Correction: an earlier version gave the order as 12 ships."),
        ("", "Rates fell 3% in May.\nThey rose 2% in June.\nVolumes were flat."),
        ("---\nA second part of the letter.\n\n", "Its second yard opens in 2027 with 1,100 staff."),
    ],
)
def test_article_text_after_a_break_is_kept(middle: str, tail: str, rules) -> None:  # type: ignore[no-untyped-def]
    from bot.reading.files import read_bytes

    raw = LETTER.format(middle=middle, tail=tail)
    text = prepare(read_bytes(raw.encode(), "letter.txt", Limits.of(Settings())), rules).text
    assert tail.splitlines()[0] in text
