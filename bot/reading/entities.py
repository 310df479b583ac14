"""Entity mentions in a parsed article: catalog names first, then NER names that pass the noise filters."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.rules import Rules

if TYPE_CHECKING:  # answering imports `alias_key` from here without loading spaCy
    from spacy.tokens import Doc, Span

_NON_ENTITY_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP", "LANGUAGE",
                      "LAW", "WORK_OF_ART", "EVENT"}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def alias_key(name: str) -> str:
    """The form names are compared in: case, accents, possessives, quotes and punctuation folded.

    >>> alias_key("Alibaba’s ")
    'alibaba'
    >>> alias_key("Qwen2.5-Max")
    'qwen2 5 max'
    """
    text = unicodedata.normalize("NFKC", name).strip()
    text = _POSSESSIVE.sub("", text)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class FoundMention:
    name: str  # canonical name if known from the catalog, else the name as written
    type: str
    start: int
    end: int
    text: str
    from_catalog: bool


def _clean(span_text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", span_text.strip())
    text = _POSSESSIVE.sub("", text).strip(" \t\n\"'“”‘’()[],.;:")
    return text


def _is_heading(sent: Span) -> bool:
    return len(sent) <= 12 and not sent.text.rstrip().endswith((".", "!", "?", "”", '"')) and not any(
        t.pos_ in ("VERB", "AUX") for t in sent
    )


def find_mentions(doc: Doc, rules: Rules) -> list[FoundMention]:
    catalog_types = {entry.name: entry.type for entry in rules.catalog}
    found: list[FoundMention] = []
    from bot.reading.nlp import distinct_words  # the pipeline's module: loaded only where articles are read

    lower_words = {w.orth_ for w in distinct_words(doc) if w.is_lower}
    for ent in doc.ents:
        if ent.ent_id_ and ent.ent_id_ in catalog_types:
            found.append(FoundMention(ent.ent_id_, catalog_types[ent.ent_id_], ent.start_char, ent.end_char,
                                      ent.text, True))
            continue
        if ent.label_ in _NON_ENTITY_LABELS or ent.label_ not in rules.ner_types:
            continue
        name = _clean(ent.text)
        if not _acceptable(name, rules):
            continue
        if _is_heading(ent.sent):
            continue  # Title Case headings fool NER; names that matter appear in the body too
        if _common_words_only(name, lower_words):
            continue  # "Cloud Infrastructure": words the article also uses as plain nouns
        start = ent.start_char + ent.text.find(name) if name in ent.text else ent.start_char
        found.append(FoundMention(name, rules.ner_types[ent.label_], start, start + len(name), name, False))
    return _resolve_short_names(found)


def _common_words_only(name: str, lower_words: set[str]) -> bool:
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    return all(w.lower() in lower_words or w.lower() in ("ai", "and", "of") for w in words)


def _acceptable(name: str, rules: Rules) -> bool:
    if re.search(r"[+=<>@#|/\\]", name) or re.search(r"\b(?:of|and|the|for|in|on)$", name):
        return False
    if len(name) < 2 or not any(ch.isupper() for ch in name) or not re.search(r"[A-Za-z]", name):
        return False
    if name.lower() in rules.not_entities or alias_key(name) in _not_entity_keys(rules):
        return False
    words = name.split()
    return len(words) <= 5 and not name.isdigit()


@lru_cache(maxsize=4)
def _not_entity_keys(rules: Rules) -> frozenset[str]:
    """Words that are never a name: the rules' list, and what figures measure (`metrics.yml`: "EBITA",
    "capital expenditure"), which the NER model sometimes tags as an organisation."""
    keys = {alias_key(n) for n in rules.not_entities} | {alias_key(w) for w in rules.metrics.words}
    return frozenset(k for k in keys if k)


def _resolve_short_names(found: list[FoundMention]) -> list[FoundMention]:
    """A surname or a shorter form ("Wu", "Jiang") refers to the full name the same article uses."""
    people = [m for m in found if m.type == "person" and len(m.text.split()) >= 2]
    resolved: list[FoundMention] = []
    for mention in found:
        words = mention.text.split()
        if len(words) == 1 and mention.type in ("person", "organization", "place"):
            match = [p for p in people if mention.text in p.text.split()]
            names = {p.name for p in match}
            if len(names) == 1:
                full = match[0]
                resolved.append(FoundMention(full.name, full.type, mention.start, mention.end, mention.text,
                                             full.from_catalog))
                continue
            if mention.type == "person":
                continue  # a lone surname we cannot place is too ambiguous to keep
        resolved.append(mention)
    return resolved
