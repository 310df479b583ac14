"""The rules the bot reads articles and questions by, loaded once from the rule files of a folder (`load_rules`).

The bottom layer beside `store`: it imports nothing of the bot but `bot.settings`, and it holds the only code that
reads YAML. `model` has the typed rules, `amounts` the amount reader's word table, `company` the followed company
of a pack's company.yml, `pack` where each rule file comes from (shipped with the bot in `data/`, extended by the
pack), `load` the loader.
"""

from __future__ import annotations

from bot.rules.amounts import AmountRules, Lexeme, lexeme_key, load_amount_rules
from bot.rules.company import Company, PackError, company_from
from bot.rules.load import RULE_FILES, load_company, load_rules, read_rule_file
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
from bot.rules.pack import SHIPPED_FILES, extend, overridden

__all__ = [
    "RULE_FILES",
    "SHIPPED_FILES",
    "AmountRules",
    "CatalogEntry",
    "Company",
    "Concept",
    "FiscalRules",
    "FiscalYear",
    "Lexeme",
    "MetricRule",
    "MetricRules",
    "MoneyFlow",
    "PackError",
    "QuestionWords",
    "Rules",
    "company_from",
    "extend",
    "lexeme_key",
    "load_amount_rules",
    "load_company",
    "load_rules",
    "overridden",
    "read_rule_file",
]
