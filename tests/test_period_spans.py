"""Periods that name a run of months, fiscal parts without a year, the year-earlier twin of a period, and the
reporting quarter a results story is about: the kinds of sentence each rule exists for, in sentences written for
these tests."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reading.analysis import analyse
from bot.reading.period_model import CALENDAR_YEAR, FiscalCalendar, Resolver, TimeContext
from bot.reading.periods import find_periods

JUNE_YEAR = FiscalCalendar(6, 30, 30, False)  # fiscal 2025 = July 2024 - June 2025
APRIL_START = FiscalCalendar(3, 31, 45, True)  # fiscal 2025 = April 2025 - March 2026


def periods(text: str, today: date, cal: FiscalCalendar = CALENDAR_YEAR, *, future: bool = False):  # type: ignore[no-untyped-def]
    resolver = Resolver(TimeContext(today, dated=True, fiscal_text=True), cal, None, future=future)
    return [(f.phrase, f.period.start, f.period.end) for f in find_periods(text, resolver) if f.period]


SPANS = [
    # "Between" one month "and" another is the months from one to the other.
    (
        "It hired 40 engineers between May and August.",
        date(2025, 11, 2),
        CALENDAR_YEAR,
        date(2025, 5, 1),
        date(2025, 8, 31),
    ),
    # A year's final quarter is its fourth, with its year or, without one, the latest ended.
    (
        "Orders in the final quarter of 2024 doubled.",
        date(2025, 8, 1),
        CALENDAR_YEAR,
        date(2024, 10, 1),
        date(2024, 12, 31),
    ),
    (
        "By the final quarter, orders had doubled.",
        date(2026, 3, 1),
        CALENDAR_YEAR,
        date(2025, 10, 1),
        date(2025, 12, 31),
    ),
    # A run of months, with or without a year; without one, the latest that has ended.
    ("Sales for October-December rose.", date(2026, 2, 1), CALENDAR_YEAR, date(2025, 10, 1), date(2025, 12, 31)),
    ("Profit in the April to June period fell.", date(2025, 8, 1), CALENDAR_YEAR, date(2025, 4, 1), date(2025, 6, 30)),
    ("Orders in Jan-Mar 2024 doubled.", date(2025, 8, 1), CALENDAR_YEAR, date(2024, 1, 1), date(2024, 3, 31)),
    # So many months to a day.
    (
        "Revenue for the nine months to December 31 grew.",
        date(2026, 2, 1),
        CALENDAR_YEAR,
        date(2025, 4, 1),
        date(2025, 12, 31),
    ),
    (
        "In the six months ended June 30, 2025, it lost money.",
        date(2025, 8, 1),
        CALENDAR_YEAR,
        date(2025, 1, 1),
        date(2025, 6, 30),
    ),
    (
        "Over the first nine months of 2024 it hired.",
        date(2025, 8, 1),
        CALENDAR_YEAR,
        date(2024, 1, 1),
        date(2024, 9, 30),
    ),
    # A part of a fiscal year, whoever's it is and however it is named.
    (
        "Sales in the second quarter of Keller's fiscal 2026 rose.",
        date(2026, 1, 20),
        JUNE_YEAR,
        date(2025, 10, 1),
        date(2025, 12, 31),
    ),
    (
        "Profit for the first half of fiscal 2025 fell.",
        date(2025, 8, 1),
        APRIL_START,
        date(2025, 4, 1),
        date(2025, 9, 30),
    ),
    (
        "Profit for the third quarter of the fiscal year that ends on March 31, 2027 fell.",
        date(2027, 2, 1),
        CALENDAR_YEAR,
        date(2026, 10, 1),
        date(2026, 12, 31),
    ),
    # A fiscal part with no year: the latest one that has ended.
    (
        "The group beat forecasts for its fiscal third quarter.",
        date(2025, 5, 2),
        JUNE_YEAR,
        date(2025, 1, 1),
        date(2025, 3, 31),
    ),
]


@pytest.mark.parametrize(("text", "today", "cal", "start", "end"), SPANS, ids=[s[0][:40] for s in SPANS])
def test_a_run_of_months_and_a_fiscal_part_have_their_dates(text, today, cal, start, end) -> None:  # type: ignore[no-untyped-def]
    found = periods(text, today, cal)
    assert (start, end) in [(s, e) for _, s, e in found], found


def test_a_forecast_for_a_fiscal_part_with_no_year_is_the_coming_one() -> None:
    text = "For the fiscal third quarter, which ends in March, the company forecast growth of 5%."
    found = periods(text, date(2025, 2, 5), JUNE_YEAR, future=True)
    assert (date(2025, 1, 1), date(2025, 3, 31)) in [(s, e) for _, s, e in found]
    found = periods(text, date(2025, 2, 5), JUNE_YEAR, future=False)
    assert (date(2024, 1, 1), date(2024, 3, 31)) in [(s, e) for _, s, e in found]


@pytest.mark.parametrize(
    "text",
    [
        "Keller sees sales of $2 billion in the September quarter.",
        "It sees $2 billion for the quarter ending in September.",
    ],
)
def test_a_quarter_named_by_its_last_month_is_the_latest_ended_or_for_a_forecast_the_next(text: str) -> None:
    found = [(s, e) for _, s, e in periods(text, date(2025, 8, 12))]
    assert found == [(date(2024, 7, 1), date(2024, 9, 30))], found
    found = [(s, e) for _, s, e in periods(text, date(2025, 8, 12), future=True)]
    assert found == [(date(2025, 7, 1), date(2025, 9, 30))], found


def test_may_is_a_verb_and_last_year_is_still_a_year() -> None:
    assert periods("Prices may to June stay flat.", date(2025, 8, 1)) == []
    found = periods("The company earned more last year.", date(2025, 8, 1))
    assert [(s, e) for _, s, e in found] == [(date(2024, 1, 1), date(2024, 12, 31))]


def _records(nlp, rules, text: str, published: date):  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(text), rules, published, published=published)
    return {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}


def test_a_results_story_is_about_the_quarter_its_lede_names(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems posts record quarter as cloud demand grows\n\n"
        "Keller Systems said on Thursday that revenue for the three months to September 30 rose 12% to $8.1 billion, "
        "from $7.2 billion a year earlier.\n\n"
        "That was faster than the 9% growth reported for the quarter ended June 30.\n\n"
        "The cloud division's revenue came to $3.3 billion.\n\n"
        "Operating income grew 14% to $2.2 billion.\n\n"
        "Keller employs 41,000 people."
    )
    found = _records(nlp, rules, text, date(2025, 10, 23))
    q3 = (date(2025, 7, 1), date(2025, 9, 30))
    for figure in ("$8.1 billion", "$3.3 billion", "$2.2 billion"):
        period = found[figure].period
        assert period is not None and (period.start, period.end) == q3, (figure, period)
    earlier = found["$7.2 billion"].period
    assert earlier is not None and (earlier.start, earlier.end) == (date(2024, 7, 1), date(2024, 9, 30))
    assert found["12%"].period is not None and (found["12%"].period.start, found["12%"].period.end) == q3
    # A level stated in the present holds at the article's date.
    assert found["41,000 people"].as_of == date(2025, 10, 23)


def test_a_story_that_opens_on_an_older_quarter_is_about_the_latest_one_its_opening_names(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's $9 billion quarter\n\n"
        "Markets desk | November 4, 2025\n\n"
        "Two years ago, in the April-June quarter of 2023, Keller sold about $6 billion of software. "
        "Its latest report shows how far it has come.\n\n"
        "In the three months to September 2025, revenue reached $9 billion.\n\n"
        "Net income rose 20% to $2.5 billion."
    )
    found = _records(nlp, rules, text, date(2025, 11, 4))
    q3 = (date(2025, 7, 1), date(2025, 9, 30))
    for figure in ("$9 billion", "20%", "$2.5 billion"):
        period = found[figure].period
        assert period is not None and (period.start, period.end) == q3, (figure, period)
    older = found["$6 billion"].period
    assert older is not None and older.end == date(2023, 6, 30), older


@pytest.mark.parametrize(
    "text,as_of",
    [
        # A count in a month holds at that month's end; with no year, the latest such month.
        ("The Orbit app counted 61 million users in December.", date(2025, 12, 31)),
        ("Frost had 4.2 million paying users as of June 30.", date(2025, 6, 30)),
        ("Frost had 4.2 million paying users at the end of September 2025.", date(2025, 9, 30)),
        # A month that dates another event, or a comparison base, sets nothing for the figure.
        (
            "Orbit, the app Keller unveiled in May, had 9 million users at the end of August.",
            date(2025, 8, 31),
        ),
        ("Orbit counted 9 million users at the end of August, up from 5 million in March.", date(2025, 8, 31)),
    ],
)
def test_a_level_in_a_month_holds_at_its_end(nlp, rules, text, as_of) -> None:  # type: ignore[no-untyped-def]
    found = _records(nlp, rules, text, date(2026, 3, 18))
    first = next(iter(found.values()))
    assert first.as_of == as_of and first.period is None, first


def test_the_narrowest_of_periods_naming_the_same_stretch_is_measured(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller said profit for July-September, the first quarter of the year it calls fiscal 2026, came to "
        "$1.4 billion, against $1.1 billion in the same quarter a year earlier."
    )
    found = _records(nlp, rules, text, date(2025, 10, 23))
    period = found["$1.4 billion"].period
    assert period is not None and (period.start, period.end) == (date(2025, 7, 1), date(2025, 9, 30))
    earlier = found["$1.1 billion"].period
    assert earlier is not None and (earlier.start, earlier.end) == (date(2024, 7, 1), date(2024, 9, 30))


def test_an_analysts_estimate_is_the_figure_it_governs_not_the_sentence(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Net income rose 8% to $2.1 billion, or $1.75 a share, ahead of the consensus estimate of $1.62 a share."
    found = _records(nlp, rules, text, date(2025, 10, 23))
    assert found["$2.1 billion"].status == "actual"
    assert found["$1.62"].status == "estimate"
    found = _records(
        nlp, rules, "Revenue beat the $9.9 billion average forecast in a poll of analysts.", date(2025, 10, 23)
    )
    assert found["$9.9 billion"].status == "estimate"


def test_who_reckons_a_figure_is_its_source_not_its_subject(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems reported revenue of $8.1 billion for the quarter ended September 30. "
        "The total beat the $7.9 billion that analysts polled by Marlow Data had expected. "
        "Harbour Research, a brokerage arm, estimated that licence revenue shrank 12% from a year earlier. "
        "That segment's revenue fell 3%."
    )
    found = _records(nlp, rules, text, date(2025, 10, 23))
    for figure in ("$7.9 billion", "12%", "3%"):
        assert found[figure].subject not in ("Marlow Data", "Harbour Research"), (figure, found[figure].subject)


def test_the_noun_an_amount_belongs_to_names_its_metric(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's cloud infrastructure revenue rose 20% to $3.1 billion in the quarter ended September 30. "
        "Analysts had expected $3.0 billion."
    )
    found = _records(nlp, rules, text, date(2025, 10, 23))
    assert found["$3.1 billion"].base == "revenue"
    # An amount whose clause names no metric is of the one said just before.
    assert found["$3.0 billion"].base == "revenue" and found["$3.0 billion"].status == "estimate"


def test_a_year_earlier_dates_what_follows_it_unless_it_is_the_base_of_a_change(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said revenue for the quarter ended September 30 fell 6% from a year earlier to $2.6 billion. "
        "A year earlier, the unit had 1,900 engineers."
    )
    found = _records(nlp, rules, text, date(2025, 10, 23))
    period = found["$2.6 billion"].period
    assert period is not None and (period.start, period.end) == (date(2025, 7, 1), date(2025, 9, 30))
    earlier = found["1,900 engineers"]
    assert (earlier.period and earlier.period.end.year == 2024) or (earlier.as_of and earlier.as_of.year == 2024), (
        earlier
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # A year after a month is not its day.
        ("Spending in the three months to December 2025 rose.", date(2025, 10, 1), date(2025, 12, 31)),
        ("Sales in the twelve months to June 2025 rose.", date(2024, 7, 1), date(2025, 6, 30)),
        ("Go back to the April-June quarter of 2023 and look.", date(2023, 4, 1), date(2023, 6, 30)),
    ],
)
def test_a_year_after_a_month_is_its_year(text: str, start: date, end: date) -> None:
    assert (start, end) in [(s, e) for _, s, e in periods(text, date(2026, 2, 1))]


def test_a_month_that_opens_a_run_of_months_dates_no_event(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller earned $1.2 billion in July-September, up from $0.9 billion in April-June."
    found = _records(nlp, rules, text, date(2025, 10, 23))
    period = found["$0.9 billion"].period
    assert period is not None and (period.start, period.end) == (date(2025, 4, 1), date(2025, 6, 30))


def test_the_growth_of_a_level_is_a_change_over_its_period(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller lost $40 billion of market value on Monday. Cloud growth of 31% in the October-December quarter slowed."
    )
    found = _records(nlp, rules, text, date(2026, 2, 10))
    period = found["31%"].period
    assert period is not None and (period.start, period.end) == (date(2025, 10, 1), date(2025, 12, 31))


def test_the_quarter_is_the_one_the_story_is_about_not_one_named_beside_it(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems beat forecasts for the quarter ended September 30.\n\n"
        "Revenue rose 9%.\n\n"
        "Capital spending came to $4 billion in the quarter, more than the $3 billion spent in the quarter ended "
        "June 30."
    )
    found = _records(nlp, rules, text, date(2025, 10, 23))
    period = found["$4 billion"].period
    assert period is not None and (period.start, period.end) == (date(2025, 7, 1), date(2025, 9, 30))
    period = found["$3 billion"].period
    assert period is not None and (period.start, period.end) == (date(2025, 4, 1), date(2025, 6, 30))


def test_an_ordinal_whose_noun_is_left_out_is_the_part_named_before(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tarnwell's deliveries climbed from 4.1 million vehicles in the second quarter to 5.2 million in the third and "
        "6 million in the fourth."
    )
    found = _records(nlp, rules, text, date(2026, 3, 1))
    want = {
        "4.1 million vehicles": (date(2025, 4, 1), date(2025, 6, 30)),
        "5.2 million": (date(2025, 7, 1), date(2025, 9, 30)),
        "6 million": (date(2025, 10, 1), date(2025, 12, 31)),
    }
    for figure, (start, end) in want.items():
        measure = found[figure]
        assert measure.period is not None and (measure.period.start, measure.period.end) == (start, end), figure
    # A bare count in the list counts what the first one does.
    assert {f: found[f].metric for f in want} == dict.fromkeys(want, found["4.1 million vehicles"].metric)
    found = _records(
        nlp, rules, "Sales were $2 billion in the first quarter of 2024 and $2.4 billion in the second.", None
    )
    period = found["$2.4 billion"].period
    assert period is not None and (period.start, period.end) == (date(2024, 4, 1), date(2024, 6, 30))


def test_so_many_months_earlier_dates_the_level_after_from(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller's debt ratio rose to 21% by the end of December from 17% three months earlier."
    found = _records(nlp, rules, text, date(2026, 2, 10))
    assert found["21%"].as_of == date(2025, 12, 31), found["21%"]
    assert found["17%"].as_of == date(2025, 9, 30), found["17%"]


def test_the_months_a_results_story_has_reached_are_no_plan(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller said on Friday that revenue for the quarter ended December 31 rose 8% to $9 billion. "
        "Profit over the nine months came to $4.1 billion."
    )
    found = _records(nlp, rules, text, date(2026, 2, 6))
    nine = found["$4.1 billion"]
    assert nine.status == "actual" and nine.period is not None, nine
    assert (nine.period.start, nine.period.end) == (date(2025, 4, 1), date(2025, 12, 31)), nine.period
    # "over the next nine months" is still a plan's horizon.
    found = _records(nlp, rules, "Keller plans to spend $4.1 billion over the next nine months.", date(2026, 2, 6))
    assert found["$4.1 billion"].period is not None and found["$4.1 billion"].period.kind == "horizon"


def test_a_hyphenated_quarter_is_the_companys_own_and_a_year_ago_sets_the_sentence_back() -> None:
    from bot.reading.periods import sentence_anchor

    today = date(2026, 10, 22)
    # "second-quarter profit": the company's own quarter (April-start year: July-September), the latest ended.
    assert periods("Keller's second-quarter profit rose.", today, APRIL_START) == [
        ("second-quarter", date(2026, 7, 1), date(2026, 9, 30))
    ]
    # Written without the hyphen and without "fiscal", news means the calendar quarter.
    assert periods("Sales rose in the second quarter.", today, APRIL_START) == [
        ("in the second quarter", date(2026, 4, 1), date(2026, 6, 30))
    ]
    anchor = sentence_anchor("A year ago, Keller beat forecasts with a second-quarter profit.", today)
    assert anchor == date(2025, 10, 22)
    resolver = Resolver(TimeContext(today, dated=True, fiscal_text=True), APRIL_START, anchor)
    found = [(f.period.start, f.period.end) for f in find_periods("a second-quarter profit", resolver) if f.period]
    assert found == [(date(2025, 7, 1), date(2025, 9, 30))]


def test_a_horizon_that_starts_later_and_a_run_of_years() -> None:
    today = date(2026, 2, 19)
    found = periods(
        "Keller plans to spend $9 billion over seven years starting in fiscal 2027.", today, APRIL_START, future=True
    )
    assert ("over seven years", date(2027, 4, 1), date(2034, 3, 31)) in found, found
    found = periods("Keller plans to spend $9 billion over five years starting in 2027.", today, future=True)
    assert ("over five years", date(2027, 1, 1), date(2031, 12, 31)) in found, found
    assert periods("Keller is spending $2 billion across 2023 and 2024.", today) == [
        ("across 2023 and 2024", date(2023, 1, 1), date(2024, 12, 31))
    ]


def test_since_a_date_is_a_running_total_to_the_article_date_not_that_date() -> None:
    today = date(2026, 3, 18)
    assert periods("Keller has invested $9 billion in chips since 2022.", today) == [
        ("since 2022", date(2022, 1, 1), today)
    ]
    assert periods("Keller has invested $9 billion since May 2022.", today) == [
        ("since May 2022", date(2022, 5, 1), today)
    ]
    # a month without a year: the latest one begun by the article's date
    assert periods("Keller has trained 40,000 engineers since September.", today) == [
        ("since September", date(2025, 9, 1), today)
    ]


def test_the_full_year_is_the_fiscal_year_that_holds_the_story() -> None:
    today = date(2025, 11, 6)
    assert periods("Keller now expects full-year revenue of $16 billion.", today, future=True) == [
        ("full-year", date(2025, 1, 1), date(2025, 12, 31))
    ]
    april_to_march = FiscalCalendar(3, 31)
    assert periods("It sees a margin of 14% for the full year.", today, april_to_march, future=True) == [
        ("the full year", date(2025, 4, 1), date(2026, 3, 31))
    ]


def test_a_year_that_dates_an_event_is_no_period_of_the_figure_unless_counted_since() -> None:
    today = date(2026, 3, 4)
    assert periods("The app was downloaded 90 million times since its launch in 2024.", today) == [
        ("in 2024", date(2024, 1, 1), today)
    ]
    assert periods("The model it launched in 2023 has 7 billion parameters.", today) == []
    assert periods("Revenue in 2024 was $3 billion.", today) == [("in 2024", date(2024, 1, 1), date(2024, 12, 31))]


def test_a_month_after_a_date_the_sentence_states_is_of_that_dates_year(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller had 41,000 employees at the end of March 2025, after cutting 900 jobs in February; "
        "a further 1,300 job cuts followed in August."
    )
    found = _records(nlp, rules, text, date(2026, 1, 20))
    assert found["41,000 employees"].as_of == date(2025, 3, 31)
    assert found["1,300 job cuts"].as_of == date(2025, 8, 31), found["1,300 job cuts"]


def test_the_middle_or_end_of_the_year_named_without_its_number(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Brio app had been installed 52 million times by the middle of the year. "
        "Keller held $7.4 billion in cash at the end of last year."
    )
    found = _records(nlp, rules, text, date(2025, 11, 14))
    assert found["52 million times"].as_of == date(2025, 6, 30), found["52 million times"]
    assert found["$7.4 billion"].as_of == date(2024, 12, 31), found["$7.4 billion"]


def test_a_period_after_another_clauses_number_is_that_numbers(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "After it bought 800 servers in May, its cluster held about 2,400 GPUs, and it aims for 5,000 by next year."
    found = _records(nlp, rules, text, date(2025, 7, 10))
    gpus = found["2,400 GPUs"]
    assert gpus.period is None or gpus.period.end <= date(2025, 7, 10), gpus


def test_a_forecast_that_names_no_period_is_for_the_quarter_just_named(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller reported revenue of $8.6 billion for the quarter ended September 30. "
        "For the fourth quarter, which ends in December, it forecast growth of 9% to 10%. "
        "It projected services revenue of $2.1 billion to $2.3 billion."
    )
    found = _records(nlp, rules, text, date(2025, 10, 29))
    services = found["$2.1 billion"]
    assert services.status == "forecast"
    assert services.period is not None and services.period.end == date(2025, 12, 31), services


def test_a_year_or_month_that_dates_a_company_forming_or_a_pledge_dates_no_figure(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Brio Labs, the robotics unit spun off from the group in 2021, grew 18% to $640 million in the quarter "
        "ended September 30. Keller has put about $1.4 billion into Brio Labs since it was spun off in 2021. "
        "Of the $5 billion Keller promised in March for robots over four years, it had spent $1.9 billion by the "
        "end of September, and capital expenditure rose to $410 million in the third quarter from $350 million a "
        "year earlier."
    )
    found = _records(nlp, rules, text, date(2026, 10, 28))
    grew = found["$640 million"]
    assert grew.period is not None and grew.period.end == date(2026, 9, 30), grew
    put = found["$1.4 billion"]
    assert put.period is not None and (put.period.start, put.period.end) == (date(2021, 1, 1), date(2026, 10, 28)), put
    capex = found["$410 million"]
    assert capex.period is not None and capex.period.end == date(2026, 9, 30), capex


def test_a_period_opening_another_clause_with_its_own_amount_is_that_amounts(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Fourth-quarter sales came to $3.4 billion, above the $3.1 billion Keller had expected, "
        "and sales for the full year reached $12.9 billion."
    )
    found = _records(nlp, rules, text, date(2026, 2, 12))
    expected = found["$3.1 billion"]
    assert expected.period is None or expected.period.kind != "year", expected
    assert found["$12.9 billion"].period is not None and found["$12.9 billion"].period.kind == "year"


@pytest.mark.parametrize("opening", ["Eighteen months ago", "Six quarters ago"])
def test_a_sentence_set_some_time_ago_measures_the_quarter_ended_by_then(nlp, rules, opening: str) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's revenue rose 9% to $3 billion in the three months that ended on June 30. "
        f"{opening}, its robotics arm grew 44% in a single quarter."
    )
    analysis = analyse(nlp(text), rules, date(2026, 8, 10), published=date(2026, 8, 10))
    found = {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    assert found["9%"].period is not None and found["9%"].period.end == date(2026, 6, 30), found
    then = found["44%"].period
    assert then is not None and (then.start, then.end) == (date(2024, 10, 1), date(2024, 12, 31)), found


def test_a_charge_and_a_share_of_a_flow_hold_over_the_quarter_the_story_reports(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's revenue rose 6% to $7.2 billion in the three months that ended on September 30. "
        "It wrote down $900 million of old servers. Its cloud services made up 38% of its revenue."
    )
    analysis = analyse(nlp(text), rules, date(2025, 10, 28), published=date(2025, 10, 28))
    found = {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    for figure in ("$900 million", "38%"):
        period = found[figure].period
        assert period is not None and (period.start, period.end) == (date(2025, 7, 1), date(2025, 9, 30)), found


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # a past-tense sentence's day is past, though what it announces is a plan
        (
            "Its chief stood on a stage on January 21 to announce a venture that intends to invest $50 billion in the "
            "coming four years.",
            date(2025, 1, 21),
        ),
        # a month a plan is set for is the next one
        ("In March, Keller will begin to spend $2 billion over the next two years.", date(2026, 3, 15)),
    ],
)
def test_a_plans_horizon_runs_from_the_day_its_sentence_gives(nlp, rules, text: str, start: date) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(text), rules, date(2025, 5, 10), published=date(2025, 5, 10))
    found = [m for row in analysis.sentences for m in row.measures]
    assert found and found[0].period is not None and found[0].period.start == start, found
