"""Reads the rule files of a folder into one `Rules`: the only code of the bot that reads YAML.

Each file is read by its name through `read_rule_file`, once per `load_rules`; the entry point (the CLI, the
console, the Slack server, a benchmark) loads the rules once and hands them to what needs them.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from bot.rules.amounts import load_amount_rules
from bot.rules.company import Company, company_from
from bot.rules.model import (
    CatalogEntry,
    Concept,
    FiscalRules,
    FiscalYear,
    MetricRule,
    MetricRules,
    MoneyFlow,
    QuestionWords,
    Rules,
)
from bot.rules.pack import PACK_FILES, SHIPPED_FILES, check_pack, pack_rule_file

# The rule files, by name; the ones marked False may be missing. The pack holds company.yml and entities.yml; the
# others ship with the bot and a pack may extend them (`bot.rules.pack`).
RULE_FILES = {name: name != "entities.yml" for name in (*PACK_FILES, *SHIPPED_FILES)}
_METRIC_KINDS = ("money", "percent", "count")


def read_rule_file(folder: Path, name: str) -> Any:
    """The parsed content of one rule file as the pack `folder` has it: a shipped file extended by the pack's
    file of that name (`bot.rules.pack`), or the pack's own file; None for an optional file that is not there."""
    return pack_rule_file(folder, name)


def load_company(folder: Path) -> Company:
    """The followed company of the pack in `folder`, from its `company.yml` alone (what the CLI's help names)."""
    return company_from(read_rule_file(folder, "company.yml"), str(folder / "company.yml"))


def load_rules(folder: Path) -> Rules:
    """Every rule file of the pack `folder`, read once, as typed rules; `PackError` when the pack cannot be used."""
    check_pack(folder)
    company = load_company(folder)
    vocab = read_rule_file(folder, "vocabulary.yml")
    fig = read_rule_file(folder, "figure_rules.yml")
    text = read_rule_file(folder, "text_rules.yml")
    return Rules(
        company=company,
        catalog=with_company(catalog_entries(read_rule_file(folder, "entities.yml") or []), company),
        concepts=concepts(vocab),
        filler=frozenset(str(w).lower() for w in vocab.get("filler", [])) | possessives(company),
        amounts=load_amount_rules(fig, read_rule_file(folder, "currencies.yml"), company.currency),
        qualifiers={phrase.lower(): norm for norm, phrases in fig["qualifiers"].items() for phrase in phrases},
        time_units=frozenset(fig["time_units"]),
        boilerplate=tuple(re.compile(p, re.IGNORECASE) for p in text["boilerplate_lines"]),
        source_labels=tuple(text["source_labels"]),
        not_entities=frozenset(str(w).lower() for w in text["not_entities"]),
        ner_types=dict(text["ner_types"]),
        descriptors=tuple(text["descriptors"]),
        metrics=metric_rules(read_rule_file(folder, "metrics.yml")),
        fiscal=fiscal_rules(company),
        questions=question_words(read_rule_file(folder, "questions.yml")),
    )


def catalog_entries(data: list[dict[str, Any]]) -> tuple[CatalogEntry, ...]:
    return tuple(
        CatalogEntry(
            name=str(e["name"]),
            type=str(e.get("type", "organization")),
            aliases=tuple(str(a) for a in (e.get("aliases") or [])),
            focus=bool(e.get("focus", False)),
        )
        for e in data
    )


def concepts(vocab: dict[str, Any]) -> tuple[Concept, ...]:
    return tuple(
        Concept(
            ask=tuple(str(w).lower() for w in c.get("ask", [])),
            finds=tuple(str(w) for w in c.get("finds", [])),
            wants=tuple(c["wants"]) if isinstance(c.get("wants"), list) else ((c["wants"],) if c.get("wants") else ()),
            period=tuple(str(w).lower() for w in c.get("period", [])),
        )
        for c in vocab.get("concepts", [])
    )


def metric_rules(data: dict[str, Any]) -> MetricRules:
    metrics = tuple(
        MetricRule(
            name=str(e["name"]),
            kinds=frozenset(e.get("kinds") or _METRIC_KINDS),
            any=tuple(str(w) for w in e.get("any") or ()),
            all=tuple(str(w) for w in e.get("all") or ()),
            by_noun=bool(e.get("by_noun", False)),
        )
        for e in data["metrics"]
    )
    status = tuple(
        (str(name), tuple(str(w) for w in cues.get("sentence") or ()), tuple(str(w) for w in cues.get("clause") or ()))
        for name, cues in data["status"].items()
    )
    flows = tuple(
        MoneyFlow(
            name=str(f["name"]),
            verbs=tuple(str(v).lower() for v in f["verbs"]),
            metrics=tuple(str(m) for m in f.get("metrics") or ()),
        )
        for f in data.get("flows") or ()
    )
    return MetricRules(metrics, tuple(str(w) for w in data["growth"]), status, flows)


def with_company(catalog: tuple[CatalogEntry, ...], company: Company) -> tuple[CatalogEntry, ...]:
    """The catalog with the followed company its one focus, under the name and with the aliases `company.yml` gives
    (an entry of the catalog that shares a name with it is merged into it), and each rival a company."""
    out = list(catalog)
    for one, focus in ((company, True), *((r, False) for r in company.rivals)):
        names = set(one.names)
        same = [i for i, e in enumerate(out) if names & {e.name, *e.aliases}]
        aliases = [a for i in same for a in (*out[i].aliases, out[i].name) if a != one.name or a in out[i].aliases]
        entry = CatalogEntry(
            name=one.name,
            type=out[same[0]].type if same else "company",
            focus=focus,
            aliases=tuple(dict.fromkeys([*aliases, *one.aliases])),
        )
        at = same[0] if same else len(out)
        out = [e for i, e in enumerate(out) if i not in same]
        out.insert(min(at, len(out)), entry)
    return tuple(e if e.name == company.name or not e.focus else dataclasses.replace(e, focus=False) for e in out)


def possessives(company: Company) -> frozenset[str]:
    """ "acme's" for each one-word name of the followed company: it only phrases a question about it."""
    return frozenset(f"{n.lower()}'s" for n in company.names if " " not in n)


def fiscal_rules(company: Company) -> FiscalRules:
    """The fiscal calendars of the followed company (and its units) and of its rivals; the calendar year for
    everyone else."""
    by_name: dict[str, FiscalYear] = {}
    for one in (company, *company.rivals):
        year = FiscalYear(*one.fiscal_year_end, lag_days=one.results_lag_days, named_for=one.fiscal_year_named_for)
        for name in (*one.names, *one.units):
            by_name.setdefault(name, year)
    return FiscalRules(FiscalYear(), by_name)


def question_words(data: dict[str, Any]) -> QuestionWords:
    return QuestionWords(
        tuple(data["roles"]),
        tuple(data["running_verbs"]),
        tuple(data["running_roles"]),
        frozenset(w.lower() for w in data["organisation_nouns"]),
        tuple(data["speech"]),
        tuple(tuple(g) for g in data.get("role_synonyms") or ()),
        tuple(data.get("events") or ()),
        tuple(data.get("asking_speech") or ("say", "said")),
    )
