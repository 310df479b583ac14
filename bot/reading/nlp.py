"""The spaCy pipeline: the configured English model, paragraph sentence breaks and the entity catalog."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bot.reading.rules import Rules

log = logging.getLogger(__name__)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings and list items stand alone, however they are punctuated."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


def catalog_patterns(rules: Rules) -> list[dict[str, Any]]:
    patterns = []
    for entry in rules.catalog:
        for alias in {entry.name, *entry.aliases}:
            patterns.append({"label": entry.type.upper(), "pattern": alias, "id": entry.name})
    return patterns


def build_pipeline(model: str, rules: Rules) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise SystemExit(
            f"spaCy pipeline {model!r} is not installed; install it (see README) or set SPACY_MODEL"
        ) from exc
    nlp.add_pipe("paragraph_breaks", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(catalog_patterns(rules))  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=2)
def _cached(model: str, rules: Rules) -> Language:
    return build_pipeline(model, rules)


def get_nlp(model: str, rules: Rules) -> Language:
    return _cached(model, rules)
