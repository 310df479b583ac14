"""Understanding a query: the entity it names, the word groups to search for, typos, and unknown words."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.reading.entities import alias_key
from bot.rules import Concept, Rules
from bot.store.search import Group
from bot.store.words import STOPWORDS, stem, words

# Every query costs the same few milliseconds: longer ones are cut, and the note says so.
MAX_QUERY_CHARS = 300
_COMPOUND = re.compile(r"[^\W_]+(?:[-.][^\W_]+)+")
MAX_QUERY_TERMS = 20
# A general English word list: the whole words of the embedding model's word-piece vocabulary.
_ENGLISH_VOCABULARY = Path(__file__).with_name("embeddings") / "tokenizer.json"
_LEAD = re.compile(r"^\s*(?:(?:who|what)\s+(?:is|are|was)\s+|tell me about\s+|about\s+)?", re.I)


@dataclass
class Lexicon:
    """What the corpus knows: alias keys -> entity ids, words and their stems."""

    aliases: dict[str, int]
    terms: set[str]
    term_stems: set[str]
    term_list: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # entities the articles mention
    focus_ids: set[int] = field(default_factory=set)  # the company the bot follows
    articles: int = 0
    squashed: dict[str, int] = field(default_factory=dict)  # alias keys without spaces: "fei fei li" -> "feifeili"
    place_ids: set[int] = field(default_factory=set)  # places: "in India" narrows what is asked of a subject

    def __post_init__(self) -> None:
        if not self.squashed:
            self.squashed = {k.replace(" ", ""): e for k, e in self.aliases.items() if len(k.replace(" ", "")) >= 5}


@dataclass
class Plan:
    query: str
    entity_id: int | None = None
    entity_text: str | None = None
    groups: list[Group] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    semantic: bool = False  # related words searched, passages ranked by meaning too

    @property
    def wants(self) -> set[str]:
        return {kind for g in self.groups for kind in g.wants}


def clean_query(raw: str) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    text = re.sub(r"\s+", " ", text).strip()[:MAX_QUERY_CHARS]
    return text.strip(" ?!.")


def _concept_for(phrase: str, rules: Rules) -> Concept | None:
    for concept in rules.concepts:
        if phrase in concept.ask:
            return concept
    return None


_HELD_WORDS = frozenset({"stake", "stakes", "holding", "holdings", "gain", "gains", "gained"})


def _held(tokens: list[str], start: int, end: int) -> bool:
    """Whether the name at tokens[start:end] is said as held: "its orbit stake", "a stake in orbit", "gained on
    orbit"."""
    after = tokens[end].lower().strip("?!,;:") if end < len(tokens) else ""
    before = [t.lower() for t in tokens[max(0, start - 3) : start]]
    return after in _HELD_WORDS or (
        bool(before) and before[-1] in ("in", "on") and any(w in _HELD_WORDS for w in before[:-1])
    )


def _entity_span(tokens: list[str], lexicon: Lexicon) -> tuple[int, int, int] | None:
    """The longest run of query tokens that is a known name: (start, end, entity id). A possessor wins ("tarn's
    stake in orbit" is Tarn's), then a name other than the followed company's ("when did alibaba release qwq-32b"
    is about QwQ-32B); a place never does."""
    found: list[tuple[int, int, int]] = []
    for n in range(len(tokens), 0, -1):
        for i in range(0, len(tokens) - n + 1):
            key = alias_key(" ".join(tokens[i : i + n]))
            if key and key in lexicon.aliases and not any(s <= i < e or s < i + n <= e for s, e, _ in found):
                found.append((i, i + n, lexicon.aliases[key]))
    if found:
        # a place only narrows what is asked ("staff in India") when the question names a company too
        named = [f for f in found if f[2] not in lexicon.place_ids]
        # "aravalli's stake in lipika": what is asked is the possessor's
        owners = [f for f in named if tokens[f[1] - 1].lower().endswith(("'s", "’s"))] if len(named) > 1 else []
        # "how much has tarn gained on orbit", "tarn's stake in orbit": the name held is not whose the figure is
        # (asked alone, the followed company holds it: "the orbit stake")
        holders = [f for f in named if not _held(tokens, *f[:2])]
        others = [f for f in holders if f[2] not in lexicon.focus_ids]
        return (owners or others or holders)[0] if owners or holders else None
    # Chinese names in either order, with or without the hyphen or space inside the given name:
    # "Fei-Fei Li" = "Li Feifei", "Yongming Wu" = "Wu Yongming".
    for n in (3, 2):
        for i in range(0, len(tokens) - n + 1):
            span = tokens[i : i + n]
            for order in (span, list(reversed(span))):
                squashed = alias_key(" ".join(order)).replace(" ", "")
                if len(squashed) >= 5 and squashed in lexicon.squashed:
                    return i, i + n, lexicon.squashed[squashed]
    return None


def plan_query(query: str, rules: Rules, lexicon: Lexicon) -> Plan:
    plan = Plan(query=query)
    body = _LEAD.sub("", query)
    tokens = body.split()
    if len(tokens) > MAX_QUERY_TERMS or len(words(body)) > MAX_QUERY_TERMS:
        tokens = _first_terms(tokens)
        body = " ".join(tokens)
        plan.notes.append(f"Only the first {MAX_QUERY_TERMS} words of the question were read; the rest was ignored.")
    span = _entity_span(tokens, lexicon)
    if span:
        start, end, plan.entity_id = span
        plan.entity_text = " ".join(tokens[start:end])
        rest_tokens = tokens[:start] + tokens[end:]
    else:
        rest_tokens = tokens
        whole = alias_key(body)
        if len(whole) >= 4 and lexicon.aliases:
            match = process.extractOne(whole, list(lexicon.aliases), scorer=fuzz.ratio, score_cutoff=85)
            if match:
                plan.entity_id, plan.entity_text = lexicon.aliases[match[0]], body
                rest_tokens = []
    # Hyphenated and dotted names ("RISC-V", "T-Head", "qwen.ai") are searched as phrases, never as loose parts.
    compounds = [t.strip("?!,;:()\"'") for t in rest_tokens if _COMPOUND.fullmatch(t.strip("?!,;:()\"'"))]
    for compound in compounds:
        plan.groups.append(Group(compound, (compound,)))
    rest_tokens = [t for t in rest_tokens if t.strip("?!,;:()\"'") not in compounds]
    rest = [w.lower() for w in words(" ".join(rest_tokens))]
    original = {w.lower(): w for w in words(" ".join(rest_tokens))}
    i = 0
    while i < len(rest):
        # Longest vocabulary phrase first: "capital expenditure" before "capital".
        for n in (3, 2, 1):
            phrase = " ".join(rest[i : i + n])
            if len(rest[i : i + n]) == n and (concept := _concept_for(phrase, rules)):
                plan.groups.append(
                    Group(phrase, tuple(dict.fromkeys([phrase, *concept.finds])), concept.wants, concept.period)
                )
                i += n
                break
        else:
            word = rest[i]
            i += 1
            if word in rules.filler or word in STOPWORDS or (len(word) == 1 and not word.isdigit()):
                continue  # a lone letter is what is left of "what's", "don't"
            if word in lexicon.terms or (not word.isdigit() and stem(word) in lexicon.term_stems):
                plan.groups.append(Group(word, (word,)))
                continue
            fixed = None if word.isdigit() else _correct(word, rules, lexicon)
            if fixed:
                plan.corrections[original.get(word, word)] = fixed
                concept = _concept_for(fixed, rules)
                if concept:
                    plan.groups.append(
                        Group(fixed, tuple(dict.fromkeys([fixed, *concept.finds])), concept.wants, concept.period)
                    )
                else:
                    plan.groups.append(Group(fixed, (fixed,)))
            else:
                plan.unknown.append(original.get(word, word))
    return plan


def _first_terms(tokens: list[str]) -> list[str]:
    """The leading tokens that hold at most MAX_QUERY_TERMS search words (a token can hold several: "a-b-c")."""
    kept: list[str] = []
    count = 0
    for token in tokens:
        count += max(1, len(words(token)))
        if count > MAX_QUERY_TERMS:
            break
        kept.append(token)
    return kept or [" ".join(words(tokens[0])[:MAX_QUERY_TERMS])]


@cache
def english_words() -> frozenset[str]:
    """Ordinary English words (four letters or more): a word the articles lack but English has ("fall", "flow")
    is a word they do not use, not a typo of one they do ("all", "low")."""
    vocab = json.loads(_ENGLISH_VOCABULARY.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if len(w) >= 4 and w.isascii() and w.isalpha())


def _correct(word: str, rules: Rules, lexicon: Lexicon) -> str | None:
    """A typo fixed against the vocabulary's words, then the corpus's words; an English word is never a typo."""
    if len(word) < 4 or word in english_words():
        return None
    asks = [a for c in rules.concepts for a in c.ask if " " not in a]
    match = process.extractOne(word, asks, scorer=fuzz.ratio, score_cutoff=80)
    if match:
        return str(match[0])
    cutoff = 85 if len(word) < 7 else 80
    match = process.extractOne(word, lexicon.term_list, scorer=fuzz.ratio, score_cutoff=cutoff)
    return str(match[0]) if match else None


_PERIOD_LABEL = re.compile(r"(?:fy|q[1-4]|h[12])(?:\d{2}|\d{4})?", re.I)


def looks_like_name(word: str) -> bool:
    """A specific thing (a name, a model number, a year): if the articles lack it, they cannot answer. A period
    label ("FY25", "Q3", "H1") is not one: the articles write periods out in words."""
    if _PERIOD_LABEL.fullmatch(word):
        return False
    return word[:1].isupper() or any(ch.isdigit() for ch in word)
