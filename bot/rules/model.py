"""The typed rules, as read from the rule files: plain data, with no code of the packages that use them.

What is derived from them (stemmed metric words, fiscal calendars that turn labels into dates, the spaCy patterns
of the catalog) is built where it is used, from these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.rules.amounts import AmountRules
from bot.rules.company import Company


@dataclass(frozen=True)
class CatalogEntry:
    """A name of `entities.yml`, with its type and aliases; `focus` marks the company the bot follows."""

    name: str
    type: str
    aliases: tuple[str, ...]
    focus: bool = False


@dataclass(frozen=True)
class Concept:
    """A concept of `vocabulary.yml`: the words a query asks it by and the words the articles say it with."""

    ask: tuple[str, ...]
    finds: tuple[str, ...]
    wants: tuple[str, ...] = ()  # kinds of figure that answer it: money, percent, count
    period: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricRule:
    """A metric of `metrics.yml`, its words as written (the reader stems them)."""

    name: str
    kinds: frozenset[str]  # which figures it can name: money, percent, count
    any: tuple[str, ...]
    all: tuple[str, ...] = ()
    by_noun: bool = False  # named only by the noun the amount belongs to, not by a word elsewhere in its clause


@dataclass(frozen=True)
class MoneyFlow:
    """A way money moves, named by the verbs that move it (`metrics.yml`, `flows`): an amount a verb of it moves is
    one of `metrics` when its clause names one, else `name`."""

    name: str
    verbs: tuple[str, ...]  # lemmas, a particle after its verb ("bring in")
    metrics: tuple[str, ...] = ()


# Compared and hashed by identity, as `Rules`: what is derived from it may be kept per object.
@dataclass(frozen=True, eq=False)
class MetricRules:
    """`metrics.yml`: the metrics, the words of growth, and the cues of each status (actual, plan, ...)."""

    metrics: tuple[MetricRule, ...]
    growth: tuple[str, ...]
    status: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (status, sentence cues, clause cues)
    flows: tuple[MoneyFlow, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """Every word or phrase that names a metric."""
        return tuple(w for m in self.metrics for w in (*m.any, *m.all))


@dataclass(frozen=True)
class FiscalYear:
    """When a fiscal year ends, how many days after a quarter's end its results come out, and whether a fiscal year
    is named for the calendar year it ends in ("end") or the one it starts in ("start")."""

    end_month: int = 12
    end_day: int = 31
    lag_days: int = 45
    named_for: str = "end"


@dataclass(frozen=True, eq=False)
class FiscalRules:
    """The calendar year for companies not listed (`default`); the followed company's, its units' and its rivals'
    years, from `company.yml`, by name."""

    default: FiscalYear
    by_name: dict[str, FiscalYear]


@dataclass(frozen=True)
class QuestionWords:
    """`questions.yml`: the words of roles, of running something, of speech and of events that questions use."""

    roles: tuple[str, ...]
    running_verbs: tuple[str, ...]
    running_roles: tuple[str, ...]
    organisation_nouns: frozenset[str]
    speech: tuple[str, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    events: tuple[str, ...] = ()
    asking_speech: tuple[str, ...] = ("say", "said")

    def widen(self, roles: tuple[str, ...]) -> tuple[str, ...]:
        """A role with the other words for it: "CEO" -> CEO, chief executive, chief executive officer."""
        out = list(roles)
        for group in self.synonyms:
            if any(r.lower() in (g.lower() for g in group) for r in roles):
                out += [g for g in group if g not in out]
        return tuple(out)


# Compared and hashed by identity: one loaded rule set is one cache key.
@dataclass(frozen=True, eq=False)
class Rules:
    """Every rule file of a folder, read once (`bot.rules.load_rules`)."""

    company: Company  # company.yml: the company the bot follows
    catalog: tuple[CatalogEntry, ...]  # entities.yml
    concepts: tuple[Concept, ...]  # vocabulary.yml
    filler: frozenset[str]  # vocabulary.yml
    amounts: AmountRules  # figure_rules.yml and currencies.yml
    qualifiers: dict[str, str]  # figure_rules.yml: phrase -> normalised qualifier
    time_units: frozenset[str]  # figure_rules.yml
    boilerplate: tuple[re.Pattern[str], ...]  # text_rules.yml, as the rest to `descriptors`
    source_labels: tuple[str, ...]
    not_entities: frozenset[str]
    ner_types: dict[str, str]
    descriptors: tuple[str, ...]
    metrics: MetricRules  # metrics.yml
    fiscal: FiscalRules  # company.yml: its fiscal calendar and its rivals' calendars
    questions: QuestionWords  # questions.yml
