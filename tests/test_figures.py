"""Table-driven tests of the figure parser: one row per phrasing, through the real spaCy pipeline."""

from __future__ import annotations

import pytest

from bot.reading.analysis import analyse

# (sentence, expected figures as (kind, value, unit, qualifier, period) in order)
CASES = [
    ("Alibaba will invest 380 billion yuan over three years.", [("money", 380e9, "CNY", None, "over three years")]),
    (
        "It pledged over RMB 380 billion in the next three years.",
        [("money", 380e9, "CNY", "over", "in the next three years")],
    ),
    ("The group spent 12.5 billion renminbi on servers.", [("money", 12.5e9, "CNY", None, None)]),
    (
        "Alibaba committed 380 billion yuan (approximately $53 billion) over three years to AI.",
        [
            ("money", 380e9, "CNY", None, "over three years"),
            ("money", 53e9, "USD", "approximately", "over three years"),
        ],
    ),
    (
        "It pledged 380 billion yuan ($52.4 billion) towards AI.",
        [("money", 380e9, "CNY", None, None), ("money", 52.4e9, "USD", None, None)],
    ),
    ("ByteDance is expected to invest US$12bn in AI chips this year.", [("money", 12e9, "USD", None, "this year")]),
    ("Shares closed at HK$140.9 on Friday.", [("money", 140.9, "HKD", None, None)]),
    ("Shares peaked at 140.9 HKD per share.", [("money", 140.9, "HKD", None, "per share")]),
    ("The startup raised €4m from investors.", [("money", 4e6, "EUR", None, None)]),
    (
        "Revenue reached 31.742 billion yuan, up 13% year-on-year.",
        [("money", 31.742e9, "CNY", None, None), ("percent", 13, "%", None, "year-on-year")],
    ),
    ("The stock has risen by more than 90% this year.", [("percent", 90, "%", "over", "this year")]),
    ("Margins fell 2.5 percentage points.", [("percent", -2.5, "pp", None, None)]),  # a decline is negative
    ("Sales grew 26 percent in the quarter.", [("percent", 26, "%", None, "in the quarter")]),
    ("Qwen has amassed 400 million downloads.", [("count", 400e6, "downloads", None, None)]),
    ("Developers built 140,000 derived models.", [("count", 140_000, "derived models", None, None)]),
    ("The company has nearly 200,000 employees.", [("count", 200_000, "employees", "nearly", None)]),
    ("QwQ-32B is a reasoning model with 32 billion parameters.", [("count", 32e9, "parameters", None, None)]),
    ("Apple has 250 million active devices in China.", [("count", 250e6, "active devices", None, None)]),
    (
        "By the end of January, derivatives of Qwen surpassed an impressive 90,000.",
        [("count", 90_000, "derivatives", "over", "By the end of January")],
    ),
    ("The team grew to around 100 members.", [("count", 100, "members", "approximately", None)]),
    # Names, versions, dates and durations are not figures.
    ("Qwen2.5-Max beat DeepSeek-V3 and GPT-4 in tests.", []),
    ("Qwen 2.5 Max launched before Llama 2 stumbled.", []),
    ("On May 10, 2025, Tsai spoke; between 2020 and 2022 the stock fell.", []),
    ("The plan runs for 3 years and 6 months.", []),
    ("The 2025Q3 report came out on 05/14 2025 with 16:10 screens.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_figures_in_a_sentence(sentence: str, expected: list[tuple], nlp, rules) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(sentence), rules, None)
    got = [
        (f.kind, pytest.approx(f.value), f.unit, f.qualifier, f.period) for s in analysis.sentences for f in s.figures
    ]
    assert got == [(k, pytest.approx(v), u, q, p) for k, v, u, q, p in expected]


def test_bracketed_dollar_amount_converts_the_one_before(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse(nlp("Alibaba pledged 380 billion yuan ($52.4 billion) to AI."), rules, None)
    yuan, dollars = analysis.sentences[0].figures
    assert dollars.conversion_of == 0 and yuan.conversion_of is None
    assert dollars.value > 0  # brackets are not an accounting minus


@pytest.mark.parametrize(
    "sentence,converts",
    [
        ("Keller booked 9 billion yuan, about $1.3 billion, from its cloud arm last year.", True),
        ("Keller booked 9 billion yuan — roughly $1.3 billion — from its cloud arm last year.", True),
        # Two amounts in one currency, or a list without a hedge, are two figures.
        ("Keller booked $9 billion, about $1.3 billion of it from its cloud arm.", False),
        ("Keller booked 9 billion yuan, $1.3 billion and 3 billion euros across three units.", False),
    ],
)
def test_an_amount_in_another_currency_set_off_with_a_hedge_converts_the_one_before(
    nlp, rules, sentence: str, converts: bool
) -> None:  # type: ignore[no-untyped-def]
    figures = analyse(nlp(sentence), rules, None).sentences[0].figures
    assert (figures[1].conversion_of == 0) is converts, [(f.text, f.conversion_of) for f in figures]


def test_a_year_after_an_amount_is_no_second_amount(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse(nlp("The board approved buybacks of up to $3 billion through 2028."), rules, None)
    assert [(f.text, f.unit) for f in analysis.sentences[0].figures] == [("$3 billion", "USD")]
    # A range of plain amounts is still a range.
    analysis = analyse(nlp("The shares traded between $1,900 and 2,100 on the day."), rules, None)
    assert [f.unit for f in analysis.sentences[0].figures] == ["USD", "USD"]
    # Nor a year before one, in a list of what was spent when.
    text = "Spending was $61.4 billion in the year to June 2025, and $19.9 billion in the quarter after."
    analysis = analyse(nlp(text), rules, None)
    assert [f.text for f in analysis.sentences[0].figures] == ["$61.4 billion", "$19.9 billion"]


def test_figure_is_tied_to_the_name_before_it(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Amazon plans to invest over $100 billion, while Microsoft anticipates an $80 billion investment.")
    sentence = analyse(doc, rules, None).sentences[0]
    owners = [sentence.mentions[f.mention].name if f.mention is not None else None for f in sentence.figures]
    assert owners == ["Amazon", "Microsoft"]


def test_sentence_date_dates_the_figure(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    doc = nlp("By the end of January, derivatives of Qwen surpassed 90,000.")
    fig = analyse(doc, rules, date(2025, 8, 28)).sentences[0].figures[0]
    assert fig.as_of == date(2025, 1, 31)


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("Keller's shares lost a third of their value in 2021.", [("a third", -100 / 3, "%")]),
        ("Two-thirds of the company's staff work on chips.", [("Two-thirds", 200 / 3, "%")]),
        (
            "Of the $9 billion, roughly half went to new data centres.",
            [("$9 billion", 9e9, "USD"), ("half", 50.0, "%")],
        ),
        # A half or a quarter that is a period or part of an amount is no share.
        ("Revenue in the first half of the year rose 5%.", [("5%", 5.0, "%")]),
        (
            "Keller will buy a quarter of a trillion dollars of capacity.",
            [("a quarter of a trillion dollars", 2.5e11, "USD")],
        ),
    ],
)
def test_a_fraction_of_something_is_a_share_of_it(nlp, rules, sentence: str, expected) -> None:  # type: ignore[no-untyped-def]
    got = [(f.text, f.value, f.unit) for s in analyse(nlp(sentence), rules, None).sentences for f in s.figures]
    assert got == [(t, pytest.approx(v), u) for t, v, u in expected]
