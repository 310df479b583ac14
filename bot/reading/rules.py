"""Loads the rule files under `seeds/` (catalog, vocabulary, figure and text rules) in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    type: str
    aliases: tuple[str, ...]
    focus: bool = False


@dataclass(frozen=True)
class Concept:
    ask: tuple[str, ...]
    finds: tuple[str, ...]
    wants: tuple[str, ...] = ()  # kinds of figure that answer it: money, percent, count
    period: tuple[str, ...] = ()


# Compared and hashed by identity: one loaded rule set is one cache key.
@dataclass(frozen=True, eq=False)
class Rules:
    catalog: tuple[CatalogEntry, ...]
    concepts: tuple[Concept, ...]
    filler: frozenset[str]
    currency_prefix: dict[str, str]
    currency_suffix: dict[str, str]
    scales: dict[str, float]
    number_words: dict[str, int]
    percent_marks: tuple[str, ...]
    point_marks: tuple[str, ...]
    qualifiers: dict[str, str]  # phrase -> normalised qualifier
    time_units: frozenset[str]
    periods: tuple[re.Pattern[str], ...]
    boilerplate: tuple[re.Pattern[str], ...]
    source_labels: tuple[str, ...]
    not_entities: frozenset[str]
    ner_types: dict[str, str]
    descriptors: tuple[str, ...]
    seeds_dir: str = ""  # where the rule files were read from (other rule files load beside them)


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_rules(seeds_dir: Path) -> Rules:
    catalog = tuple(
        CatalogEntry(
            name=str(e["name"]),
            type=str(e.get("type", "organization")),
            aliases=tuple(str(a) for a in (e.get("aliases") or [])),
            focus=bool(e.get("focus", False)),
        )
        for e in _yaml(seeds_dir / "entities.yml")
    )
    vocab = _yaml(seeds_dir / "vocabulary.yml")
    concepts = tuple(
        Concept(
            ask=tuple(str(w).lower() for w in c.get("ask", [])),
            finds=tuple(str(w) for w in c.get("finds", [])),
            wants=tuple(c["wants"]) if isinstance(c.get("wants"), list) else ((c["wants"],) if c.get("wants") else ()),
            period=tuple(str(w).lower() for w in c.get("period", [])),
        )
        for c in vocab.get("concepts", [])
    )
    fig = _yaml(seeds_dir / "figure_rules.yml")
    qualifiers = {phrase.lower(): norm for norm, phrases in fig["qualifiers"].items() for phrase in phrases}
    text = _yaml(seeds_dir / "text_rules.yml")
    return Rules(
        seeds_dir=str(seeds_dir),
        catalog=catalog,
        concepts=concepts,
        filler=frozenset(str(w).lower() for w in vocab.get("filler", [])),
        currency_prefix={str(k): str(v) for k, v in fig["currency_prefix"].items()},
        currency_suffix={str(k): str(v) for k, v in fig["currency_suffix"].items()},
        scales={str(k).lower(): float(v) for k, v in fig["scales"].items()},
        number_words={str(k).lower(): int(v) for k, v in fig["number_words"].items()},
        percent_marks=tuple(fig["percent_marks"]),
        point_marks=tuple(fig["point_marks"]),
        qualifiers=qualifiers,
        time_units=frozenset(fig["time_units"]),
        periods=tuple(re.compile(p, re.IGNORECASE) for p in fig["periods"]),
        boilerplate=tuple(re.compile(p, re.IGNORECASE) for p in text["boilerplate_lines"]),
        source_labels=tuple(text["source_labels"]),
        not_entities=frozenset(str(w).lower() for w in text["not_entities"]),
        ner_types=dict(text["ner_types"]),
        descriptors=tuple(text["descriptors"]),
    )


@lru_cache(maxsize=4)
def rules_for(seeds_dir: str) -> Rules:
    return load_rules(Path(seeds_dir))
