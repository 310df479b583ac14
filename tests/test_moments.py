"""Reading the moment a question asks about: as of, known by, since, now; and the question left without it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answering.figure_select import read_wish
from bot.answering.moments import read_moment
from bot.reading.dates import WrittenDate, leading_date
from bot.reading.measures import vocabulary_of
from tests.conftest import RULES

NEWEST = date(2025, 8, 29)  # the newest article's date: dates without a year are read against it
TODAY = date(2026, 1, 15)
D = date.fromisoformat


@pytest.mark.parametrize(
    ("query", "rest", "form", "when"),
    [
        ("capex as of March 2025", "capex", "as_of", D("2025-03-31")),  # a month is its last day
        ("cloud growth as of 2025-03-01", "cloud growth", "as_of", D("2025-03-01")),
        ("cloud growth as of March 1, 2025", "cloud growth", "as_of", D("2025-03-01")),
        ("revenue as of 1 March 2025", "revenue", "as_of", D("2025-03-01")),
        ("revenue as at 2024-09-30", "revenue", "as_of", D("2024-09-30")),
        ("revenue as of Q4 2024", "revenue", "as_of", D("2024-12-31")),
        ("revenue as of the fourth quarter of 2024", "revenue", "as_of", D("2024-12-31")),
        ("revenue as of the end of 2024", "revenue", "as_of", D("2024-12-31")),
        ("as of 2024 capex", "capex", "as_of", D("2024-12-31")),
        ("revenue at the end of June 2025", "revenue", "as_of", D("2025-06-30")),
        ("capex by the end of 2024", "capex", "as_of", D("2024-12-31")),
        ("capex as of 2026-06-30", "capex", "as_of", D("2026-06-30")),  # "as of" may look past the articles
        ("cloud revenue as of December", "cloud revenue", "as_of", D("2024-12-31")),  # not after the newest
        ("what did we know about Qwen on June 1", "Qwen", "known_by", D("2025-06-01")),
        ("what did we know about Qwen by 2025-05-01", "Qwen", "known_by", D("2025-05-01")),
        ("what was known about Qwen by May 2025", "Qwen", "known_by", D("2025-05-31")),
        ("revenue as reported by 2025-06-01", "revenue", "known_by", D("2025-06-01")),
        ("capex known by July 2025", "capex", "known_by", D("2025-07-31")),
        ("since June", "", "since", D("2025-06-01")),  # a month after "since" is its first day
        ("what changed since 2025-06-01", "", "since", D("2025-06-01")),
        ("what has changed in cloud revenue since June 2025", "cloud revenue", "since", D("2025-06-01")),
        ("changes to capex since 2025-07-15", "capex", "since", D("2025-07-15")),
        ("capex since the start of 2025", "capex", "since", D("2025-01-01")),
        ("cloud revenue after March 2025", "cloud revenue", "since", D("2025-03-01")),
    ],
)
def test_a_moment_is_read_and_taken_out_of_the_question(query: str, rest: str, form: str, when: date) -> None:
    moment = read_moment(query, NEWEST, TODAY)
    assert moment.rest == rest
    assert getattr(moment, form) == when
    assert moment.when == when  # and no other form
    assert [f for f in ("as_of", "known_by", "since") if getattr(moment, f) is not None] == [form]


@pytest.mark.parametrize(
    "query",
    [
        "Joe Tsai on DeepSeek",  # "on" before a name, not a date
        "revenue by segment",
        "capex by Alibaba",
        "how much did Alibaba spend on AI",
        "who runs the cloud business",
        "capex 2024",  # a year the figure is of, not a moment: the wish reads it
        "revenue in the quarter ended June 30",
        "since when has Qwen been open source",
        "how much will Amazon invest by 2025",  # a target, not a moment
        "capex by the end of 2027",  # after the newest article: a target
        "revenue target on March 1, 2026",
    ],
)
def test_no_moment_where_the_question_names_none(query: str) -> None:
    moment = read_moment(query, NEWEST, TODAY)
    assert (moment.rest, moment.when, moment.recent) == (query, None, False)


@pytest.mark.parametrize(
    ("query", "rest"),
    [
        ("latest capex", "capex"),
        ("cloud revenue growth now", "cloud revenue growth"),
        ("what is cloud growth currently", "what is cloud growth"),
        ("the most recent cloud revenue", "cloud revenue"),
        ("capex as of today", "capex"),
    ],
)
def test_now_and_latest_ask_for_the_newest(query: str, rest: str) -> None:
    moment = read_moment(query, NEWEST, TODAY)
    assert moment.recent and moment.when is None
    assert moment.rest == rest


def test_a_date_without_a_year_is_the_latest_one_the_articles_reach_and_the_answer_says_which() -> None:
    summer = read_moment("what did we know about Qwen on June 1", date(2025, 8, 29), TODAY)
    spring = read_moment("what did we know about Qwen on June 1", date(2025, 5, 20), TODAY)
    assert (summer.known_by, spring.known_by) == (date(2025, 6, 1), date(2024, 6, 1))
    assert summer.notes == ["Read “June 1” as 2025-06-01, the latest such date the articles reach."]
    # with no article at all, today stands in for the newest
    assert read_moment("capex as of June", None, date(2026, 3, 1)).as_of == date(2025, 6, 30)
    # a written year needs no note
    assert read_moment("capex as of June 2025", NEWEST, TODAY).notes == []


def test_the_date_words_do_not_change_the_metric_or_year_asked() -> None:
    vocab = vocabulary_of(RULES.metrics)
    plain = read_wish("cloud revenue growth", vocab)
    moment = read_moment("cloud revenue growth as of 2024-12-31", NEWEST, TODAY)
    asked = read_wish(moment.rest, vocab)
    assert (asked.metrics, asked.years, asked.growth) == (plain.metrics, plain.years, plain.growth)
    # the whole question would wish for a figure of 2024: the date would have steered the choice
    assert read_wish("cloud revenue growth as of 2024-12-31", vocab).years == (2024,)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("2025-03-01 and more", WrittenDate(3, 1, 2025, 10)),
        ("March 1, 2025", WrittenDate(3, 1, 2025, 13)),
        ("1 March 2025", WrittenDate(3, 1, 2025, 12)),
        ("March 2025", WrittenDate(3, None, 2025, 10)),
        ("June 1", WrittenDate(6, 1, None, 6)),
        ("Sept", WrittenDate(9, None, None, 4)),
        ("may rise", None),  # the verb, not the month
        ("Alibaba", None),
        ("February 30", None),
    ],
)
def test_leading_date(text: str, written: WrittenDate | None) -> None:
    assert leading_date(text) == written


def test_a_written_date_resolves_to_the_months_end_or_start() -> None:
    june = WrittenDate(6, None, None, 4)
    assert june.resolved(2025) == date(2025, 6, 30)
    assert june.resolved(2025, month_start=True) == date(2025, 6, 1)
    assert WrittenDate(2, None, None, 3).resolved(2024) == date(2024, 2, 29)
