"""The rule types the reading package uses, from `bot.rules` (which loads them); kept so importers need not change."""

from __future__ import annotations

from bot.rules import (
    AmountRules,
    CatalogEntry,
    Concept,
    Lexeme,
    Rules,
    lexeme_key,
    load_amount_rules,
    load_rules,
)

__all__ = ["AmountRules", "CatalogEntry", "Concept", "Lexeme", "Rules", "lexeme_key", "load_amount_rules",
           "load_rules"]
