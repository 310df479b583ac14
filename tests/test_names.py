"""Names learned from the articles: aliases they state, names in another script, a person's name in another order,
names given a role, and the catalog that only adds and corrects."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answering.answers import Answerer
from bot.reading.catalog import sync_catalog
from bot.reading.entities import find_mentions
from bot.reading.ingest import Ingestor
from bot.reading.names import (
    in_role,
    name_forms,
    native_script,
    role_patterns,
    same_person,
    stated_aliases,
    unanchored_aliases,
)
from bot.rules import CatalogEntry, Rules, load_rules
from bot.store.db import session_scope
from bot.store.models import Entity, EntityAlias
from tests.conftest import FIXTURES, RULES, SEEDS

BUILD = FIXTURES / "names" / "tuning"  # the half the readers were tuned on; "check" was only measured


def _aliases_after(text: str, name: str) -> list[str]:
    start = text.index(name)
    return [a.alias for a in stated_aliases(text, [(start, start + len(name))])]


@pytest.mark.parametrize(
    ("text", "name", "alias"),
    [
        ("Sun Lei, known in English as Kevin Sun, founded Orbitline in 2012.", "Sun Lei", "Kevin Sun"),
        ("Lumenta Systems, whose English name is Brightway, sells sensors.", "Lumenta Systems", "Brightway"),
        ("Ma Lin (马林) chairs the board.", "Ma Lin", "马林"),
        ("Kim Soo-ah (김수아) leads the unit.", "Kim Soo-ah", "김수아"),
        ("Oleg Petrov (Олег Петров) said so.", "Oleg Petrov", "Олег Петров"),
        ("Sato Ren (佐藤 蓮) joined in May.", "Sato Ren", "佐藤 蓮"),
        ("Orbit, also called Halo, has 3 million users.", "Orbit", "Halo"),
        ("Orbit, also known as Halo Chat, has 3 million users.", "Orbit", "Halo Chat"),
        ("Orbit, a.k.a. Halo, has 3 million users.", "Orbit", "Halo"),
        ("Orbit (formerly Halo) has 3 million users.", "Orbit", "Halo"),
        ("Orbit, formerly known as Halo, has 3 million users.", "Orbit", "Halo"),
        ("Orbit (also known as Halo) has 3 million users.", "Orbit", "Halo"),
    ],
)
def test_stated_aliases_are_read(text: str, name: str, alias: str) -> None:
    assert _aliases_after(text, name) == [alias]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sun Lei, the chief executive, said Halo would grow.", "Sun Lei"),  # a role, not another name
        ("Sun Lei, chief executive of Orbitline, said revenue rose.", "Sun Lei"),
        ("Orbit (NASDAQ: ORBT) rose 4%.", "Orbit"),  # a ticker in brackets is not a name in another script
        ("Orbit (2024) was the first.", "Orbit"),
        ("Orbit, which Halo bought, grew.", "Orbit"),
        ("Orbit, also called it a success, grew.", "Orbit"),  # what follows is no name
        ("Orbit (Halo) grew.", "Orbit"),  # a Latin name in brackets says nothing of what it is
    ],
)
def test_no_alias_without_words_that_state_one(text: str, name: str) -> None:
    assert _aliases_after(text, name) == []


def test_a_name_the_parser_missed_is_read_before_its_alias() -> None:
    text = "Its reading app, Pagewise (页智), had 9 million users. In March, also called spring, it grew."
    found = unanchored_aliases(text, [])
    assert [(text[a.start : a.end], a.alias) for a in found] == [("Pagewise", "页智")]


def test_native_script() -> None:
    assert native_script("马化腾") and native_script("Ирина Соколова") and native_script("박지훈")
    assert not native_script("HKEX: 0700") and not native_script("Halo") and not native_script("2024")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Lin Junyang", "Junyang Lin", True),
        ("Fei-Fei Li", "Li Feifei", True),
        ("Park Ji-hoon", "Ji-hoon Park", True),
        ("Park Ji-hoon", "Jihoon Park", True),
        ("Satya Narayana Nadella", "Nadella Satya Narayana", True),
        ("Zhao Wei", "Zhao Minghui", False),  # a family name shared by two people
        ("Li", "Li Wei", False),  # one word is never matched this way
        ("Wang Lei", "Wang Leiming", False),
    ],
)
def test_same_person_in_another_order(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


def test_a_single_word_has_no_forms() -> None:
    assert name_forms("Li") == frozenset()


def test_names_given_a_role() -> None:
    roles = role_patterns(RULES.questions.roles)
    text = (
        "Orbitline's chief executive, Sun Lei, said. Mara Quist, chief financial officer of Orbitline, said. "
        "Orbitline rose. Nadia Brook (Надя Брук), head of research at Tellwood, said."
    )
    for name in ("Sun Lei", "Mara Quist", "Nadia Brook"):
        start = text.index(name)
        assert in_role(text, start, start + len(name), roles), name
    start = text.index("Orbitline rose")
    assert not in_role(text, start, start + len("Orbitline"), roles)


def test_mentions_carry_the_names_an_article_states(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(
        "Orbitline said revenue rose. Its chief executive, Sun Lei, known in English as Kevin Sun, spoke on "
        "Monday. Kevin Sun said the company would hire. Lei Sun said prices would fall."
    )
    mentions = find_mentions(doc, RULES)
    people = [m for m in mentions if m.type == "person"]
    assert {m.name for m in people} == {"Sun Lei"}
    assert {m.text for m in people} >= {"Sun Lei", "Kevin Sun", "Lei Sun"}
    assert {a for m in people for a in m.aliases} >= {"Kevin Sun", "Lei Sun"}


def test_no_alias_from_a_role_apposition(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Mara Quist, the chief executive, said Pagewise would grow. Pagewise has 9 million users.")
    assert not any(m.aliases for m in find_mentions(doc, RULES))


@pytest.fixture()
def build_rules(tmp_path: Path) -> Rules:
    """The project's rules with the build pack's catalog (only the followed company)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for f in SEEDS.glob("*.yml"):
        shutil.copy(f, folder / f.name)
    shutil.copy(BUILD / "entities.yml", folder / "entities.yml")
    return load_rules(folder)


def test_learned_names_are_stored_marked_and_answered(settings, build_rules: Rules) -> None:  # type: ignore[no-untyped-def]
    Ingestor(settings, build_rules).ingest_paths(sorted(BUILD.glob("a*.txt")), progress=False)
    with session_scope(settings.database_url) as s:
        learned = {a.alias: (a.entity.name, a.learned_from is not None) for a in s.scalars(select(EntityAlias))}
    assert learned["Kevin Zhao"] == ("Zhao Minghui", True)
    assert learned["Minghui Zhao"] == ("Zhao Minghui", True)  # another article, another order
    assert learned["潮汐助手"] == ("Tidewater", True)
    assert learned["HarborChat"] == ("Tidewater", True)
    assert learned["Zhao Minghui"] == ("Zhao Minghui", False)  # the name it was found under
    answerer = Answerer(settings, build_rules)
    for query, name in (
        ("Kevin Zhao", "Zhao Minghui"),
        ("minghui zhao", "Zhao Minghui"),
        ("潮汐助手", "Tidewater"),
        ("George Lu", "Lu Guoqiang"),
        ("Lanfang Qiao", "Qiao Lanfang"),
    ):
        answer = answerer.ask(query)
        assert answer.kind == "entity" and answer.entity is not None and answer.entity.name == name, query
    card = answerer.ask("Qiao Lanfang").entity
    assert card is not None and card.type == "person" and card.mention_count >= 2
    assert "Zhao Minghui" in answerer.ask("who is the CEO of harbor lane").text
    assert "Wen Dapeng" in answerer.ask("who runs harbor lane's cloud unit").text


def test_the_catalog_moves_a_learned_name_and_merges_nothing(settings, build_rules: Rules) -> None:  # type: ignore[no-untyped-def]
    Ingestor(settings, build_rules).ingest_paths(sorted(BUILD.glob("a*.txt")), progress=False)
    entry = CatalogEntry(name="Gull Arm", type="product", aliases=("HarborChat",))
    with session_scope(settings.database_url) as s:
        sync_catalog(s, dataclasses.replace(build_rules, catalog=(*build_rules.catalog, entry)))
        row = s.scalar(select(EntityAlias).where(EntityAlias.alias == "HarborChat"))
        assert row is not None and row.entity.name == "Gull Arm" and row.learned_from is None
        tidewater = s.scalar(select(Entity).where(Entity.name == "Tidewater"))
        assert tidewater is not None  # the learned name moved; the entity that had it stays itself
        assert {a.alias for a in tidewater.aliases} >= {"Tidewater", "潮汐助手"}


def test_a_name_around_a_catalog_name_is_its_own(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Quark Labs, formerly Lumen Works, made 40 million yuan last year, the company said on Monday.")
    mentions = find_mentions(doc, RULES)
    labs = [m for m in mentions if m.name == "Quark Labs"]
    assert labs and "Lumen Works" in labs[0].aliases
    assert not any(m.name == "Quark" for m in mentions)  # the catalog's product is not what the sentence names


def test_a_catalog_name_an_article_gives_another_name_keeps_the_catalog_name(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Orbit Cloud Works, also known as Aliyun, sells computing to banks, analysts said on Monday.")
    mentions = find_mentions(doc, RULES)
    cloud = [m for m in mentions if m.name == "Alibaba Cloud"]
    assert cloud and "Orbit Cloud Works" in {a for m in cloud for a in m.aliases}
    assert not any(m.name == "Orbit Cloud Works" for m in mentions)


def test_a_period_label_is_never_a_name(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    """The parser may tag "FY2026 Q1" as an organisation: it names a period, so it is no entity."""
    from bot.reading.entities import find_mentions

    doc = nlp("Ormond Labs reported FY2026 Q1 revenue of $8.4 billion, and H1 FY25 sales rose.")
    names = [m.name for m in find_mentions(doc, rules)]
    assert "FY2026 Q1" not in names and "H1 FY25" not in names
    assert "Ormond Labs" in names


def test_a_name_in_capitals_is_a_name_even_where_the_article_uses_the_word_or_the_recogniser_says_place(
    nlp, rules
) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Span

    doc = nlp("Keller said that KITE now has more than 40 million users in Brazil. The kite flew.")
    assert ("KITE", "organization") in [(m.name, m.type) for m in find_mentions(doc, rules)]
    doc = nlp("Keller said that ZENITH now has 40 million users.")
    zenith = next(t.i for t in doc if t.text == "ZENITH")
    doc.ents = [Span(doc, zenith, zenith + 1, label="GPE")]  # as the recogniser sometimes types such a name
    assert ("ZENITH", "organization") in [(m.name, m.type) for m in find_mentions(doc, rules)]


def test_an_adjective_that_opens_a_sentence_is_no_name(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    """The recogniser may tag a capitalised adjective at a sentence's start as an organisation."""
    doc = nlp("Consolidated revenue rose 7% to $2.1 billion.")
    assert "Consolidated" in [e.text for e in doc.ents]  # as the recogniser tags it
    assert "Consolidated" not in [m.name for m in find_mentions(doc, rules)]


def test_a_name_a_unit_noun_follows_is_a_part_of_a_company_wherever_the_article_says_it(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(
        "The Nova Lane unit, home to the Lumo app, reported sales of $1.9 billion. "
        "He expects Nova Lane sales of $2.1 billion next quarter."
    )
    kinds = {(m.name, m.type) for m in find_mentions(doc, rules) if m.name == "Nova Lane"}
    assert kinds == {("Nova Lane", "organization")}, kinds


def test_a_name_set_beside_a_noun_for_a_company_or_a_unit_is_one(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Halvard Lind, a Keller subsidiary, raised prices. Marit Holm, a business analyst at Keller, said so.")
    kinds = {m.name: m.type for m in find_mentions(doc, rules)}
    assert kinds.get("Halvard Lind") == "organization", kinds
    assert kinds.get("Marit Holm") == "person", kinds  # an analyst of a business is a person


def test_a_version_after_a_catalog_model_names_a_model_of_its_own(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Alibaba said Qwen 4.5 beat its rivals, and that Qwen-based apps now number in the thousands.")
    found = [(m.name, m.type) for m in find_mentions(doc, rules)]
    assert ("Qwen 4.5", "model") in found, found
    assert not any(name.endswith("-based") for name, _ in found), found


def test_capitalised_words_after_a_word_for_a_competitor_name_a_company(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(
        "Rival Bergmann Automation, which reports in euros, said last week its third-quarter sales fell 5% to "
        "410 million euros. Its rivals were slower."
    )
    found = [(m.name, m.type) for m in find_mentions(doc, rules)]
    assert ("Bergmann Automation", "organization") in found, found


def test_a_name_after_a_noun_for_a_trade_is_a_company(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Keller agreed to buy robot maker Halvard Lind for $900 million.")
    kinds = {m.name: m.type for m in find_mentions(doc, rules)}
    assert kinds.get("Halvard Lind") == "organization", kinds
