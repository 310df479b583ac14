"""Everything a user reads comes from the pack: no company's name is written in the code, and on a second pack
(a fictional company, `tests/fixtures/pack_nordvik`) the help, the digest, the App Home and the Slack manifest name
that company and its command, with examples from its own articles, and nothing of the seed pack."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.answering.answers import Answerer
from bot.answering.facing import facing_of, metric_query, slash_command, with_examples
from bot.answering.views.answer_blocks import help_blocks
from bot.answering.views.wording import GENERIC_EXAMPLES, Facing
from bot.commands.context import CONSOLE, SLACK, Context
from bot.commands.parse import parse
from bot.commands.run import run
from bot.digest.content import build_digest
from bot.digest.views.digest_blocks import digest_blocks, digest_fallback
from bot.digest.views.digest_text import digest_text
from bot.reading.ingest import Ingestor
from bot.rules import Rules, load_company, load_rules
from bot.settings import PROJECT_ROOT, Settings
from bot.slack.home import home_blocks
from bot.slack.manifest import manifest_yaml
from bot.store.db import migrate, session_scope
from tests.conftest import FIXTURES, RULES, make_settings

BOT = PROJECT_ROOT / "bot"
PACK = FIXTURES / "pack_nordvik"


def seed_pack_names(rules: Rules = RULES) -> tuple[set[str], set[str]]:
    """The seed pack's names: (the followed company's own names, its units and rivals, and the command's word —
    matched in any case; every other name of its catalog — matched as written, so the word "meta" in an HTML
    reader is not the company Meta)."""
    company = rules.company
    own = {*company.names, *company.units, company.slash_command.lstrip("/")}
    own |= {n for rival in company.rivals for n in rival.names}
    own |= {n for e in rules.catalog if e.focus for n in (e.name, *e.aliases)}
    others = {n for e in rules.catalog for n in (e.name, *e.aliases)} - own
    return own, others


def _pattern(names: set[str], flags: int = 0) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n.strip())
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


OWN, OTHERS = seed_pack_names()
OWN_RE, OTHERS_RE = _pattern(OWN, re.IGNORECASE), _pattern(OTHERS)


def seed_names_in(text: str) -> list[str]:
    return [m.group(0) for r in (OWN_RE, OTHERS_RE) for m in r.finditer(text)]


# Strings that name a company of the seed pack without being about the company followed, each with its reason.


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def names_in_code(root: Path) -> list[tuple[str, int, str]]:
    """(file, line, name) for each name of the seed pack in a string of the code under `root` (f-strings
    included; docstrings and comments are not code)."""
    hits = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                where = str(path.relative_to(root.parent))
                hits += [(where, node.lineno, name) for name in seed_names_in(node.value)]
    return hits


def test_no_company_name_is_written_in_the_code() -> None:
    assert {"Alibaba", "alibaba", "Eddie Wu", "Qwen"} <= {*OWN, *OTHERS}
    assert names_in_code(BOT) == []


def test_the_scan_finds_a_name_in_a_string_but_not_in_a_docstring_or_comment(tmp_path: Path) -> None:
    code = tmp_path / "bot" / "m.py"
    code.parent.mkdir()
    code.write_text(
        '"""About Alibaba."""\n# Qwen\nPROMPT = "alibaba> "\nx = f"{1} Eddie Wu"\n'
        'def f():\n    """Qwen."""\n    return "//meta[@name]"\n'
    )
    assert names_in_code(tmp_path / "bot") == [("bot/m.py", 3, "alibaba"), ("bot/m.py", 4, "Eddie Wu")]


# -- the second pack ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nordvik(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Rules]:
    """The fictional pack's two articles in a database of their own, with the pack's rules."""
    rules = load_rules(PACK)
    settings = dataclasses.replace(
        make_settings(tmp_path_factory.mktemp("nordvik") / "bot.db"), seeds_dir=PACK, slash_command=""
    )
    migrate(settings.database_url)
    results = Ingestor(settings, rules).ingest_paths([PACK], progress=False)
    assert [r.status for r in results] == ["new", "new"]
    return settings, rules


def test_the_second_pack_is_not_the_seed_pack() -> None:
    rules = load_rules(PACK)
    assert rules.company.name == "Nordvik Robotics" and rules.company.slash_command == "/nordvik-robotics"
    assert seed_names_in(" ".join(p.read_text() for p in PACK.iterdir())) == []


def test_help_on_the_second_pack_names_its_company_command_and_articles(nordvik: tuple[Settings, Rules]) -> None:
    settings, rules = nordvik
    answerer = Answerer(settings, rules)
    facing = answerer.facing()
    assert (facing.company, facing.command) == ("Nordvik Robotics", "/nordvik-robotics")
    assert "revenue" in facing.lookups and "Ingrid Solberg" in facing.lookups  # the corpus's, not a fixed list
    helps = [
        answerer.ask("help").text,
        run(parse("help"), Context(settings, answerer, SLACK)).text,
        run(parse("help"), Context(settings, answerer, CONSOLE)).text,
        json.dumps(help_blocks(facing)),
    ]
    for text in helps:
        assert "Nordvik Robotics' AI push" in text and "/nordvik-robotics revenue" in text
        assert seed_names_in(text) == []
    assert run(parse("subscribe #x"), Context(settings, answerer, SLACK)).text.endswith("`/nordvik-robotics help`.")


def test_the_digest_on_the_second_pack_is_titled_for_its_company(nordvik: tuple[Settings, Rules]) -> None:
    settings, rules = nordvik
    facing = facing_of(settings, rules.company)
    now = datetime.utcnow()
    with session_scope(settings.database_url) as session:
        digest = build_digest(session, now - timedelta(days=7), now + timedelta(minutes=1))
    assert not digest.empty
    text, blocks = digest_text(digest, facing), digest_blocks(digest, facing)
    assert text.startswith("Nordvik Robotics AI digest, ")
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"].startswith("Nordvik Robotics AI digest, ")
    for shown in (text, json.dumps(blocks, ensure_ascii=False), digest_fallback(digest, facing)):
        assert "Ingrid Solberg" in shown and seed_names_in(shown) == []


def test_the_app_home_on_the_second_pack(nordvik: tuple[Settings, Rules]) -> None:
    settings, rules = nordvik
    facing = Answerer(settings, rules).facing()
    for admin in (False, True):
        blocks = home_blocks(settings, facing, admin=admin)
        shown = json.dumps(blocks, ensure_ascii=False)
        assert blocks[0]["text"]["text"] == "Nordvik Robotics AI tracker"
        assert "`/nordvik-robotics QUERY`" in shown and seed_names_in(shown) == []
        lookups = [
            e["text"]["text"]
            for b in blocks
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == "home_lookup"
        ]
        assert lookups == list(facing.lookups)


def test_the_manifest_on_the_second_pack(nordvik: tuple[Settings, Rules]) -> None:
    settings, rules = nordvik
    text = manifest_yaml(facing_of(settings, rules.company))
    manifest = yaml.safe_load(text)
    assert manifest["display_information"]["name"] == "Nordvik Robotics AI Tracker"
    assert manifest["features"]["bot_user"]["display_name"] == "nordvik-robotics-ai"
    assert manifest["features"]["slash_commands"][0]["command"] == "/nordvik-robotics"
    assert "Nordvik Robotics" in manifest["features"]["slash_commands"][0]["description"]
    assert seed_names_in(text) == []


# -- how the facing is chosen ---------------------------------------------------------------------------------------


def test_the_setting_overrides_the_packs_command() -> None:
    company = load_rules(PACK).company
    assert slash_command(Settings(slash_command=""), company) == "/nordvik-robotics"
    assert slash_command(Settings(slash_command="/robots"), company) == "/robots"
    assert facing_of(Settings(), load_company(PACK)) == Facing("Nordvik Robotics", "/nordvik-robotics")
    assert facing_of(Settings(slash_command="/robots"), load_company(PACK)).command == "/robots"


def test_an_empty_corpus_offers_the_generic_examples(tmp_path: Path) -> None:
    settings = dataclasses.replace(make_settings(tmp_path / "empty.db"), seeds_dir=PACK, slash_command="")
    migrate(settings.database_url)
    with session_scope(settings.database_url) as session:
        facing = with_examples(Facing("Acme", "/acme"), session, RULES)
    assert facing.examples == GENERIC_EXAMPLES == ("help", "status") and facing.lookups == ()
    helped = Answerer(settings, load_rules(PACK)).ask("help").text
    assert "  /nordvik-robotics help\n  /nordvik-robotics status\n" in helped


@pytest.mark.parametrize(
    ("metric", "query"),
    [
        ("capital expenditure plan", "capex"),  # the rule's name, said as the vocabulary's concept first says it
        ("quarterly revenue growth", "revenue"),
        ("team size", "team size"),  # no rule: the metric's own few words
        ("share: %", None),
        ("kronor", None),  # a currency's word: what the amount is in, not what it measures
        ("warehouse robots shipped to customers in europe", None),
    ],
)
def test_a_metric_is_offered_as_a_user_would_type_it(metric: str, query: str | None) -> None:
    assert metric_query(metric, RULES) == query


def test_names_in_a_facing_are_made_safe_for_slack_and_the_prompt() -> None:
    facing = Facing('Ünïcode & Co: "Labs"', "/acme_labs")
    assert (facing.handle, facing.bot_name) == ("acme_labs", "acme_labs-ai")
    manifest = yaml.safe_load(manifest_yaml(facing))
    assert manifest["display_information"]["name"] == 'Ünïcode & Co: "Labs" AI Tracker'
    long = dataclasses.replace(facing, company="A" * 200)
    manifest = yaml.safe_load(manifest_yaml(long))
    assert len(manifest["display_information"]["name"]) <= 35
    assert len(manifest["display_information"]["description"]) <= 140
