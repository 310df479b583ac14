"""What a growth rate measures when its clause names no metric: kinds of sentence written for these tests."""

from __future__ import annotations

from datetime import date

from bot.reading.analysis import analyse


def _records(nlp, rules, text: str):  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    return {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}


def test_a_growth_rate_grows_the_metric_said_before_only_for_the_same_subject(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said operating income rose to $2.2 billion in the quarter ended September 30. "
        "The company's operating income grew 14%. "
        "Tarnwell, its rival, grew 31% in the same quarter."
    )
    found = _records(nlp, rules, text)
    assert found["14%"].base == "operating income"
    assert found["31%"].base != "operating income", found["31%"]


def test_percentage_points_of_an_increase_are_no_growth_rate(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's cloud sales grew 28% in the quarter ended September 30; "
        "AI services made up 9 percentage points of the increase."
    )
    found = _records(nlp, rules, text)
    assert found["28%"].metric.endswith("growth")
    assert not found["9 percentage points"].metric.endswith("growth"), found["9 percentage points"].metric
