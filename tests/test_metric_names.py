"""What a growth rate measures when its clause names no metric: kinds of sentence written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

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


def test_a_flow_is_named_for_what_it_measures_and_compared_only_over_the_same_kind_of_period(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from bot.answering.claims import same_measure

    text = (
        "Keller's revenue was $8.1 billion in the quarter ended September 30. "
        "For the fiscal year ended June 30, 2025, Keller's revenue was $30 billion."
    )
    found = _records(nlp, rules, text)
    quarter, year = found["$8.1 billion"], found["$30 billion"]
    assert quarter.metric == year.metric == "revenue"
    assert quarter.period is not None and year.period is not None

    def measured(m):  # type: ignore[no-untyped-def]
        return SimpleNamespace(entity_id=1, metric=m.metric, kind="money", unit="USD", period_kind=m.period.kind)

    assert not same_measure(measured(quarter), measured(year))
    assert same_measure(measured(quarter), measured(quarter))


def test_a_bare_count_counts_what_the_sentence_before_counted(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Orbit-7 has 40 billion parameters. Orbit-7-lite makes do with 4.2 billion."
    found = _records(nlp, rules, text)
    assert found["4.2 billion"].metric == found["40 billion parameters"].metric == "parameters"
    # Within one sentence, a bracketed count is what its own words say (active, not total, parameters).
    found = _records(nlp, rules, "Orbit-9 has 900 billion parameters (52 billion activated).")
    assert found["52 billion"].metric != found["900 billion parameters"].metric


def test_a_named_business_that_grows_to_an_amount_grows_its_sales_not_what_its_description_names(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller Edge, which rents out computing power and data centres, grew 28% to $1.9 billion in the quarter."
    found = _records(nlp, rules, text)
    assert found["$1.9 billion"].base == "revenue", found["$1.9 billion"]
    # Costs that grow are no sales: only a name growing is.
    found = _records(nlp, rules, "Its marketing costs grew 12% to $300 million in the quarter.")
    assert found["$300 million"].base != "revenue"


def test_it_as_a_subject_points_back_to_a_name_that_was_one(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Alibaba's profit jumped thanks to a one-off gain from Ant Group's listing, while on an adjusted basis "
        "it rose 9% to 12 billion yuan."
    )
    found = _records(nlp, rules, text)
    assert found["12 billion yuan"].subject != "Ant Group", found["12 billion yuan"].subject


def test_a_share_held_is_the_holders(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Under the deal, Alibaba Group holds about 33% of Ant Group, a stake valued at roughly $80 billion."
    found = _records(nlp, rules, text)
    assert found["33%"].subject == "Alibaba Group", found["33%"].subject


def test_a_per_share_amount_is_no_total(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Adjusted earnings per American depositary share rose 12% to 9.40 yuan. "
        "Net income increased 8% to $2.1 billion, or $1.75 a share, and the board declared a dividend of $0.40 "
        "per share."
    )
    found = _records(nlp, rules, text)
    assert found["9.40 yuan"].base == found["$1.75"].base == "earnings per share"
    assert found["$2.1 billion"].base == "net income"
    assert found["$0.40"].base == "dividend per share"


def test_a_semicolon_keeps_two_clauses_subjects_apart(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Alibaba profit jumps to ¥40 billion on cloud demand; ByteDance stake valued at $20 billion"
    found = _records(nlp, rules, text)
    assert found["¥40 billion"].subject == "Alibaba Group", found["¥40 billion"].subject


def test_a_kind_of_a_metric_set_beside_the_whole_is_another_metric(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said revenue for the three months to September 30 rose 4% to $8.1 billion. "
        "Subscription revenue rose 31% to $2.6 billion in the quarter."
    )
    found = _records(nlp, rules, text)
    assert found["$8.1 billion"].metric == "revenue"
    assert found["$2.6 billion"].metric == "subscription revenue", found["$2.6 billion"]
    assert found["31%"].metric == "subscription revenue growth", found["31%"]
    assert found["4%"].metric == "revenue growth"


def test_a_kind_named_alone_is_the_subjects_metric_as_the_article_names_it(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tarnwell's licensing revenue for the three months to September 30 came to $410 million, up 13%. "
        "Its revenue growth in the previous quarter had been 7%."
    )
    found = _records(nlp, rules, text)
    assert found["$410 million"].metric == "revenue", found["$410 million"]
    assert found["13%"].metric == found["7%"].metric == "revenue growth"


def test_what_makes_up_a_share_of_revenue_is_no_growth(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "By September, services made up 12% of Keller's revenue."
    found = _records(nlp, rules, text)
    assert not found["12%"].metric.endswith("growth"), found["12%"]


def test_a_number_counts_the_noun_its_modifier_hangs_on(nlp) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Doc

    from bot.reading.figure_words import counted_noun

    # The parse the pipeline gives some such phrases: the number hangs on the modifier, taken for a noun that
    # hangs on the noun after it. What is counted is that noun.
    words = ["Keller", "completed", "1.2", "million", "fully", "automated", "trips", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=[1, 1, 3, 5, 5, 6, 1, 1],
        deps=["nsubj", "ROOT", "compound", "nummod", "advmod", "nsubj", "dobj", "punct"],
        pos=["PROPN", "VERB", "NUM", "NUM", "ADV", "NOUN", "NOUN", "PUNCT"],
        tags=["NNP", "VBD", "CD", "CD", "RB", "NN", "NNS", "."],
    )
    assert counted_noun(doc[3]) == "trips"
    # A noun that the number counts and that governs the next one is still what is counted.
    assert counted_noun(nlp("Keller sold 40,000 vans last year.")[2]) == "vans"


def test_a_percentage_a_measure_rises_to_is_where_it_stands_not_a_growth_rate(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller's operating margin fell to 18.4% in the quarter ended September 30 from 19.9% a year earlier."
    found = _records(nlp, rules, text)
    assert found["18.4%"].metric == found["19.9%"].metric == "operating margin", found
    # A growth rate that rises to a level is still a growth rate.
    text = "Tarnwell's revenue growth accelerated to 12% in the quarter ended September 30 from 7% a year earlier."
    found = _records(nlp, rules, text)
    assert found["12%"].metric.endswith("growth"), found


def test_a_write_down_is_an_impairment_not_spending(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller cut its profit by writing down $2.1 billion of unused office buildings in the quarter."
    found = _records(nlp, rules, text)
    assert found["$2.1 billion"].metric == "impairment", found


@pytest.mark.parametrize(
    "text,amount",
    [
        ("Keller swung to a net loss of 6.4 billion yuan in the quarter ended September 30.", "6.4 billion yuan"),
        ("Tarnwell posted a $3 billion loss in the quarter ended September 30.", "$3 billion"),
        ("Frost booked losses of $4 billion in the quarter ended September 30.", "$4 billion"),
    ],
)
def test_a_loss_is_negative_income(nlp, rules, text, amount) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    figures = {f.text: (f, m) for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    fig, measure = figures[amount]
    assert fig.value < 0 and measure.metric == "net income", (fig, measure)


def test_a_profit_beside_a_loss_stays_positive_and_a_converted_loss_is_negative(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller made a profit of $2 billion despite losses at Tarnwell, which lost 9 billion yuan ($1.3 billion)."
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    values = {f.text: f.value for row in analysis.sentences for f in row.figures}
    assert values["$2 billion"] > 0 and values["9 billion yuan"] < 0 and values["$1.3 billion"] < 0, values


def test_the_words_past_a_semicolon_do_not_name_a_figure(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller profit more than doubles to $2 billion on cloud demand; Tarnwell stake sold for $500 million"
    found = _records(nlp, rules, text)
    assert found["$2 billion"].metric == "net income", found


def test_an_amount_said_twice_takes_what_the_naming_mention_states(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's $9.4 billion quarter: what the build-out bought\n\n"
        "In the three months to September 30, Keller's capital spending reached $9.4 billion."
    )
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    both = [m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)]
    assert [m.metric for m in both] == ["capital expenditure", "capital expenditure"], both
    assert both[0].period == both[1].period and both[0].period is not None


def test_a_sentence_that_names_only_its_source_is_about_the_articles_company(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tarnwell Systems posted higher sales in the quarter ended September 30.\n\n"
        "Tarnwell does not give forecasts. Analysts expect sales of about $9 billion for the December quarter, "
        "according to estimates compiled by Meridale Data."
    )
    found = _records(nlp, rules, text)
    assert found["$9 billion"].subject is not None and "Tarnwell" in found["$9 billion"].subject, found


def test_a_share_names_only_the_amount_it_follows(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller's net income for the quarter ended September 30 rose 11% to $4.2 billion, or $1.10 a share."
    found = _records(nlp, rules, text)
    assert found["11%"].metric == "net income growth", found["11%"]
    assert found["$4.2 billion"].metric == "net income", found["$4.2 billion"]
    assert found["$1.10"].metric == "earnings per share", found["$1.10"]
    text = "Keller's earnings per share for the quarter ended September 30 fell 9% to $1.10."
    assert _records(nlp, rules, text)["9%"].metric == "earnings per share growth"


def test_a_valuation_is_read_from_the_verb_not_from_any_word_like_value(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Its loan ratio, which compares debt with the value of its holdings, was steady, "
        "and it held $4.2 billion in cash."
    )
    assert _records(nlp, rules, text)["$4.2 billion"].metric != "market value"
    text = "Keller agreed a deal that values Tarn Labs at $2 billion."
    assert _records(nlp, rules, text)["$2 billion"].metric == "market value"


def test_a_company_named_by_its_trade_is_the_company_talked_about_not_its_product(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Alibaba has lent money to Zenith Robotics Inc. for two years. "
        "Last week the Lumo maker was priced at $8 billion by new investors."
    )
    found = _records(nlp, rules, text)
    assert found["$8 billion"].subject == "Zenith Robotics Inc", found["$8 billion"]


def test_a_companys_trade_and_who_acts_name_no_metric(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Alibaba raised the credit line secured on its holding in robot-chip developer Velora to $6 billion. "
        "The group handed over $1.1 billion to suppliers in the same period."
    )
    found = _records(nlp, rules, text)
    # "chip" describes the company whose holding secures the line, not what the money is spent on
    assert "chip" not in found["$6 billion"].metric, found["$6 billion"]
    # who pays is not what is paid
    assert found["$1.1 billion"].metric != "group", found["$1.1 billion"]


def test_every_common_verb_of_change_makes_a_percentage_a_growth_rate(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "In the three months to September 30, Zenith Robotics lifted sales 15% to $2.6 billion. "
        "Its hardware revenue slid 4% and its services arm boosted sales 19%."
    )
    found = _records(nlp, rules, text)
    for pct in ("15%", "4%", "19%"):
        assert found[pct].metric.endswith("revenue growth"), found[pct]
        assert found[pct].period is not None and found[pct].period.end == date(2025, 9, 30), found[pct]
    # one common word ("services") is no catalog name the article never said
    assert found["19%"].subject == "Zenith Robotics", found["19%"]


def test_daily_users_are_not_monthly_users(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Lumo counted 63 million monthly active users in August, and 8 million daily active users. "
        "Since then daily users have climbed to 11 million."
    )
    found = _records(nlp, rules, text)
    assert found["8 million"].metric == found["11 million"].metric, found
    assert found["8 million"].metric != found["63 million monthly active users"].metric, found


def test_a_rate_at_constant_currency_is_its_own_metric(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Zenith Robotics said its sales rose 8% in the quarter, or 11% at constant currency. "
        "It guided to sales growth of 6% to 9% at constant currency for the full year. "
        "At constant currency, services revenue climbed 14%."
    )
    found = _records(nlp, rules, text)
    assert not found["8%"].metric.endswith("at constant currency"), found["8%"]
    for pct in ("11%", "6%", "9%", "14%"):
        assert found[pct].metric.endswith("growth at constant currency"), found[pct]


def test_who_forecasts_or_flags_a_figure_is_no_subject_of_it(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems published its results on Tuesday. "
        "Its finance chief, Hana Lee, warned of a charge of roughly $300 million in the coming year."
    )
    found = _records(nlp, rules, text)
    assert found["$300 million"].subject == "Keller Systems", found["$300 million"]


def test_the_period_of_an_amount_compared_with_is_not_the_figure_befores(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said operating profit for July-September was $1.8 billion. "
        "That beat the $1.2 billion that analysts had pencilled in and compared with operating profit "
        "of $960 million in April-June, its fiscal first quarter. "
        "Its cloud unit lifted revenue 21% to $2.7 billion in the quarter ended June 30."
    )
    found = _records(nlp, rules, text)
    assert found["$1.2 billion"].period.end == date(2025, 9, 30), found["$1.2 billion"]
    assert found["$960 million"].period.end == date(2025, 6, 30), found["$960 million"]
    # a change and the level it reaches share the period said after both
    assert found["21%"].period.end == date(2025, 6, 30), found["21%"]


def test_the_quarter_before_is_before_the_quarter_just_named(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said on Monday that operating profit for April-June was $2.4 billion. "
        "In October-December it had booked an operating loss of $0.3 billion. "
        "It had earned an operating profit of $1.7 billion in the quarter before."
    )
    analysis = analyse(nlp(text), rules, date(2026, 7, 28), published=date(2026, 7, 28))
    found = {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    assert found["$0.3 billion"].period.end == date(2025, 12, 31), found["$0.3 billion"]
    assert found["$1.7 billion"].period.end == date(2025, 9, 30), found["$1.7 billion"]


def test_a_name_in_another_clause_does_not_keep_a_figure_from_the_story_company(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Alibaba reported results on Tuesday. "
        "Orders on hand climbed to $58 billion in June, and some 30% of new bookings came from Orbit Networks."
    )
    found = _records(nlp, rules, text)
    assert found["$58 billion"].subject == "Alibaba Group", found["$58 billion"]


def test_a_share_held_is_a_stake_whatever_else_the_sentence_says(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems holds about 18% of Orbit Networks. "
        "Its 21.5% stake in Tarnwell Labs, worth about $4 billion, lifted earnings: net income rose 35%."
    )
    found = _records(nlp, rules, text)
    assert found["18%"].metric == found["21.5%"].metric == "stake", (found["18%"], found["21.5%"])
    assert found["35%"].metric == "net income growth", found["35%"]


def test_people_a_company_employs_are_its_employees(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller Systems employs some 14,000 people. It has 38,000 employees on its books."
    found = _records(nlp, rules, text)
    assert found["14,000 people"].metric == found["38,000 employees"].metric == "employees", found


def test_growth_on_the_quarter_before_is_not_growth_on_a_year_before(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said revenue rose 8% from a year earlier and 3% from the previous quarter. "
        "Cloud sales grew 5% sequentially, and services revenue rose 4% from the second quarter. "
        "Ad revenue growth nearly tripled from the previous quarter's 6%."
    )
    found = _records(nlp, rules, text)
    assert found["8%"].metric == "revenue growth", found["8%"]
    assert not found["6%"].metric.endswith("on the quarter before"), found["6%"]  # that quarter's own rate
    for pct in ("3%", "5%", "4%"):
        assert found[pct].metric.endswith("growth on the quarter before"), found[pct]


def test_a_figure_confined_to_a_place_is_that_places(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems employs about 9,000 people in Spain, and its sales in Portugal rose 12% to $2 billion. "
        "It holds a 30% stake in Orbit Networks."
    )
    found = _records(nlp, rules, text)
    assert found["9,000 people"].metric == "employees in Spain", found["9,000 people"]
    assert found["$2 billion"].metric == "revenue in Portugal", found["$2 billion"]
    assert found["30%"].metric == "stake", found["30%"]  # what a stake is in is no place


def test_a_count_for_a_name_is_that_names(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Alibaba said its Quark app was installed 31 million times last year; the store counted 64 million "
        "installs for Orbit Networks."
    )
    found = _records(nlp, rules, text)
    assert found["64 million installs"].subject == "Orbit Networks", found["64 million installs"]


def test_a_year_earlier_stays_in_its_clause_and_a_margin_holds_over_the_story_quarter(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said revenue for the three months to September 30 climbed 18% to $4.2 billion. "
        "Operating profit rose to $610 million from $280 million a year earlier, and the operating margin widened "
        "to 14.5%."
    )
    analysis = analyse(nlp(text), rules, date(2025, 11, 6), published=date(2025, 11, 6))
    found = {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    assert found["$280 million"].period.end == date(2024, 9, 30), found["$280 million"]
    assert found["14.5%"].period is not None and found["14.5%"].period.end == date(2025, 9, 30), found["14.5%"]


def test_where_shares_rise_or_close_is_their_price(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's shares rose 6.4% to 212 crowns in Oslo trading, giving the company a market value of about "
        "31 billion crowns."
    )
    found = _records(nlp, rules, text)
    assert found["212 crowns"].metric == "share price", found["212 crowns"]
    assert found["31 billion crowns"].metric == "market value", found["31 billion crowns"]


def test_a_base_compared_with_is_the_same_measure_and_a_reported_month_dates_the_report(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Lumen AI raised $1.2 billion in a round that values the company at $14 billion, up from $6 billion a year "
        "ago. Its app now counts 40 million weekly active users, double the number it reported in September."
    )
    analysis = analyse(nlp(text), rules, date(2026, 3, 4), published=date(2026, 3, 4))
    found = {f.text: m for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)}
    assert found["$6 billion"].metric == found["$14 billion"].metric == "market value", found
    users = found["40 million weekly active users"]
    assert users.period is None and users.as_of == date(2026, 3, 4), users
    # "more than" hedges a figure; it compares it with nothing
    text = "Keller's sales grew 17% in the quarter, while its shares are up more than 58% since January."
    found = _records(nlp, rules, text)
    assert found["58%"].metric != found["17%"].metric, found


def test_the_way_money_moves_names_it_when_no_noun_does(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems reported results for the quarter ended September 30. "
        "Its hosting arm, which runs four data centres, brought in $3.2 billion. "
        "Keller has poured $2.5 billion into Tarnwell since 2022. "
        "Keller sold its Brightmoor stake for $1.2 billion in August. "
        "The group spent $600 million on data centres."
    )
    found = _records(nlp, rules, text)
    assert found["$3.2 billion"].base == "revenue", found["$3.2 billion"]  # not the data centres' spending
    assert found["$2.5 billion"].metric == "investment", found["$2.5 billion"]
    assert found["$1.2 billion"].metric == "sale proceeds", found["$1.2 billion"]
    assert found["$600 million"].metric == "capital expenditure", found["$600 million"]


def test_a_part_of_a_business_that_brings_in_money_narrows_its_revenue(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems said revenue rose 6% to $9.4 billion in the quarter ended September 30. "
        "Payment services brought in $2.6 billion, up 11% from a year earlier."
    )
    found = _records(nlp, rules, text)
    assert found["$9.4 billion"].metric == "revenue"
    assert found["$2.6 billion"].metric == "payment services revenue", found["$2.6 billion"]
    assert found["11%"].metric == "payment services revenue growth", found["11%"]


def test_a_loan_widened_to_an_amount_is_the_loans_size(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems widened the credit line secured on its Tarnwell shares to $3 billion. "
        "Brightmoor enlarged its bridge loan to $900 million."
    )
    found = _records(nlp, rules, text)
    assert found["$3 billion"].metric == "credit line", found["$3 billion"]
    assert found["$900 million"].metric == "bridge loan", found["$900 million"]


def test_a_business_that_grows_by_a_rate_grows_its_sales(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems reported results for the quarter ended September 30. "
        "Tarnwell Cloud, the group's hosting unit, grew 31%, or 33% at constant currency. "
        "That was faster than the 27% it reported a quarter earlier. "
        "Staff turnover at Keller eased to 12.5% from 13.9%."
    )
    found = _records(nlp, rules, text)
    assert found["31%"].metric == "revenue growth", found["31%"]
    assert found["33%"].metric == "revenue growth at constant currency", found["33%"]
    assert found["27%"].metric == "revenue growth", found["27%"]
    assert "revenue" not in found["12.5%"].metric, found["12.5%"]


def test_analysts_figure_is_not_the_companys_forecast_of_the_same_number(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems reported results for the quarter ended September 30. Analysts had expected 21%. "
        "For the current quarter, Keller forecast sales growth of 19% to 21%."
    )
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    pairs = [(f.text, m) for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)]
    statuses = [m.status for text_, m in pairs if text_ == "21%"]
    assert statuses == ["estimate", "forecast"], pairs


def test_an_amount_per_share_is_a_per_share_metric_of_the_quarter_its_total_is_of(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller Systems reported results for the quarter ended September 30. "
        "Net profit rose to $2.2 billion from $1.9 billion a year earlier, or $3.15 per share. "
        "That beat the $2.0 billion analysts had expected."
    )
    found = _records(nlp, rules, text)
    per_share, total = found["$3.15"], found["$2.2 billion"]
    assert per_share.metric == "earnings per share", per_share
    assert per_share.period == total.period, per_share  # not the year-earlier base's
    assert found["$2.0 billion"].metric == "net income", found["$2.0 billion"]


def test_a_noun_phrase_that_names_no_metric_names_its_own(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    found = _records(nlp, rules, "Order backlog, a pointer to sales next year, rose to $9.3 billion.")
    assert found["$9.3 billion"].metric == "order backlog", found["$9.3 billion"]
    # a noun that says how sure a figure is names nothing: the figure is of the metric just said
    found = _records(
        nlp, rules, "Keller's revenue rose to $8.8 billion. The average analyst forecast was $9.1 billion."
    )
    assert found["$9.1 billion"].metric == "revenue", found["$9.1 billion"]


def test_an_amount_a_verb_takes_something_past_is_that_things(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "The purchase took Keller's order backlog past $14 billion."
    found = _records(nlp, rules, text)
    assert found["$14 billion"].metric == "order backlog", found["$14 billion"]


def test_a_part_that_led_a_flow_measures_its_own_share_of_it(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's sales rose 9% to $4.1 billion in the quarter ended September 30, led by industrial software, "
        "which grew 30% to $1.2 billion."
    )
    found = _records(nlp, rules, text)
    assert found["30%"].metric == "industrial software revenue growth", found["30%"]
    assert found["$1.2 billion"].metric == "industrial software revenue", found["$1.2 billion"]
    assert found["$4.1 billion"].metric == "revenue", found["$4.1 billion"]


def test_a_kind_shown_once_beside_the_whole_stays_that_kind_at_another_time(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller's revenue rose 3% in the quarter ended December 31. "
        "Licensing revenue jumped 61% in the quarter ended December 31, faster than its 44% gain in "
        "the quarter ended September 30."
    )
    found = _records(nlp, rules, text)
    assert found["61%"].metric == "licensing revenue growth", found["61%"]
    assert found["44%"].metric == found["61%"].metric, found["44%"]


def test_a_figure_on_an_adjusted_basis_is_another_measure_than_the_reported_one(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "In the quarter ended September 30, Keller's net income rose 41% to $2.9 billion on a one-time gain, "
        "while on an adjusted basis it grew 12% to $2.3 billion."
    )
    found = _records(nlp, rules, text)
    assert found["$2.9 billion"].metric == "net income", found["$2.9 billion"]
    assert found["$2.3 billion"].metric == "adjusted net income", found["$2.3 billion"]
    assert found["12%"].metric == "adjusted net income growth", found["12%"]


def test_a_share_is_named_by_what_it_is_of_and_a_portion_said_again_is_that_share(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "In the quarter ended September 30, Keller's robotics arm made up 28% of its sales. "
        "Investors will watch whether the 28% share keeps climbing, while Keller's shares rose 6% this year."
    )
    analysis = analyse(nlp(text), rules, date(2025, 10, 23), published=date(2025, 10, 23))
    found = [(f.text, m) for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)]
    (_, first), (_, again), (_, stock) = found
    assert first.metric == "share: revenue", first
    assert again.metric == first.metric and again.period == first.period, again
    assert stock.metric == "share price change", stock


def test_money_a_company_made_is_what_it_earned_unless_its_clause_names_sales(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "In the three months to September 30, Keller made $1.7 billion. "
        "Its software arm made $600 million in sales in the quarter ended September 30."
    )
    found = _records(nlp, rules, text)
    assert found["$1.7 billion"].metric == "net income", found["$1.7 billion"]
    assert found["$600 million"].metric.endswith("revenue"), found["$600 million"]


def test_a_relative_clause_says_what_of_the_noun_it_hangs_from(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Keller's shares, which had climbed roughly 12% since January, fell in late trading."
    found = _records(nlp, rules, text)
    assert found["12%"].metric.startswith("share price change"), found["12%"]


def test_bare_points_after_percentage_points_are_percentage_points_of_their_own_time(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "In the quarter ended September 30, robotics added 9 percentage points to Keller's sales growth, "
        "compared with 7 points three months earlier."
    )
    found = _records(nlp, rules, text)
    now, then = found["9 percentage points"], found["7 points"]
    assert then.metric == now.metric, (now, then)
    assert then.period is not None and then.period.end == date(2025, 6, 30), then


def test_a_gain_is_named_by_its_own_noun_not_by_a_clause_that_mentions_one(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    found = _records(nlp, rules, "Keller recorded a gain of $1.4 billion on its holding in the quarter.")
    assert found["$1.4 billion"].metric == "investment gains", found
    found = _records(nlp, rules, "Keller's profit rose to $9 billion in the quarter on a one-off gain.")
    assert found["$9 billion"].metric == "net income", found


@pytest.mark.parametrize(
    ("sentence", "figure", "metric"),
    [
        ("Revenue from cloud services rose 20% to $4 billion in the quarter.", "$4 billion", "cloud services revenue"),
        ("Keller booked $3 billion from its advertising business in the quarter.", "$3 billion", "advertising revenue"),
        # who pays is no kind of revenue; a name there is whose it is
        ("Its revenue from customers in Europe rose to $6.1 billion in the quarter.", "$6.1 billion", "revenue"),
    ],
)
def test_what_money_comes_from_names_its_kind(nlp, rules, sentence: str, figure: str, metric: str) -> None:  # type: ignore[no-untyped-def]
    text = f"Keller's revenue was $12 billion in the quarter. {sentence}"
    found = _records(nlp, rules, text)
    assert found[figure].metric == metric, found


def test_an_amount_paid_is_spent_not_the_metric_said_before(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Keller earned $3.1 billion in the September quarter. "
        "In November the company paid the final $700 million of its pledge to a state fund."
    )
    found = _records(nlp, rules, text)
    assert found["$3.1 billion"].metric == "net income", found
    assert found["$700 million"].metric == "spending", found


@pytest.mark.parametrize(
    ("text", "figure", "metric"),
    [
        (
            "Keller had 22,000 employees in June, after eliminating about 1,400 positions in May.",
            "1,400 positions",
            "layoffs",
        ),
        ("Keller cut 900 jobs at its plant in March.", "900 jobs", "layoffs"),
        ("Keller added 300 jobs at its plant in March.", "300 jobs", "jobs"),
    ],
)
def test_jobs_a_verb_of_cutting_counts_are_layoffs(nlp, rules, text: str, figure: str, metric: str) -> None:  # type: ignore[no-untyped-def]
    assert _records(nlp, rules, text)[figure].metric == metric
