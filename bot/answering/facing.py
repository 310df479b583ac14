"""How the bot presents itself, from the pack it follows: the company's name, the slash command (the pack's, unless
the SLASH_COMMAND setting overrides it) and example lookups chosen from the pack's own articles — the metrics most
articles report figures for, in the words a user would type, and the names most articles mention."""

from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy.orm import Session

from bot.answering.views.wording import GENERIC_EXAMPLES, Facing
from bot.rules import Company, Rules
from bot.settings import Settings
from bot.store.popular import most_mentioned_names, most_reported_metrics

METRIC_EXAMPLES = 3
NAME_EXAMPLES = 2
# Names that make poor examples: a place is rarely what a team asks about.
_NOT_EXAMPLES = ("place",)
_TYPABLE = re.compile(r"^[^\W\d_][\w'-]*(?: [\w'-]+){0,3}$")  # words only: "capex", "cloud revenue growth"


def slash_command(settings: Settings, company: Company) -> str:
    """The SLASH_COMMAND setting when set, else the pack's command."""
    return settings.slash_command.strip() or company.slash_command


def facing_of(settings: Settings, company: Company) -> Facing:
    """The company's name and the slash command, with the generic examples (`with_examples` adds the corpus's)."""
    return Facing(company.name, slash_command(settings, company))


def with_examples(facing: Facing, session: Session, rules: Rules) -> Facing:
    """The facing with examples from the corpus: the most-reported metrics and the most-mentioned names,
    interleaved; the generic examples when the corpus has neither."""
    metrics: list[str] = []
    for metric, _ in most_reported_metrics(session, 40):
        query = metric_query(metric, rules)
        if query and query not in metrics:
            metrics.append(query)
    followed = {e.name for e in rules.catalog if e.focus} | {facing.company}
    names = [
        n
        for n, _ in most_mentioned_names(session, 20, leave_out_types=_NOT_EXAMPLES, leave_out_names=followed)
        if _TYPABLE.match(n)
    ]
    metrics, names = metrics[:METRIC_EXAMPLES], names[:NAME_EXAMPLES]
    picked = [e for pair in zip(metrics, names, strict=False) for e in pair]
    picked += metrics[len(names) :] + names[len(metrics) :]
    return Facing(facing.company, facing.command, tuple(picked) or GENERIC_EXAMPLES)


def metric_query(metric: str, rules: Rules) -> str | None:
    """How a user would ask for a metric: the name of the metric rule it holds ("capital expenditure plan" ->
    "capital expenditure"), else the metric itself when it is a few plain words; said as the query vocabulary's
    concept first says it when that concept is asked for by those words ("capital expenditure" -> "capex").
    None for a metric no one would type ("share: %")."""
    metric = " ".join(metric.lower().split())
    if not _TYPABLE.match(metric) or metric in _unit_words(rules):
        return None
    held = [r.name.lower() for r in rules.metrics.metrics if _holds(metric, r.name.lower())]
    phrase = max(held, key=len) if held else metric if len(metric.split()) <= 3 else None
    if phrase is None:
        return None
    return next((c.ask[0] for c in rules.concepts if phrase in (a.lower() for a in c.ask)), phrase)


@lru_cache(maxsize=4)
def _unit_words(rules: Rules) -> frozenset[str]:
    """Words of the currencies' names ("kronor" of "swedish kronor"): a metric named so is its amount's unit, the
    name a figure gets when nothing says what it measures."""
    return frozenset(
        w for key, lexeme in rules.amounts.folded.items() if lexeme.kind == "currency" for w in key.split()
    )


def _holds(text: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None
