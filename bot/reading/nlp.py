"""The spaCy pipeline: the configured English model, paragraph sentence breaks and the entity catalog.

The parser decides figures and the tagger with the attribute ruler gives parts of speech; the lemmatizer does not
run over every token: the few words that need a lemma (a figure's governing noun, a speech verb) ask it through
`lemma`, which gives the same lemma the pipeline would have set."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.lexeme import Lexeme
from spacy.tokens import Doc, Token

from bot.rules import Rules

log = logging.getLogger(__name__)

# Components the bot reads nothing from when run over whole articles.
UNUSED = ("lemmatizer",)
_LEMMATIZERS: dict[int, Any] = {}  # id(vocab) -> its pipeline's lemmatizer, asked one token at a time


_SENTENCE_ENDS = frozenset({".", "!", "?", "…", '"', "”", "’", "'", ")"})


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings and list items stand alone, however they are punctuated. Within a
    line, no sentence starts right after a number, nor at a number or currency sign unless a sentence ended
    before it: "249.00 USD", "JPY 1,200", "Four dozen volunteers" are one amount's words."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
        elif not doc[token.i + 1].is_space and (
            (token.like_num and token.whitespace_)
            or ((doc[token.i + 1].like_num or doc[token.i + 1].is_currency) and token.text not in _SENTENCE_ENDS)
        ):
            doc[token.i + 1].is_sent_start = False
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
    for name in UNUSED:
        if name in nlp.pipe_names:
            if name == "lemmatizer":
                _LEMMATIZERS[id(nlp.vocab)] = nlp.get_pipe(name)
            nlp.disable_pipe(name)
    return nlp


def lemma(token: Token) -> str:
    """The token's lemma, lower-cased: "said" -> "say", "revenues" -> "revenue"."""
    if token.lemma:  # set by a pipeline that ran its lemmatizer, or by the attribute ruler
        return token.lemma_.lower()
    lemmatizer = _LEMMATIZERS.get(id(token.vocab))
    if lemmatizer is None:
        return token.lower_
    return str(lemmatizer.lemmatize(token)[0]).lower()


def distinct_words(doc: Doc) -> list[Lexeme]:
    """Each word of the document once, as its lexeme: what a word is (its text, lower case, whether it is
    alphabetic) is the same wherever it stands, and an article says most of its words more than once."""
    return [doc.vocab[orth] for orth in set(doc.to_array(ORTH).tolist())]


@lru_cache(maxsize=2)
def _cached(model: str, rules: Rules) -> Language:
    return build_pipeline(model, rules)


def get_nlp(model: str, rules: Rules) -> Language:
    return _cached(model, rules)
