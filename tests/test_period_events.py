"""When a figure holds, where the sentence says it through an event, a comparison or a forecast made before: a
running total since an event, the same quarter of a named year, the end of a year, a base compared "from about",
a forecast range the story has reached. Sentences written for these tests, through the real pipeline."""

from __future__ import annotations

from datetime import date

from bot.reading.analysis import analyse


def _records(nlp, rules, text: str, published: date):  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(text), rules, published, published=published)
    return {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}


def test_since_an_event_with_its_own_subject_runs_from_that_month_to_the_story(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Orvane has poured more than $2.6 billion into robotics since its Kestrel arm made its debut in June 2022."
    found = _records(nlp, rules, text, date(2026, 4, 9))
    poured = found["$2.6 billion"]
    assert poured.as_of is None, poured
    assert poured.period is not None, poured
    assert (poured.period.start, poured.period.end) == (date(2022, 6, 1), date(2026, 4, 9)), poured


def test_since_an_event_with_its_object_before_the_year(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Orvane says subscriptions to the service have brought in $310 million since the group launched it in 2023."
    found = _records(nlp, rules, text, date(2026, 4, 9))
    period = found["$310 million"].period
    assert period is not None and (period.start, period.end) == (date(2023, 1, 1), date(2026, 4, 9)), period


def test_the_same_quarter_of_a_named_year_is_that_quarter_in_that_year(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Halvard Systems said its service revenue rose 14% to $920 million in the second quarter, against "
        "$807 million in the same quarter of 2024."
    )
    found = _records(nlp, rules, text, date(2026, 7, 30))
    now, then = found["$920 million"].period, found["$807 million"].period
    assert now is not None and (now.start, now.end) == (date(2026, 4, 1), date(2026, 6, 30)), now
    assert then is not None and (then.start, then.end) == (date(2024, 4, 1), date(2024, 6, 30)), then


def test_at_the_end_of_a_year_dates_a_level_and_a_base_from_about_takes_its_measure(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Halvard's planning app had 640,000 monthly active users at the end of June, up from about 410,000 "
        "at the end of 2025."
    )
    found = _records(nlp, rules, text, date(2026, 7, 30))
    now, then = found["640,000 monthly active users"], found["410,000"]
    assert now.as_of == date(2026, 6, 30), now
    assert then.as_of == date(2025, 12, 31), then
    assert then.metric == now.metric, (then, now)


def test_a_forecast_range_said_in_the_past_perfect_is_for_the_quarter_reported(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Sales for the quarter ended September 30 came to $4.41 billion, near the top of the $4.2 billion to "
        "$4.5 billion range Halvard had forecast in July. For the quarter ending December 31, Halvard forecast "
        "sales of $4.6 billion to $4.8 billion."
    )
    found = _records(nlp, rules, text, date(2026, 10, 29))
    q3, q4 = (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))
    for amount in ("$4.2 billion", "$4.5 billion"):
        m = found[amount]
        assert m.status == "forecast", m
        assert m.period is not None and (m.period.start, m.period.end) == q3, m
    for amount in ("$4.6 billion", "$4.8 billion"):
        m = found[amount]
        assert m.period is not None and (m.period.start, m.period.end) == q4, m


def test_a_half_named_with_a_determiner_is_a_part_not_a_share(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Sales landed in the upper half of its range. The Danish half of the venture grew slowly. "
        "Roughly half went to new plants."
    )
    analysis = analyse(nlp(text), rules, date(2026, 10, 29), published=date(2026, 10, 29))
    shares = [(row.text, f.value) for row in analysis.sentences for f in row.figures]
    assert shares == [("Roughly half went to new plants.", 50.0)], shares


def test_a_level_in_a_later_clause_holds_at_the_date_the_sentence_gave(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Halvard's net debt ratio climbed to 2.4 times at the end of December, up from 2.1 times in September, "
        "and its cash fell to $1.6 billion."
    )
    found = _records(nlp, rules, text, date(2027, 2, 11))
    assert found["$1.6 billion"].as_of == date(2026, 12, 31), found["$1.6 billion"]


def test_a_forecast_for_a_month_or_a_quarter_already_over_is_for_the_next_one(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Halvard expects its planning app to reach 900,000 monthly active users by June. "
        "For the second quarter, Halvard forecast sales of $4.9 billion. "
        "Analysts expect sales of $5.2 billion in the fourth quarter."
    )
    found = _records(nlp, rules, text, date(2026, 10, 29))
    assert found["900,000 monthly active users"].as_of == date(2027, 6, 30), found["900,000 monthly active users"]
    second = found["$4.9 billion"].period
    assert second is not None and (second.start, second.end) == (date(2027, 4, 1), date(2027, 6, 30)), second
    fourth = found["$5.2 billion"].period
    assert fourth is not None and (fourth.start, fourth.end) == (date(2026, 10, 1), date(2026, 12, 31)), fourth
    # a quarter just over whose results are still to come is the one an estimate is for
    early = _records(nlp, rules, "Analysts expect sales of $5.2 billion in the fourth quarter.", date(2027, 1, 8))
    fourth = early["$5.2 billion"].period
    assert fourth is not None and (fourth.start, fourth.end) == (date(2026, 10, 1), date(2026, 12, 31)), fourth


def test_a_comparison_bases_date_is_not_a_later_clauses(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Halvard's planning app had 640,000 monthly active users at the end of June, up from about 410,000 "
        "at the end of 2025, while daily users rose to 95,000."
    )
    found = _records(nlp, rules, text, date(2026, 7, 30))
    daily = found["95,000"]
    assert daily.as_of == date(2026, 6, 30), daily
    assert daily.metric != found["640,000 monthly active users"].metric, daily


def test_a_horizon_up_to_the_end_of_a_year_ends_with_that_year(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Halvard will spend $2.4 billion on automation in the four years to the end of 2029, it said."
    found = _records(nlp, rules, text, date(2026, 2, 3))
    period = found["$2.4 billion"].period
    assert period is not None and (period.start, period.end) == (date(2026, 1, 1), date(2029, 12, 31)), period
    assert found["$2.4 billion"].status == "plan"


def test_a_level_holds_at_the_date_its_sentence_or_the_one_it_goes_on_from_opens_on(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "On March 3 Halvard paid the final $400 million for the plant. "
        "That lifted its stake in the venture to about 38%. "
        "Its stake in the parts maker stands at 12%."
    )
    found = _records(nlp, rules, text, date(2026, 5, 20))
    assert found["38%"].as_of == date(2026, 3, 3), found["38%"]
    assert found["12%"].as_of == date(2026, 5, 20), found["12%"]  # a sentence that does not go on from it


def test_a_date_inside_a_relative_clause_is_the_clauses_alone(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Its planning app, which had 200,000 users in January, now has 310,000 users."
    found = _records(nlp, rules, text, date(2026, 5, 20))
    assert found["200,000 users"].as_of == date(2026, 1, 31), found["200,000 users"]
    assert found["310,000 users"].as_of == date(2026, 5, 20), found["310,000 users"]
