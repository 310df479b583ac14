"""Whether a figure is reported, planned, forecast or estimated, from the words that govern it: kinds of sentence
written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reading.analysis import analyse

STATUSES = [
    # A commitment not yet carried out is a plan: approved, promised, agreed, a goal.
    ("Keller's board approved share repurchases of up to $2 billion through 2027.", "$2 billion", "plan"),
    ("Keller promised investors a $1.5 billion buyback.", "$1.5 billion", "plan"),
    ("Keller agreed to buy Tarn Labs for $800 million.", "$800 million", "plan"),
    ("The deal includes $4 billion for Tarn Labs, to be paid in March.", "$4 billion", "plan"),
    ("Its goal is a model with more than 500 billion parameters.", "500 billion parameters", "plan"),
    # Forecasts beaten in another clause say nothing of the figure that beat them.
    ("Keller's profit beats forecasts as its robotics arm grows 27%.", "27%", "actual"),
    # What an amount is part of does not say how sure it is: a payment made is done, one to come is a plan.
    ("Keller paid the final $1.2 billion of its commitment to Tarn Labs last week.", "$1.2 billion", "actual"),
    ("Keller plans to pay the final $1.2 billion of its commitment next year.", "$1.2 billion", "plan"),
    # An adverb between "will" and its verb does not hide the plan.
    ("Keller's units will jointly invest about $700 million a year in robotics.", "$700 million", "plan"),
    # Guidance and "on course to" are forecasts.
    ("Management guided to growth of 12% for the March quarter.", "12%", "forecast"),
    ("The unit is on course to pass $5 billion in annual sales.", "$5 billion", "forecast"),
    # What the subject is said to be ("was on course") reaches a figure far down its clause.
    (
        "Keller said its robotics arm was on track to top an annual order intake of $5 billion.",
        "$5 billion",
        "forecast",
    ),
    # The two ends of a forecast range are forecast alike.
    ("For the current quarter, Keller forecast revenue of $9 billion to $9.5 billion.", "$9.5 billion", "forecast"),
    # What happened is reported.
    ("Keller bought back $600 million of shares in the quarter.", "$600 million", "actual"),
    # The nouns that classify what a figure is said to be say whose it is: the analysts' reckoning is an estimate.
    ("The mean analyst projection ahead of the results was $3.9 billion.", "$3.9 billion", "estimate"),
]


@pytest.mark.parametrize(("text", "figure", "status"), STATUSES, ids=[s[0][:40] for s in STATUSES])
def test_status_from_the_words_that_govern_the_figure(nlp, rules, text: str, figure: str, status: str) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    found = {f.text: m.status for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    assert found[figure] == status, found


def test_the_current_quarter_is_the_one_under_way_when_the_story_was_written(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems reported revenue of $8.6 billion for the quarter ended September 30. "
        "For the current quarter, Keller forecast revenue of $9 billion to $9.5 billion."
    )
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    found = {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    reported, forecast = found["$8.6 billion"], found["$9 billion"]
    assert reported.period is not None and reported.period.end == date(2025, 9, 30)
    assert forecast.period is not None and (forecast.period.start, forecast.period.end) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    ), forecast


@pytest.mark.parametrize(
    ("before", "quarter_end"),
    [
        # set against a forecast: the forecast's quarter
        ("For the December quarter, Keller forecast revenue of $9 billion to $9.5 billion.", date(2025, 12, 31)),
        # set against a reported amount, not against the amount that one is compared with
        (
            "Keller's revenue rose 8% to $8.6 billion in the September quarter, from $8 billion a year earlier.",
            date(2025, 9, 30),
        ),
    ],
)
def test_an_estimate_set_against_the_amount_before_is_for_its_time(nlp, rules, before: str, quarter_end: date) -> None:  # type: ignore[no-untyped-def]
    text = f"{before} The mean analyst projection had been $9.2 billion."
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    found = {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    estimate = found["$9.2 billion"]
    assert estimate.status == "estimate" and estimate.metric == "revenue", estimate
    assert estimate.period is not None and estimate.period.end == quarter_end, estimate
