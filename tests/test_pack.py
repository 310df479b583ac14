"""Company packs: the followed company from company.yml, the generic rules shipped with the package and extended
by a pack, one line when a pack cannot be used, `company init` / `company show`, and the installed package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.company import fiscal_quarter
from bot.rules import SHIPPED_FILES, Company, PackError, company_from, extend, load_rules, overridden
from bot.settings import PROJECT_ROOT, Settings
from tests.conftest import RULES, SEEDS

GLOBEX = """name: Globex Corporation
aliases: [Globex, GBX]
fiscal_year_end: "09-30"
currency: EUR
"""


def _pack(folder: Path, company: str = GLOBEX, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "company.yml").write_text(company)
    for name, text in files.items():
        (folder / f"{name}.yml").write_text(text)
    return folder


def _bot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DATABASE_URL": f"sqlite:///{cwd / 'bot.db'}", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=full, capture_output=True, text=True, timeout=300
    )


def test_the_bundled_pack_follows_its_company_and_its_rival() -> None:
    company = RULES.company
    assert (company.fiscal_year_end, company.fiscal_year_named_for, company.currency) == ((3, 31), "end", "CNY")
    assert [e.name for e in RULES.catalog if e.focus] == [company.name]
    assert [r.name for r in company.rivals] == ["Ant Group"]
    assert RULES.fiscal.by_name["Ant Group"].end_month == 12
    assert not any((SEEDS / name).exists() and name in ("fiscal.yml", "currencies.yml") for name in SHIPPED_FILES)


def test_a_minimal_pack_gets_the_shipped_rules_and_its_company_as_the_focus(tmp_path: Path) -> None:
    rules = load_rules(_pack(tmp_path / "globex"))
    assert rules.company == Company("Globex Corporation", ("Globex", "GBX"), (9, 30), "end", "EUR")
    assert rules.company.slash_command == "/globex-corporation"
    assert [(e.name, e.aliases, e.focus) for e in rules.catalog] == [("Globex Corporation", ("Globex", "GBX"), True)]
    assert rules.metrics.metrics and rules.concepts and rules.questions.roles and rules.amounts
    assert "globex's" in rules.filler and overridden(tmp_path / "globex") == ()


def test_entities_yml_merges_into_the_company_and_only_it_is_the_focus(tmp_path: Path) -> None:
    entities = """- {name: Globex, type: company, focus: true, aliases: [Globex Corp]}
- {name: Initech, type: company, focus: true, aliases: []}
- {name: Hank Scorpio, type: person, aliases: [Scorpio]}
"""
    rules = load_rules(_pack(tmp_path, entities=entities))
    assert [(e.name, e.focus) for e in rules.catalog] == [
        ("Globex Corporation", True),
        ("Initech", False),
        ("Hank Scorpio", False),
    ]
    assert rules.catalog[0].aliases == ("Globex Corp", "Globex", "GBX")


def test_fiscal_calendars_come_from_the_company_and_its_rivals(tmp_path: Path) -> None:
    company = (
        GLOBEX
        + """results_lag_days: 30
units: [Globex Labs]
fiscal_year_named_for: start
rivals:
  - {name: Initech, fiscal_year_end: "06-30", currency: USD}
"""
    )
    rules = load_rules(_pack(tmp_path, company))
    labs = rules.fiscal.by_name["Globex Labs"]
    assert (labs.end_month, labs.end_day, labs.lag_days, labs.named_for) == (9, 30, 30, "start")
    assert rules.fiscal.by_name["Initech"].end_month == 6 and rules.fiscal.by_name["GBX"] == labs
    assert [str(d) for d in fiscal_quarter(rules.company, 2025, 1)] == ["2025-10-01", "2025-12-31"]


def test_fiscal_quarters_read_on_either_naming() -> None:
    ends = Company("A", fiscal_year_end=(3, 31))
    starts = Company("B", fiscal_year_end=(3, 31), fiscal_year_named_for="start")
    assert [str(d) for d in fiscal_quarter(ends, 2025, 1)] == ["2024-04-01", "2024-06-30"]
    assert [str(d) for d in fiscal_quarter(starts, 2025, 1)] == ["2025-04-01", "2025-06-30"]
    assert [str(d) for d in fiscal_quarter(Company("C", fiscal_year_end=(1, 30)), 2025, 1)] == [
        "2024-01-31",
        "2024-04-30",
    ]


@pytest.mark.parametrize(
    ("company", "says"),
    [
        ("aliases: [Globex]\n", "'name' is missing"),
        ("name: Globex\nfiscal_year_end: 13-01\n", 'fiscal_year_end must be a month and day as "MM-DD"'),
        ("name: Globex\nfiscal_year_end: '02-30'\n", "fiscal_year_end must be"),
        ("name: Globex\ncurrency: euro\n", "currency must be a three-letter ISO 4217 code"),
        ("name: Globex\nfiscal_year_named_for: middle\n", "fiscal_year_named_for must be 'end' or 'start'"),
        ("name: Globex\nfiscal_year: 03-31\n", "unknown field 'fiscal_year'"),
        ("name: Globex\ncommand: globex\n", "command must be '/'"),
        ("name: Globex\nrivals: [{name: Initech, currency: usd}]\n", "rival (Initech): currency must be"),
        ("name: Globex\nresults_lag_days: soon\n", "results_lag_days must be a whole number"),
        ("- just a list\n", "expected a mapping of fields"),
        ("name: [Globex\n", "not valid YAML at line"),
    ],
)
def test_a_malformed_company_yml_says_what_is_wrong(tmp_path: Path, company: str, says: str) -> None:
    with pytest.raises(PackError) as caught:
        load_rules(_pack(tmp_path, company))
    message = str(caught.value)
    assert says in message and "company.yml" in message and "\n" not in message


def test_a_pack_that_cannot_be_used_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    missing = _bot("ask", "capex", cwd=tmp_path, SEEDS_DIR="no-such-pack")
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.strip().splitlines() == [
        f"company pack {tmp_path / 'no-such-pack'} (SEEDS_DIR) is not a folder; "
        "make one with `python -m bot company init NAME --dir FOLDER`"
    ]
    _pack(tmp_path / "bad", "name: Globex\ncurrency: euros\n")
    bad = _bot("run", cwd=tmp_path, SEEDS_DIR="bad")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    assert "currency must be" in bad.stderr


def test_a_relative_seeds_dir_is_read_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({"SEEDS_DIR": "packs/globex"}).seeds_dir == tmp_path / "packs" / "globex"
    _pack(tmp_path / "packs" / "globex")
    shown = _bot("company", "show", "--json", cwd=tmp_path, SEEDS_DIR="packs/globex")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["name"] == "Globex Corporation"


def test_a_pack_file_extends_the_shipped_rule_file_of_its_name(tmp_path: Path) -> None:
    vocabulary = """concepts:
  - ask: [revenue, turnover]
    finds: [bookings]
  - ask: [widgets]
    finds: [widget shipments]
    wants: count
filler: [kindly]
"""
    metrics = (
        "metrics:\n  - {name: revenue, any: [bookings]}\n  - {name: widget shipments, kinds: [count], any: [widgets]}\n"
    )
    text_rules = "replace: [source_labels]\nsource_labels: [wire]\nnot_entities: [Globex Labs]\n"
    pack = _pack(tmp_path, vocabulary=vocabulary, metrics=metrics, text_rules=text_rules)
    rules = load_rules(pack)
    revenue = next(c for c in rules.concepts if "revenue" in c.ask)
    shipped = next(c for c in RULES.concepts if "revenue" in c.ask)
    assert revenue.finds == (*shipped.finds, "bookings") and revenue.ask == shipped.ask  # merged, nothing doubled
    assert rules.concepts[-1].ask == ("widgets",) and len(rules.concepts) == len(RULES.concepts) + 1
    assert "kindly" in rules.filler and {w for w in RULES.filler if not w.endswith("'s")} <= rules.filler
    by_name = {m.name: m for m in rules.metrics.metrics}
    assert by_name["revenue"].any[-1] == "bookings" and by_name["widget shipments"].kinds == frozenset({"count"})
    assert rules.source_labels == ("wire",) and "globex labs" in rules.not_entities
    assert rules.ner_types == RULES.ner_types
    assert overridden(pack) == ("metrics.yml", "text_rules.yml", "vocabulary.yml")


def test_replace_true_replaces_the_whole_file_and_unknown_keys_are_refused() -> None:
    shipped = {"a": [1, 2], "b": {"x": 1, "y": [1]}, "c": "keep"}
    assert extend(shipped, {"replace": True, "a": [3]}, "f") == {"a": [3]}
    assert extend(shipped, {"b": {"y": [2], "z": 3}, "c": "new"}, "f") == {
        "a": [1, 2],
        "b": {"x": 1, "y": [1, 2], "z": 3},
        "c": "new",
    }
    assert extend(shipped, {"replace": ["a"], "a": [3]}, "f")["a"] == [3]
    with pytest.raises(PackError, match="unknown key 'd'"):
        extend(shipped, {"d": 1}, "f")
    with pytest.raises(PackError, match="f: a: expected a list"):
        extend(shipped, {"a": "x"}, "f")


def test_company_init_then_show_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "packs" / "globex"
    argv = [
        "company",
        "init",
        "Globex Corporation",
        "--alias",
        "Globex",
        "--alias",
        "環球",
        "--fiscal-year-end",
        "04-30",
        "--currency",
        "JPY",
        "--named-for",
        "start",
        "--dir",
        str(folder),
    ]
    assert main(argv) == 0
    text = (folder / "company.yml").read_text()
    assert "# The month and day its fiscal year ends" in text and "fiscal 2025 Q1 is May 1, 2025" in text
    with pytest.raises(PackError, match=r"company\.yml is already there; nothing was written"):
        main(argv)
    (folder / "a1.txt").write_text("Globex said revenue rose.")
    monkeypatch.setenv("SEEDS_DIR", str(folder))
    capsys.readouterr()
    assert main(["company", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "name": "Globex Corporation",
        "aliases": ["Globex", "環球"],
        "currency": "JPY",
        "fiscal_year_end": "04-30",
        "fiscal_year_named_for": "start",
        "example": {"label": "fiscal 2025 Q1", "start": "2025-05-01", "end": "2025-07-31"},
        "command": "/globex-corporation",
        "results_lag_days": 45,
        "units": [],
        "rivals": [],
        "pack": str(folder),
        "overrides": [],
        "entities": 1,
        "articles": 1,
    }
    assert main(["company", "show"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Following Globex Corporation (also Globex, 環球)") and "/globex-corporation" in out
    with pytest.raises(PackError, match="currency must be"):
        main(["company", "init", "Initech", "--currency", "dollars", "--dir", str(tmp_path / "initech")])
    assert not (tmp_path / "initech").exists()


def test_company_from_accepts_what_init_writes() -> None:
    c = company_from({"name": "Globex", "command": "/gx", "rivals": [{"name": "Initech"}]})
    assert (c.slash_command, c.rivals[0].slash_command) == ("/gx", "/initech")


@pytest.mark.slow
def test_the_installed_package_carries_its_migrations_rules_and_pack(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for name in ("bot", "migrations", "seeds"):
        shutil.copytree(PROJECT_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile", "--target", str(site), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode:  # no build backend to be had (offline): build_py lays out the same tree
        built = subprocess.run(
            [sys.executable, "setup.py", "-q", "build_py", "-d", str(site)],
            cwd=source,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert built.returncode == 0, built.stderr
    assert {p.name for p in (site / "bot" / "rules" / "data").glob("*.yml")} == set(SHIPPED_FILES)
    assert (site / "bot" / "seeds" / "company.yml").is_file() and (site / "bot" / "migrations" / "env.py").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("SEEDS_DIR", "DATABASE_URL")} | {"PYTHONPATH": str(site)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
        )

    where = run("company", "show", "--json")
    assert where.returncode == 0, where.stderr
    assert json.loads(where.stdout)["pack"] == str(site / "bot" / "seeds")
    assert run("migrate").stdout.startswith("database created")
    assert (elsewhere / "data" / "bot.db").is_file()
    ingested = run("ingest", str(site / "bot" / "seeds"))
    assert ingested.returncode == 0, ingested.stderr
    asked = run("ask", "--json", "capex")
    assert asked.returncode == 0 and json.loads(asked.stdout)["kind"] != "none"
