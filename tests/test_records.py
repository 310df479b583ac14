"""Figure records: subject, metric, period and status, table-driven through the real spaCy pipeline; and no false
"changed" or "differ" line between figures that measure different things."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answering.answers import Answerer
from bot.answering.changes import figure_changes
from bot.reading.analysis import analyse
from bot.reading.files import RawDocument
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Figure
from tests.conftest import RULES

NOV = date(2025, 11, 20)


def records(nlp, rules, text: str, published: date | None = NOV):  # type: ignore[no-untyped-def]
    analysis = analyse(nlp(text), rules, published, published=published)
    return [(f, m) for row in analysis.sentences for f, m in zip(row.figures, row.measures, strict=True)]


SUBJECTS = [
    # The possessor of what is measured, not the article's main company.
    ("Tencent's cloud revenue rose 12% in the quarter ended September 30.", "12%", "Tencent"),
    # The subject of the verb that governs the amount, through "plans to".
    ("Baidu plans to spend 20 billion yuan on data centres next year.", "20 billion yuan", "Baidu"),
    # A speaker is not what the figure measures.
    ("Eddie Wu said Alibaba Cloud will add 5,000 engineers.", "5,000 engineers", "Alibaba Cloud"),
    # "which" stands for the name the clause hangs from.
    ("Ant Group signed a deal with Huawei, which ships 50 million phones a year.", "50 million phones", "Huawei"),
    # Premodifiers and "of"-phrases name the subject.
    ("The Tmall user base reached 900 million users.", "900 million users", "Tmall"),
    ("Over 70% of the staff of DAMO Academy work on models.", "70%", "DAMO Academy"),
    # The model a count belongs to, in an apposition.
    ("Alibaba released Qwen3, a model with 235 billion parameters.", "235 billion parameters", "Qwen3"),
    # A company named as held (a stake's modifier or its "in" phrase) is not whose the gain or the price is.
    (
        "Tencent reported on Tuesday. Gains on the Huawei stake added up to 3 billion yuan over the nine months.",
        "3 billion yuan",
        "Tencent",
    ),
    ("Tencent reported on Tuesday. Its stake in Huawei was sold for $2 billion.", "$2 billion", "Tencent"),
    # A share a verb of holding takes is of what is held, and a stake beside a name says the name is held.
    ("Tencent holds about 20% of Ant Group, a stake valued at $9 billion.", "$9 billion", "Tencent"),
    ("Tencent holds about 20% of Ant Group, for the $2 billion it has paid in since 2021.", "$2 billion", "Tencent"),
    # A name across a ";" is another clause's: the stake sold is neither the gain's company nor its own.
    ("Tencent profit jumps on Huawei gain; Ant Group stake sold for $3 billion", "$3 billion", "Tencent"),
    # "its" goes on from the "it" its sentence began with, past a product named between them.
    (
        "Tencent expanded its cloud. After it added 4,000 Huawei servers in May, its data centres held 9,000 servers.",
        "9,000 servers",
        "Tencent",
    ),
    # A sentence that names only the article's company, in a clause of its own, is still about that company.
    (
        "Tencent opened an office. The year had gone well. Ad sales came to 9.3 billion yuan, above what Tencent "
        "had guided.",
        "9.3 billion yuan",
        "Tencent",
    ),
]


@pytest.mark.parametrize(("text", "figure", "subject"), SUBJECTS, ids=[s[1] for s in SUBJECTS])
def test_subject_is_what_the_figure_measures(nlp, rules, text: str, figure: str, subject: str) -> None:  # type: ignore[no-untyped-def]
    found = {f.text: m.subject for f, m in records(nlp, rules, text)}
    assert found[figure] == subject, found


def test_the_company_and_it_resolve_to_the_company_talked_about(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tencent opened a new data centre in Shanghai. Tencent also hired engineers from Huawei. "
        "The company expects revenue of 200 billion yuan next year. It employs 110,000 people."
    )
    found = {f.text: m.subject for f, m in records(nlp, rules, text)}
    assert found == {"200 billion yuan": "Tencent", "110,000 people": "Tencent"}


METRICS = [
    # Growth of a level is not the level; a share price is not its change.
    (
        "Alibaba Cloud revenue grew 18% to 40 billion yuan in the quarter ended June 30.",
        {"18%": "revenue growth", "40 billion yuan": "revenue"},
    ),
    (
        "Alibaba's shares closed at 150 HKD per share, up 8% so far this year.",
        {"150 HKD": "share price", "8%": "share price change so far this year"},
    ),
    # Total vs activated parameters of one model; a plan vs quarterly spending.
    (
        "DeepSeek-V3 has 671 billion parameters (37 billion activated).",
        {"671 billion parameters": "parameters", "37 billion": "active parameters"},
    ),
    (
        "Capital expenditure was 30 billion yuan in the quarter alone, part of a 380 billion yuan three-year plan.",
        {"30 billion yuan": "capital expenditure", "380 billion yuan": "capital expenditure plan"},
    ),
    # An unknown kind of count is still named, after what it counts.
    (
        "Quark now has 150 million monthly users and 2,000 plug-ins.",
        {"150 million monthly users": "monthly users", "2,000 plug-ins": "plug-ins"},
    ),
]


@pytest.mark.parametrize(("text", "want"), METRICS, ids=[m[0][:30] for m in METRICS])
def test_metric_says_what_is_measured(nlp, rules, text: str, want: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    found = {f.text: m.metric for f, m in records(nlp, rules, text)}
    assert {k: found.get(k) for k in want} == want


PERIODS = [
    # (sentence, figure, period start, period end) with the article dated 2025-11-20
    ("Revenue rose 10% in the quarter ended September 30.", "10%", date(2025, 7, 1), date(2025, 9, 30)),
    # Alibaba's fiscal year ends March 31: fiscal 2026 Q2 is July-September 2025.
    ("In fiscal 2026 Q2, Alibaba Cloud revenue grew 34%.", "34%", date(2025, 7, 1), date(2025, 9, 30)),
    (
        "In the second quarter of fiscal year 2025, Taotian Group revenue rose 1%.",
        "1%",
        date(2024, 7, 1),
        date(2024, 9, 30),
    ),
    # A calendar quarter said as such.
    ("In the third quarter of 2024, Tencent revenue grew 8%.", "8%", date(2024, 7, 1), date(2024, 9, 30)),
    # A budget for "this year" is the whole year; a rise "this year" is the year so far.
    ("Baidu's budget for chips this year is 10 billion yuan.", "10 billion yuan", date(2025, 1, 1), date(2025, 12, 31)),
    ("Tencent's stock has risen 40% this year.", "40%", date(2025, 1, 1), NOV),
    # A horizon counts from the date the sentence states.
    (
        "In March 2024, Tencent pledged 50 billion yuan over the next five years.",
        "50 billion yuan",
        date(2024, 3, 15),
        date(2029, 3, 15),
    ),
    ("Between 2019 and 2021, Baidu lost 40% of its market value.", "40%", date(2019, 1, 1), date(2021, 12, 31)),
    # An ordinal quarter or half with no year: the latest one begun by the article's date, in the calendar year.
    (
        "Tencent spent 19 billion yuan on servers in the second quarter.",
        "19 billion yuan",
        date(2025, 4, 1),
        date(2025, 6, 30),
    ),
    ("Baidu hired 900 engineers in the first half.", "900 engineers", date(2025, 1, 1), date(2025, 6, 30)),
    ("Kuaishou's revenue grew 3% in the fourth quarter.", "3%", date(2024, 10, 1), date(2024, 12, 31)),
    # A year ended on a day is the twelve months to it.
    (
        "For the fiscal year ended March 31, Tencent's revenue was 996 billion yuan.",
        "996 billion yuan",
        date(2024, 4, 1),
        date(2025, 3, 31),
    ),
]


@pytest.mark.parametrize(("text", "figure", "start", "end"), PERIODS, ids=[p[0][:30] for p in PERIODS])
def test_period_dates(nlp, rules, text: str, figure: str, start: date, end: date) -> None:  # type: ignore[no-untyped-def]
    found = {f.text: m.period for f, m in records(nlp, rules, text)}
    period = found[figure]
    assert period is not None and (period.start, period.end) == (start, end)


def test_relative_quarters_follow_the_quarter_the_article_named(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tencent reported results for the quarter ended September 30. Revenue grew 15%, faster than the "
        "previous quarter's 9%."
    )
    found = {f.text: m.period for f, m in records(nlp, rules, text)}
    assert (found["15%"].start, found["15%"].end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert (found["9%"].start, found["9%"].end) == (date(2025, 4, 1), date(2025, 6, 30))


def test_as_of_dates(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    found = {f.text: m.as_of for f, m in records(nlp, rules, "By the end of June, Qwen had 300,000 derived models.")}
    assert found == {"300,000 derived models": date(2025, 6, 30)}
    # A month in a clause set off beside the figure dates that clause, not the figure.
    text = "Kimi's app, which topped the App Store in January, now has 30 million weekly users."
    found = {f.text: m.as_of for f, m in records(nlp, rules, text)}
    assert found["30 million weekly users"] != date(2025, 1, 31), found
    found = {f.text: m.as_of for f, m in records(nlp, rules, "Kimi had 30 million weekly users in January.")}
    assert found == {"30 million weekly users": date(2025, 1, 31)}


STATUSES = [
    ("Tencent plans to invest 30 billion yuan in AI next year.", "30 billion yuan", "plan"),
    ("Baidu is expected to reach 100 million users next year.", "100 million users", "forecast"),
    ("Analysts estimate Tencent spent 20 billion yuan on chips last year.", "20 billion yuan", "estimate"),
    ("Sources said Baidu's chip budget is 8 billion yuan.", "8 billion yuan", "estimate"),
    ("Tencent spent 20 billion yuan on chips last year.", "20 billion yuan", "actual"),
    ("Tencent pledged 70 billion yuan ($9.8 billion) to AI.", "$9.8 billion", "converted"),
]


@pytest.mark.parametrize(("text", "figure", "status"), STATUSES, ids=[s[0][:30] for s in STATUSES])
def test_status(nlp, rules, text: str, figure: str, status: str) -> None:  # type: ignore[no-untyped-def]
    found = {f.text: m.status for f, m in records(nlp, rules, text)}
    assert found[figure] == status


def test_a_decline_is_a_negative_change(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    found = {f.text: f.value for f, _ in records(nlp, rules, "Net income fell 40% while revenue rose 5%.")}
    assert found == {"40%": -40.0, "5%": 5.0}
    # The level a change ends at is not the change; other verbs of going down are declines too.
    found = {
        f.text: f.value
        for f, _ in records(
            nlp, rules, "Tencent's market share slipped 2.6 percentage points to 35.8%, and its margin dipped 4%."
        )
    }
    assert found == {"2.6 percentage points": -2.6, "35.8%": 35.8, "4%": -4.0}


def test_a_measure_is_never_taken_for_the_name_it_belongs_to(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tencent's cloud unit was the bright spot. Adjusted EBITA rose 69% to 2.4 billion yuan in the "
        "quarter ended March 31."
    )
    analysis = analyse(nlp(text), rules, NOV, published=NOV)
    names = {m.name for row in analysis.sentences for m in row.mentions}
    assert "EBITA" not in names and "Adjusted EBITA" not in names, names
    assert all(m.subject not in ("EBITA", "Adjusted EBITA") for _, m in records(nlp, rules, text))


# -- comparisons through the store: only the same subject and metric are ever compared ------------------------------

ARTICLE_A = """Tencent AI update

September 1, 2025

Tencent's Hunyuan app passed 20 million downloads. Tencent said Baidu's model family has 500 million downloads.
Tencent's chip budget this year is 12 billion yuan.
"""
ARTICLE_B = """Baidu results

November 20, 2025

Baidu's model family has passed 600 million downloads. Baidu's chip budget this year is 15 billion yuan.
Tencent's chip budget this year is 12 billion yuan, the company said again.
"""


def _ingest(settings: Settings, name: str, text: str) -> int:
    result = Ingestor(settings, RULES).ingest_documents([(name, RawDocument(name=name, text=text))], progress=False)[0]
    assert result.status == "new", result.reason
    assert result.article_id is not None
    return result.article_id


def test_no_false_change_between_different_subjects_and_metrics(settings: Settings) -> None:
    first = _ingest(settings, "a.txt", ARTICLE_A)
    second = _ingest(settings, "b.txt", ARTICLE_B)
    with session_scope(settings.database_url) as session:
        changes = figure_changes(session, [second], against=[first])
    described = sorted((c.old.text, c.new.text, c.kind) for c in changes)
    # Baidu's downloads moved on; Baidu's chip budget is new, not a change of Tencent's; Tencent's is unchanged.
    assert described == [("500 million downloads", "600 million downloads", "changed")]


def test_answer_never_gives_another_subjects_figure(settings: Settings) -> None:
    _ingest(settings, "a.txt", ARTICLE_A)
    answer = Answerer(settings, RULES).ask("Huawei chip budget")
    assert answer.figures == [] or all(f.entity != "Tencent" for f in answer.figures[:1])
    answer = Answerer(settings, RULES).ask("Tencent chip budget")
    assert answer.kind == "figure" and answer.figures[0].value == 12e9 and answer.figures[0].entity == "Tencent"


def test_figures_command_lists_records_as_json(settings: Settings, tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    _ingest(settings, "a.txt", ARTICLE_A)
    env = dict(os.environ, DATABASE_URL=settings.database_url)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "figures", "--json", "--subject", "Tencent"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["text"] for r in rows} == {"20 million downloads", "12 billion yuan"}
    budget = next(r for r in rows if r["text"] == "12 billion yuan")
    assert budget["subject"]["name"] == "Tencent" and budget["period"]["start"] == "2025-01-01"
    assert budget["article"]["filename"] == "a.txt" and budget["claim"] and budget["date"] == "2025-12-31"


def test_a_results_article_against_the_seeds(settings: Settings) -> None:
    """A later results article: its cloud unit named in common words, app downloads kept apart from model
    downloads, and exactly the changes that are true."""
    from tests.conftest import FIXTURES, SEEDS

    ingestor = Ingestor(settings, RULES)
    ingestor.ingest_paths([SEEDS])
    new = ingestor.ingest_paths([FIXTURES / "results_2025-11-25.txt"])[0]
    assert new.status == "new" and new.article_id is not None
    with session_scope(settings.database_url) as session:
        changes = figure_changes(session, [new.article_id])
        from bot.answering.figure_records import figure_dicts
        from bot.store.models import Figure

        records = {r["text"]: r for r in figure_dicts(session, Figure.article_id == new.article_id)}
    assert records["34%"]["subject"]["name"] == "Alibaba Cloud"
    assert records["34%"]["period"]["start"] == "2025-07-01" and records["34%"]["period"]["end"] == "2025-09-30"
    assert records["10 million downloads"]["metric"] != records["600 million times"]["metric"]
    assert records["$34.8 billion"]["claim"] == records["247.8 billion yuan"]["claim"]
    assert records["52%"]["value"] == -52.0
    described = {(c.old.text, c.new.text, c.kind) for c in changes}
    assert ("26%", "34%", "changed") in described
    assert ("400 million downloads", "600 million times", "changed") in described
    assert not any("10 million downloads" in (c.old.text, c.new.text) for c in changes)
    assert all(c.kind == "changed" for c in changes)


def test_pronouns_market_share_and_half_years(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tencent said its cloud revenue rose 15% in Q2 2025. "
        "Baidu held a 20% share of the AI cloud market in the first half of 2025. "
        "ByteDance spent heavily on chips. Its chatbot app had 150 million users by the end of September."
    )
    found = {f.text: m for f, m in records(nlp, rules, text)}
    assert found["15%"].subject == "Tencent"  # "its" is the company named just before, not the most talked-about
    assert found["20%"].metric == "market share" and found["20%"].subject == "Baidu"
    period = found["20%"].period
    assert period is not None and (period.start, period.end) == (date(2025, 1, 1), date(2025, 6, 30))
    assert found["150 million users"].subject == "ByteDance"  # "Its" opening a sentence: the name before


def test_a_figure_contradicts_each_other_amount_once(settings: Settings) -> None:
    """Five earlier reports of one budget with two other amounts: the new report contradicts each amount once,
    against its newest report, not each of the five."""

    def article(day: int, amount: int) -> str:
        return (
            f"Tencent budget update {day}\n\nNovember {day}, 2025\n\n"
            f"Tencent's chip budget this year is {amount} billion yuan, the company said.\n"
        )

    earlier = [
        _ingest(settings, f"r{day}.txt", article(day, amount))
        for day, amount in ((3, 11), (4, 13), (5, 11), (6, 13), (7, 11))
    ]
    latest = _ingest(settings, "r9.txt", article(9, 12))
    with session_scope(settings.database_url) as session:
        changes = figure_changes(session, [latest], against=earlier)
    contradicted = sorted((c.old.value, c.old.article.id) for c in changes if c.kind == "contradicts")
    assert contradicted == [(11e9, earlier[4]), (13e9, earlier[3])]


PERIOD_PHRASES = [
    "fiscal 2025 Q3",
    "Q3 fiscal 2025",
    "the second quarter of fiscal 2025",
    "fiscal 2025 second quarter",
    "fiscal Q2",
    "2025Q3",
    "the third quarter of 2025",
    "Q3 2025",
    "the first half of 2025",
    "H1 2025",
    "the three months ended March 31, 2025",
    "the June quarter",
    "over the last four quarters",
    "the previous quarter",
    "in the quarter",
    "the latest results",
    "FY25",
    "between 2021 and 2024",
    "so far this year",
    "over the next three years",
    "over the next year",
    "earlier this year",
    "this year",
    "a three-year plan",
    "by the end of January",
    "by the end of 2025",
    "as of March 2025",
    "within the same time frame",
    "in 2024",
    "in the third quarter",
    "in the first half",
    "the fiscal year ended March 31",
]


@pytest.mark.parametrize("phrase", PERIOD_PHRASES)
def test_each_period_pattern_is_tried_on_a_sentence_that_may_name_it(phrase: str) -> None:
    """A sentence is searched pattern by pattern only when it holds a digit or a period word: every kind of
    period phrase passes that test and is found."""
    from bot.reading.periods import _MAY_NAME_PERIOD, CALENDAR_YEAR, Resolver, TimeContext, find_periods

    sentence = f"Sales were strong {phrase}, the company said."
    assert _MAY_NAME_PERIOD.search(sentence)
    found = find_periods(sentence, Resolver(TimeContext(date(2025, 6, 1), True), CALENDAR_YEAR, None))
    assert any(sentence[f.start : f.end] in phrase or phrase in sentence[f.start : f.end] for f in found), found


def test_a_sentence_without_a_period_word_names_no_period() -> None:
    from bot.reading.periods import CALENDAR_YEAR, Resolver, TimeContext, find_periods

    resolver = Resolver(TimeContext(date(2025, 6, 1), True), CALENDAR_YEAR, None)
    assert find_periods("The company said its cloud unit grew fast and hired many people.", resolver) == []


def test_the_period_reader_gives_each_phrase_its_dates_and_role() -> None:
    """One reader: a period measured, a comparison base and a rate, each with its phrase; dates where it has them."""
    from bot.reading.periods import CALENDAR_YEAR, Resolver, TimeContext, read_periods

    resolver = Resolver(TimeContext(date(2025, 8, 29), True), CALENDAR_YEAR, None)
    text = "Revenue rose 26% year-on-year in the quarter ended June 30 to $1.20 per share, up from last year."
    found = {f.phrase: f for f in read_periods(text, resolver)}
    quarter = found["quarter ended June 30"]
    assert quarter.role == "measured" and quarter.period is not None
    assert (quarter.period.start, quarter.period.end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert found["year-on-year"].role == "comparison" and found["year-on-year"].period is None
    assert found["per share"].role == "rate"
    assert found["last year"].role == "comparison"


def test_a_month_without_a_year_is_the_latest_one_not_after_now() -> None:
    from bot.reading.period_model import latest_year

    assert latest_year(6, date(2025, 5, 1)) == 2024
    assert latest_year(5, date(2025, 5, 1)) == 2025
    assert latest_year(5, date(2025, 5, 1), day=2) == 2024


def test_a_clause_runs_to_the_next_amount_but_a_conversion() -> None:
    from bot.reading.periods import clause_end

    text = "It pledged 380 billion yuan ($53 billion) over three years and 5% more."
    spans = [(11, 27), (29, 40), (63, 65)]
    assert clause_end(text, spans, 0, conversion_next=True) == 63
    assert clause_end(text, spans, 0, conversion_next=False) == 29
    assert clause_end(text, spans, 2, conversion_next=False) == len(text)


def test_an_amount_stated_in_one_article_is_the_conversion_in_another() -> None:
    from datetime import date

    from bot.answering.figure_records import Record, claim_ids

    q = (date(2025, 10, 1), date(2025, 12, 31))

    def record(id_: int, article: int, value: float, unit: str, status: str, of: int | None = None) -> Record:
        return Record(id_, article, 7, "revenue", value, unit, "money", status, *q, None, of, "quarter", q[1])

    yuan = record(1, 1, 32.7e9, "CNY", "actual")
    converted = record(2, 1, 4.68e9, "USD", "converted", of=1)
    stated = record(3, 2, 4.7e9, "USD", "actual")
    other = record(4, 2, 5.1e9, "USD", "actual")
    claims = claim_ids([yuan, converted, stated, other])
    assert claims[3] == claims[2] == claims[1] != claims[4], claims


def test_a_basis_left_unsaid_restates_the_claim_and_a_forecast_is_no_estimate() -> None:
    from datetime import date

    from bot.answering.claims import same_measure
    from bot.answering.figure_records import Record, claim_ids

    q = (date(2026, 1, 1), date(2026, 3, 31))

    def record(id_: int, article: int, value: float, metric: str, status: str) -> Record:
        return Record(id_, article, 7, metric, value, "%", "percent", status, *q, None, None, "quarter", q[1])

    guided = record(1, 1, 12.0, "revenue growth at constant currency", "forecast")
    restated = record(2, 2, 12.0, "revenue growth", "forecast")
    consensus = record(3, 1, 12.2, "revenue growth at constant currency", "estimate")
    claims = claim_ids([guided, restated, consensus])
    assert claims[1] == claims[2] != claims[3], claims
    # compared as figures, a rate at constant currency and a reported rate are two measures
    assert not same_measure(guided, restated)


def test_a_reported_figure_never_takes_the_period_of_a_forecast_of_about_the_same_amount(settings: Settings) -> None:
    # The seed pack's fiscal year ends in March: its "third quarter" is October-December.
    forecast = """Keller Systems outlook

January 30, 2026

Keller Systems expects revenue of $12.3 billion in the quarter ending March 31.
"""
    reported = """Keller Systems a year on

October 20, 2026

Keller Systems on Tuesday reported third-quarter revenue of $12.37 billion.
"""
    first = _ingest(settings, "a.txt", forecast)
    later = _ingest(settings, "b.txt", reported)
    with session_scope(settings.database_url) as session:
        rows = {
            r.article_id: r
            for r in session.execute(
                select(Figure.article_id, Figure.period_start, Figure.period_end, Figure.status).where(
                    Figure.value.in_([12.3e9, 12.37e9])
                )
            )
        }
    # a forecast for "the quarter ending March 31" is for the coming one
    assert (rows[first].status, rows[first].period_end) == ("forecast", date(2026, 3, 31)), rows[first]
    assert rows[later].status == "actual"
    assert (rows[later].period_start, rows[later].period_end) == (date(2025, 10, 1), date(2025, 12, 31)), rows[later]


def test_what_is_bought_is_not_whose_the_price_is(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "Tencent said the deal includes the $900 million purchase of Huawei."
    found = {f.text: m.subject for f, m in records(nlp, rules, text)}
    assert found["$900 million"] == "Tencent", found


def test_the_ends_of_a_range_are_two_claims_and_a_restated_amount_one(settings: Settings) -> None:
    from bot.answering.figure_records import figure_dicts

    text = (
        "Tencent outlook for the winter\nMarch 3, 2026\n\n"
        "Tencent expects cloud revenue of 41.2 billion to 41.7 billion yuan for the April-June quarter. "
        "Analysts had pencilled in less. Tencent's finance chief repeated that cloud revenue is expected to reach "
        "41.2 billion yuan for the April-June quarter."
    )
    article = _ingest(settings, "outlook.txt", text)
    with session_scope(settings.database_url) as session:
        rows = [r for r in figure_dicts(session, Figure.article_id == article) if r["unit"] == "CNY"]
    low, high, again = sorted(rows, key=lambda r: r["start"])
    assert (low["value"], high["value"], again["value"]) == (41.2e9, 41.7e9, 41.2e9), rows
    assert low["metric"] == high["metric"] == again["metric"], rows
    assert low["claim"] != high["claim"], rows
    assert low["claim"] == again["claim"], rows


def test_a_forecast_and_the_result_close_to_it_are_two_claims(settings: Settings) -> None:
    from bot.answering.figure_records import figure_dicts

    outlook = (
        "Tencent sets its sights on the winter\nOctober 20, 2025\n\n"
        "Tencent expects cloud revenue of 30.4 billion yuan for the December quarter."
    )
    results = (
        "Tencent results\nMarch 18, 2026\n\n"
        "Over the final three months of 2025, Tencent's cloud revenue reached 30.1 billion yuan. "
        "Tencent had expected cloud revenue of 30.4 billion yuan for the December quarter."
    )
    _ingest(settings, "outlook.txt", outlook)
    _ingest(settings, "results.txt", results)
    with session_scope(settings.database_url) as session:
        rows = [r for r in figure_dicts(session) if r["unit"] == "CNY"]
    by = {(r["article"]["filename"], r["text"]): r for r in rows}
    forecast, reported = by[("outlook.txt", "30.4 billion yuan")], by[("results.txt", "30.1 billion yuan")]
    restated = by[("results.txt", "30.4 billion yuan")]
    assert forecast["status"] == "forecast" and reported["status"] == "actual", rows
    assert forecast["period"]["end"] == reported["period"]["end"] == restated["period"]["end"], rows
    assert forecast["metric"] == reported["metric"] == restated["metric"], rows
    assert forecast["claim"] != reported["claim"], rows
    assert forecast["claim"] == restated["claim"], rows
