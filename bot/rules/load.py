"""Reads the rule files of a folder into one `Rules`: the only code of the bot that reads YAML.

Each file is read by its name through `read_rule_file`, once per `load_rules`; the entry point (the CLI, the
console, the Slack server, a benchmark) loads the rules once and hands them to what needs them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.rules.amounts import load_amount_rules
from bot.rules.model import (
    CatalogEntry,
    Concept,
    FiscalRules,
    FiscalYear,
    MetricRule,
    MetricRules,
    QuestionWords,
    Rules,
)

# The rule files, by name; the ones marked False may be missing.
RULE_FILES = {
    "entities.yml": True,
    "vocabulary.yml": True,
    "figure_rules.yml": True,
    "text_rules.yml": True,
    "currencies.yml": True,
    "metrics.yml": True,
    "fiscal.yml": False,
    "questions.yml": True,
}
_METRIC_KINDS = ("money", "percent", "count")


def read_rule_file(folder: Path, name: str) -> Any:
    """The parsed content of one rule file of the folder; None for an optional file that is not there."""
    path = folder / name
    if not RULE_FILES.get(name, True) and not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_rules(folder: Path) -> Rules:
    """Every rule file of `folder`, read once, as typed rules."""
    vocab = read_rule_file(folder, "vocabulary.yml")
    fig = read_rule_file(folder, "figure_rules.yml")
    text = read_rule_file(folder, "text_rules.yml")
    return Rules(
        catalog=catalog_entries(read_rule_file(folder, "entities.yml")),
        concepts=concepts(vocab),
        filler=frozenset(str(w).lower() for w in vocab.get("filler", [])),
        amounts=load_amount_rules(fig, read_rule_file(folder, "currencies.yml")),
        qualifiers={phrase.lower(): norm for norm, phrases in fig["qualifiers"].items() for phrase in phrases},
        time_units=frozenset(fig["time_units"]),
        boilerplate=tuple(re.compile(p, re.IGNORECASE) for p in text["boilerplate_lines"]),
        source_labels=tuple(text["source_labels"]),
        not_entities=frozenset(str(w).lower() for w in text["not_entities"]),
        ner_types=dict(text["ner_types"]),
        descriptors=tuple(text["descriptors"]),
        metrics=metric_rules(read_rule_file(folder, "metrics.yml")),
        fiscal=fiscal_rules(read_rule_file(folder, "fiscal.yml") or {}),
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
        MetricRule(name=str(e["name"]), kinds=frozenset(e.get("kinds") or _METRIC_KINDS),
                   any=tuple(str(w) for w in e.get("any") or ()), all=tuple(str(w) for w in e.get("all") or ()))
        for e in data["metrics"]
    )
    status = tuple((str(name), tuple(str(w) for w in cues.get("sentence") or ()),
                    tuple(str(w) for w in cues.get("clause") or ()))
                   for name, cues in data["status"].items())
    return MetricRules(metrics, tuple(str(w) for w in data["growth"]), status)


def fiscal_rules(data: dict[str, Any]) -> FiscalRules:
    """Each company's fiscal year; what an entry leaves out is the default's, and the default's the calendar
    year's."""

    def year(entry: dict[str, Any], base: FiscalYear) -> FiscalYear:
        month, day = (int(x) for x in str(entry.get("year_ends") or f"{base.end_month}-{base.end_day}").split("-"))
        return FiscalYear(month, day, int(entry.get("results_lag_days", base.lag_days)),
                          str(entry.get("named_for") or base.named_for))

    default = year(data.get("default") or {}, FiscalYear())
    by_name: dict[str, FiscalYear] = {}
    for entry in data.get("companies") or []:
        company = year(entry, default)
        for name in [entry["name"], *(entry.get("units") or [])]:
            by_name[str(name)] = company
    return FiscalRules(default, by_name)


def question_words(data: dict[str, Any]) -> QuestionWords:
    return QuestionWords(tuple(data["roles"]), tuple(data["running_verbs"]), tuple(data["running_roles"]),
                         frozenset(w.lower() for w in data["organisation_nouns"]), tuple(data["speech"]),
                         tuple(tuple(g) for g in data.get("role_synonyms") or ()), tuple(data.get("events") or ()),
                         tuple(data.get("asking_speech") or ("say", "said")))
