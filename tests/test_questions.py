"""Questions in a user's own words, on articles written for these tests: who, when, how much, what did X say
about Y, and the refusals (another subject's figure, a metric or a year the articles do not give)."""

from __future__ import annotations

import pytest

from bot.answering.answers import Answerer
from bot.reading.files import RawDocument
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from tests.conftest import RULES

ARTICLES = {
    "baidu_cloud.txt": """Baidu Shakes Up Its Cloud Unit

October 2, 2025

Baidu said on Thursday that Shen Dou, president of Baidu AI Cloud, will also run its search business.
Robin Li, Baidu's chairman, told investors that the company would keep spending on its Ernie models.
"We do not see a bubble in artificial intelligence," Li said.
On September 9, Baidu launched Ernie-5, a model with 2.4 trillion parameters.
The company employs about 35,000 people, and its cloud revenue grew 21% year on year in the quarter ended June 30.
""",
    "tencent_chips.txt": """Tencent Keeps Buying Chips

September 20, 2025

Tencent plans to spend 40 billion yuan on AI chips this year, people familiar with the matter said.
Pony Ma, Tencent's chief executive, said the group's Hunyuan models now serve 300 million users.
""",
    "kuaishou_video.txt": """Kuaishou Bets on Video Generation

April 1, 2025

On March 3, Kuaishou released Kling-3, its newest video generation model.
Cheng Yixiao, Kuaishou's chief executive, predicted that video generation would become a large business.
Lin Ping took over the video unit at the end of 2024.
Kuaishou's net profit fell 12% to 3.3 billion yuan in the quarter ended December 31.
Kling now has 45 million monthly active users across all of its apps.
""",
    "cloud_quarters.txt": """Alibaba Cloud Keeps Growing

November 20, 2025

Alibaba Cloud's revenue was 28.1 billion yuan in the quarter ended December 31, 2024.
Alibaba Cloud's revenue rose to 30.0 billion yuan in the quarter ended June 30, 2025.
In the quarter ended September 30, 2025, Alibaba Cloud's revenue was 32.5 billion yuan.
""",
}


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    from tests.conftest import make_settings

    settings: Settings = make_settings(tmp_path_factory.mktemp("questions") / "q.db")
    from bot.store.db import migrate

    migrate(settings.database_url)
    results = Ingestor(settings, RULES).ingest_documents(
        [(name, RawDocument(name=name, text=text)) for name, text in ARTICLES.items()], progress=False
    )
    assert [r.status for r in results] == ["new"] * len(ARTICLES)
    return Answerer(settings, RULES)


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("who runs the search business", "Shen Dou"),
        ("who is Baidu's chairman", "Robin Li"),
        ("who is the chief executive of Tencent", "Pony Ma"),
        ("Tencent CEO", "Pony Ma"),
    ],
)
def test_who_names_the_person_with_the_role(answerer: Answerer, query: str, person: str) -> None:
    answer = answerer.ask(query)
    assert answer.entity is not None and answer.entity.name == person, answer.text
    assert answer.lead and answer.lead.startswith(person)


def test_when_leads_with_the_date_the_sentence_states(answerer: Answerer) -> None:
    answer = answerer.ask("when did Ernie-5 come out")
    assert answer.lead is not None and answer.lead.startswith("September 9, 2025"), answer.text
    assert "2.4 trillion parameters" in answer.text


@pytest.mark.parametrize("query", ["what did Robin Li say about AI bubbles", "Robin Li on artificial intelligence"])
def test_what_someone_said_includes_the_quote_that_follows(answerer: Answerer, query: str) -> None:
    answer = answerer.ask(query)
    assert answer.kind == "passages" and answer.lead is not None
    assert any("do not see a bubble" in p.sentence for p in answer.passages), answer.text


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("how many people work at baidu", 35_000),
        ("how fast is baidu's cloud revenue growing", 21),
        ("how much will tencent spend on chips", 40e9),
        ("how many users does hunyuan have", 300e6),
    ],
)
def test_how_much_questions_get_the_figure(answerer: Answerer, query: str, value: float) -> None:
    answer = answerer.ask(query)
    assert answer.kind == "figure" and answer.figures[0].value == pytest.approx(value), answer.text


@pytest.mark.parametrize(
    "query",
    [
        "Baidu chip budget",  # only Tencent's is given: never another subject's figure
        "Tencent market share",  # a metric the articles do not give
    ],
)
def test_refusals_never_offer_another_figure(answerer: Answerer, query: str) -> None:
    answer = answerer.ask(query)
    assert answer.figures == [], answer.text
    assert answer.kind in ("passages", "entity", "none")


def test_a_year_the_articles_do_not_cover_is_said_plainly(answerer: Answerer) -> None:
    answer = answerer.ask("tencent chip spending 2023")
    assert any("2023" in note for note in answer.notes), answer.text


def test_dotted_and_hyphenated_names_are_searched_whole(answerer: Answerer) -> None:
    answer = answerer.ask("Ernie-5")
    assert answer.kind != "none" and "Ernie-5" in answer.text


def test_what_is_prefers_what_was_reported_and_a_named_year_leads(settings: Settings) -> None:
    """On articles written for this test: "what is" answers with the reported figure before a forecast, and a
    question naming a year leads with that year's figure, the history following."""
    from tests.conftest import FIXTURES, SEEDS

    ingestor = Ingestor(settings, RULES)
    ingestor.ingest_paths([SEEDS, FIXTURES / "results_2025-11-25.txt", FIXTURES / "ai_cloud_race_2025-10-15.txt"])
    answerer = Answerer(settings, RULES)
    answer = answerer.ask("what is baidu's cloud revenue")
    assert answer.figures[0].value == 6.5e9 and answer.figures[0].status == "actual", answer.text
    answer = answerer.ask("bytedance chip spending 2024")
    assert answer.figures[0].value == 11e9, answer.text
    answer = answerer.ask("capex")  # the plan said again without its horizon is the same plan
    assert answer.figures[0].value == 380e9 and all(f.value != 380e9 for f in answer.figures[1:]), answer.text


def test_when_reads_a_year_said_as_part_of_it_and_a_release_date_question(answerer: Answerer) -> None:
    took_over = answerer.ask("when did Lin Ping take over the video unit")
    assert took_over.lead is not None and took_over.lead.startswith("the end of 2024"), took_over.text
    released = answerer.ask("Kling-3 release date")
    assert released.lead is not None and released.lead.startswith("March 3, 2025"), released.text


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("who's the boss of Kuaishou?", "Cheng Yixiao"),  # a contraction and an everyday word for the role
        ("Kuaishou chief executive", "Cheng Yixiao"),
        ("who is the current chief executive of Tencent", "Pony Ma"),  # a word before the role
    ],
)
def test_everyday_role_words_and_contractions(answerer: Answerer, query: str, person: str) -> None:
    answer = answerer.ask(query)
    assert answer.entity is not None and answer.entity.name == person, answer.text


def test_any_verb_of_saying_asks_what_someone_said(answerer: Answerer) -> None:
    answer = answerer.ask("what did Cheng Yixiao predict about video generation")
    assert answer.kind == "passages" and answer.lead is not None and "Cheng Yixiao" in answer.lead, answer.text
    assert "would become a large business" in answer.passages[0].sentence


def test_an_english_word_the_articles_lack_is_not_read_as_another_word(answerer: Answerer) -> None:
    answer = answerer.ask("by how much did kuaishou's profit fall")
    assert not any("“fall”" in note for note in answer.notes), answer.notes  # never "Read “fall” as “all”"
    assert answer.kind == "figure", answer.text
    assert {f.value for f in answer.figures[:3]} & {-12, 3.3e9}, answer.text


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("kling MAU", 45e6),  # business shorthand
        ("what's the number of monthly active users of Kling", 45e6),
    ],
)
def test_shorthand_and_contractions_still_find_the_figure(answerer: Answerer, query: str, value: float) -> None:
    answer = answerer.ask(query)
    assert answer.kind == "figure" and answer.figures[0].value == pytest.approx(value), answer.text


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("FY25 Q3 alibaba cloud revenue", 28.1e9),  # Alibaba's fiscal year ends March 31: Oct-Dec 2024
        ("alibaba cloud revenue in fiscal 2025 q3", 28.1e9),
        ("alibaba cloud revenue in the june quarter", 30.0e9),  # a quarter named by its month, the year left out
        ("alibaba cloud revenue in the third quarter of 2025", 32.5e9),
    ],
)
def test_a_period_the_question_names_picks_that_step_of_the_series(
    answerer: Answerer, query: str, value: float
) -> None:
    answer = answerer.ask(query)
    assert answer.kind == "figure" and answer.figures[0].value == pytest.approx(value), answer.text
    assert not any(note.startswith("No figure for") for note in answer.notes), answer.notes


def test_a_period_no_article_covers_is_said_plainly(answerer: Answerer) -> None:
    answer = answerer.ask("alibaba cloud revenue Q1 2023")
    assert answer.notes and answer.notes[0].startswith("No figure for Q1 2023 (Jan–Mar 2023)"), answer.notes
