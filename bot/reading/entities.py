"""Entity mentions in a parsed article: catalog names first, then NER names that pass the noise filters."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.reading.measures import is_trade_noun
from bot.reading.names import (
    alias_key,
    in_role,
    name_forms,
    role_patterns,
    stated_aliases,
    unanchored_aliases,
)
from bot.rules import Rules

if TYPE_CHECKING:  # answering imports `alias_key` from here without loading spaCy
    from spacy.tokens import Doc, Span

_NON_ENTITY_LABELS = {
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
    "NORP",
    "LANGUAGE",
    "LAW",
    "WORK_OF_ART",
    "EVENT",
}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")  # also in names.alias_key


@dataclass
class FoundMention:
    name: str  # canonical name if known from the catalog, else the name as written
    type: str
    start: int
    end: int
    text: str
    from_catalog: bool
    aliases: tuple[str, ...] = ()  # other names the article states for it ("known in English as ...")


_STATED_ALIAS = re.compile(r"\s*[,(]\s*(?:a\.\s?k\.\s?a\b|aka\b|also\b|formerly\b|known\b|whose\b).*$", re.S)


def _clean(span_text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", span_text.strip())
    text = _STATED_ALIAS.sub("", text)  # "Orbit, a.k.a": the name ends where the alias is stated
    text = _POSSESSIVE.sub("", text).strip(" \t\n\"'“”‘’()[],.;:")
    return text


def _is_heading(sent: Span) -> bool:
    return (
        len(sent) <= 12
        and not sent.text.rstrip().endswith((".", "!", "?", "”", '"'))
        and not any(t.pos_ in ("VERB", "AUX") for t in sent)
    )


def find_mentions(doc: Doc, rules: Rules) -> list[FoundMention]:
    catalog_types = {entry.name: entry.type for entry in rules.catalog}
    found: list[FoundMention] = []
    from bot.reading.nlp import distinct_words  # the pipeline's module: loaded only where articles are read

    lower_words = {w.orth_ for w in distinct_words(doc) if w.is_lower}
    for ent in doc.ents:
        if ent.ent_id_ and ent.ent_id_ in catalog_types:
            part = _named_part(doc, ent, catalog_types[ent.ent_id_])
            if part is not None and _acceptable(part.text, rules):
                found.append(FoundMention(part.text, "organization", part.start_char, part.end_char, part.text, False))
                continue
            version = _version_of(doc, ent, catalog_types[ent.ent_id_])
            if version is not None:  # "ERNIE 4.5" is a model of its own beside the catalog's "ERNIE"
                kind = catalog_types[ent.ent_id_]
                found.append(
                    FoundMention(version.text, kind, version.start_char, version.end_char, version.text, False)
                )
                continue
            found.append(
                FoundMention(ent.ent_id_, catalog_types[ent.ent_id_], ent.start_char, ent.end_char, ent.text, True)
            )
            continue
        if ent.label_ in _NON_ENTITY_LABELS or ent.label_ not in rules.ner_types:
            continue
        name = _clean(ent.text)
        if not _acceptable(name, rules):
            continue
        if _is_heading(ent.sent):
            continue  # Title Case headings fool NER; names that matter appear in the body too
        if len(ent) == 1 and ent.start == ent.sent.start and ent[0].pos_ in ("ADJ", "VERB"):
            continue  # "Consolidated revenue rose …": a sentence's capital, not a name
        if _common_words_only(name, lower_words):
            continue  # "Cloud Infrastructure": words the article also uses as plain nouns
        start = ent.start_char + ent.text.find(name) if name in ent.text else ent.start_char
        kind = rules.ner_types[ent.label_]
        if kind == "place" and name.isalpha() and _in_capitals(name):
            kind = "organization"  # "ZENITH", "KITE": a brand in capitals, not a place the recogniser guessed
        found.append(FoundMention(name, kind, start, start + len(name), name, False))
    labels = {(e.start_char, e.end_char): rules.ner_types[e.label_] for e in doc.ents if e.label_ in rules.ner_types}
    units = [m for m in _named_units(doc, found) if _acceptable(m.name, rules)]
    # "the Edge Devices segment" says what the name is: wherever else the article says it, a part of a company
    unit_names = {m.name for m in units} | {m.name for m in found if _UNIT_AFTER.match(doc.text, m.end)}
    unit_names |= {m.name for m in found if _said_to_be_a_company(doc, m)}
    found = [replace(m, type="organization") if m.name in unit_names and not m.from_catalog else m for m in found]
    found += units
    found += [m for m in _rivals_named(doc, found) if _acceptable(m.name, rules)]
    linked = _resolve_short_names(link_names(doc.text, found, labels, role_patterns(rules.questions.roles)))
    return sorted(linked + _surnames_alone(doc, linked), key=lambda m: m.start)


# Generic nouns for a part of a company ("the cloud unit" points back to the last unit named, not to the
# company); capitalised words before one name that part ("the Core Platforms segment").
UNIT_WORDS = frozenset({"segment", "unit", "division", "business", "arm", "subsidiary", "sector"})


_UNIT_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(UNIT_WORDS)) + r")\b")


_COMPANY_APPOSITIVES = UNIT_WORDS | {"company", "firm", "startup", "start-up", "group"}


def _said_to_be_a_company(doc: Doc, mention: FoundMention) -> bool:
    """ "Tarnwell Cloud, the group's hosting unit", "the robot maker Tarnwell Robotics": a name beside a noun for a
    company, a part of one or a trade (in apposition or before it) is one, whatever the name finder guessed."""
    if (span := doc.char_span(mention.start, mention.end, alignment_mode="expand")) is None:
        return False
    said = [c.lower_ for c in span.root.children if c.dep_ == "appos" or (c.dep_ == "compound" and c.i < span.start)]
    return any(w in _COMPANY_APPOSITIVES or is_trade_noun(w) for w in said)


def _named_units(doc: Doc, found: list[FoundMention]) -> list[FoundMention]:
    """ "The Core Platforms segment", "its Consumer Devices unit": capitalised words that a part-of-a-company
    noun follows name that part, where the name finder saw none."""
    taken = [(m.start, m.end) for m in found]
    out = []
    for token in doc:
        if token.lower_ not in UNIT_WORDS or token.i == 0 or token.is_title:
            continue
        start = token.i
        while start > token.sent.start and doc[start - 1].is_title and doc[start - 1].pos_ in ("PROPN", "ADJ", "NOUN"):
            start -= 1
        if start == token.i or start == token.sent.start or doc[start - 1].lower_ not in ("the", "its", "their"):
            continue
        span = doc[start : token.i]
        if any(s < span.end_char and span.start_char < e for s, e in taken) or _is_heading(token.sent):
            continue
        out.append(FoundMention(span.text, "organization", span.start_char, span.end_char, span.text, False))
    return out


_RIVAL_WORDS = frozenset({"rival", "rivals", "competitor", "competitors", "peer", "peers"})


def _rivals_named(doc: Doc, found: list[FoundMention]) -> list[FoundMention]:
    """ "Rival Bergmann Automation said …": capitalised words a word for a competitor stands before name a company,
    where the name finder saw none."""
    taken = [(m.start, m.end) for m in found]
    out = []
    for token in doc:
        if token.lower_ not in _RIVAL_WORDS or _is_heading(token.sent):
            continue
        end = token.i + 1
        while end < token.sent.end and end - token.i <= 4 and doc[end].is_title and doc[end].pos_ == "PROPN":
            end += 1
        span = doc[token.i + 1 : end]
        if len(span) and not any(s < span.end_char and span.start_char < e for s, e in taken):
            out.append(FoundMention(span.text, "organization", span.start_char, span.end_char, span.text, False))
    return out


def _surnames_alone(doc: Doc, found: list[FoundMention]) -> list[FoundMention]:
    """ "Frost is unrepentant.": a person's last name on its own, after the article has named them in full, is them,
    where the name finder missed it (at the start of a sentence, above all). Only a last name one person has."""
    owners: dict[str, set[str]] = {}
    first_at: dict[str, int] = {}
    for m in found:
        words = m.text.split()
        if m.type == "person" and len(words) >= 2:
            owners.setdefault(words[-1], set()).add(m.name)
            first_at[words[-1]] = min(first_at.get(words[-1], m.start), m.start)
    taken = [(m.start, m.end) for m in found]
    out = []
    for token in doc:
        names = owners.get(token.text)
        if (
            names is None
            or len(names) != 1
            or token.idx <= first_at[token.text]
            or not token.is_title
            or (token.pos_ != "PROPN" and not token.is_sent_start)
            or any(s <= token.idx < e for s, e in taken)
            or (token.i > 0 and doc[token.i - 1].is_title and not token.is_sent_start)  # "Data Grid": a longer name
            or (token.i + 1 < len(doc) and doc[token.i + 1].is_title and doc[token.i + 1].pos_ == "PROPN")
        ):
            continue
        name = next(iter(names))
        full = next(m for m in found if m.name == name)
        out.append(FoundMention(name, "person", token.idx, token.idx + len(token.text), token.text, full.from_catalog))
    return out


# Words a company's legal name ends in: "Acme Group" and "Acme Inc." are Acme.
CORPORATE_SUFFIXES = frozenset(
    {"group", "inc", "incorporated", "corp", "corporation", "co", "company", "holdings", "holding", "ltd", "limited"}
    | {"plc", "llc", "ag", "sa", "nv", "se"}
)
# Capitalised words after a company's name that do not make another name with it: titles, legal suffixes.
NOT_A_PART = CORPORATE_SUFFIXES | {
    "chief",
    "executive",
    "officer",
    "ceo",
    "cfo",
    "cto",
    "coo",
    "president",
    "chairman",
    "chairwoman",
    "chair",
    "founder",
    "co-founder",
    "director",
    "head",
    "vice",
    "spokesperson",
    "spokesman",
    "spokeswoman",
}


def _named_part(doc: Doc, ent: Span, catalog_type: str) -> Span | None:
    """A company's name followed by capitalised words that name a part of it ("the Acme Cloud", "Acme Music"),
    not a title or a legal suffix ("Acme Chief Executive", "Acme Corp."): the longer name, or None."""
    if catalog_type != "company" or _is_heading(ent.sent):
        return None
    end = ent.end
    while (
        end < ent.sent.end
        and doc[end].is_title
        and doc[end].pos_ == "PROPN"
        and doc[end].lower_.rstrip(".") not in NOT_A_PART
        and doc[end].ent_type_ in ("", "ORG", "PRODUCT")
        and not doc[end].ent_id_
    ):
        end += 1
    if end == ent.end or end - ent.start > 4:
        return None
    return doc[ent.start : end]


_VERSION = re.compile(r"[A-Z]?\d+(?:\.\d+)*[A-Za-z]?|[A-Z]\d*")


# Words that name a size or tier of a model after a hyphen ("-mini", "-Max"); "-based" or "-powered" name none.
_TIERS = frozenset({"mini", "nano", "pro", "max", "lite", "turbo", "plus", "flash", "ultra", "preview", "instruct"})


def _tier(word: str) -> bool:
    return any(c.isdigit() for c in word) or word[:1].isupper() or word.lower() in _TIERS


def _version_of(doc: Doc, ent: Span, catalog_type: str) -> Span | None:
    """A model or product name with a version after it ("ERNIE 4.5", "Orion X1", "Phi-4-mini"): the longer name, a
    model of its own, or None."""
    if catalog_type not in ("model", "product"):
        return None
    end = ent.end
    while end < ent.sent.end:
        token, before = doc[end], doc[end - 1]
        if _VERSION.fullmatch(token.text) and end == ent.end and before.whitespace_ and not token.like_num:
            end += 1  # "Orion X1"
        elif _VERSION.fullmatch(token.text) and end == ent.end and before.whitespace_ and "." in token.text:
            end += 1  # "ERNIE 4.5"
        elif (
            token.text == "-"
            and not before.whitespace_
            and not token.whitespace_
            and end + 1 < ent.sent.end
            and _tier(doc[end + 1].text)
        ):
            end += 2  # "Phi-4-mini", not "Qwen-based"
        else:
            break
    return doc[ent.start : end] if end > ent.end else None


def _in_capitals(name: str) -> bool:
    """A name written in capitals of four letters or more ("ZENITH"): written so to be a name."""
    return name.isupper() and len(name) >= 4


def _common_words_only(name: str, lower_words: set[str]) -> bool:
    """Whether a name is made of words the article also writes in lower case ("Cloud Infrastructure"); one in
    capitals of several letters ("ZENITH") is written so to be a name."""
    if _in_capitals(name):
        return False
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    return all(w.lower() in lower_words or w.lower() in ("ai", "and", "of") for w in words)


# A fiscal or calendar label ("FY2026 Q1", "Q3 2025", "H1", "fiscal 2025") that a name finder may take for a name.
PERIOD_LABEL = re.compile(
    r"(?:(?:fiscal\s+(?:year\s+)?|FY\s?)?(?:19|20)?\d{2}\s*(?:Q[1-4]|H[12])?|"
    r"(?:Q[1-4]|H[12])\s*(?:of\s+)?(?:fiscal\s+(?:year\s+)?|FY\s?)?(?:(?:19|20)?\d{2})?|"
    r"(?:fiscal\s+(?:year\s+)?|FY\s?)(?:19|20)?\d{2})",
    re.I,
)


def _acceptable(name: str, rules: Rules) -> bool:
    if re.search(r"[+=<>@#|/\\]", name) or re.search(r"\b(?:of|and|the|for|in|on)$", name):
        return False
    if len(name) < 2 or not any(ch.isupper() for ch in name) or not re.search(r"[A-Za-z]", name):
        return False
    if name.lower() in rules.not_entities or alias_key(name) in _not_entity_keys(rules):
        return False
    if PERIOD_LABEL.fullmatch(name.strip()):
        return False  # "FY2026 Q1" names a period, not a company
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
    stated = {m.name for m in found if m.aliases}  # a name the article gives another name for is a name
    resolved: list[FoundMention] = []
    for mention in found:
        words = mention.text.split()
        if len(words) == 1 and mention.name == mention.text and mention.type in ("person", "organization", "place"):
            match = [p for p in people if mention.text in p.text.split()]
            names = {p.name for p in match}
            if len(names) == 1:
                full = match[0]
                resolved.append(
                    FoundMention(full.name, full.type, mention.start, mention.end, mention.text, full.from_catalog)
                )
                continue
            if mention.type == "person" and mention.name not in stated:
                continue  # a lone surname we cannot place is too ambiguous to keep
        resolved.append(mention)
    return resolved


def link_names(
    text: str,
    found: list[FoundMention],
    labels: dict[tuple[int, int], str] | None = None,
    roles: tuple[re.Pattern[str], re.Pattern[str]] | None = None,
) -> list[FoundMention]:
    """Mentions of one thing under the names the article states for it, and of one person under the names in
    another order, carry one name: the catalog's when either is in the catalog, else the one written first. That
    mention keeps the other names as its aliases. `labels` are the parser's types by span (a name in another
    script counts towards the type); `roles` find names given a role beside them (a person's)."""
    added = _unanchored(text, found, labels or {})
    if added:  # a name read around a shorter one ("Kestrel" in "Kestrel Foundry") replaces it
        inside = [m for m in found if any(a.start <= m.start < m.end <= a.end for a in added)]
        found = sorted([m for m in found if m not in inside] + added, key=lambda m: m.start)
    by_key: dict[str, list[int]] = {}
    for i, m in enumerate(found):
        by_key.setdefault(alias_key(m.text), []).append(i)
    at = {(m.start, m.end): i for i, m in enumerate(found)}
    pairs: list[tuple[int, str]] = []  # (index of the mention named first, the other name)
    extra: dict[int, list[str]] = {}  # votes for a mention's type beyond its own reading
    for stated in stated_aliases(text, list(at)):
        pairs.append((at[(stated.start, stated.end)], stated.alias))
        label = (labels or {}).get((stated.alias_start, stated.alias_start + len(stated.alias)))
        if label:
            extra.setdefault(at[(stated.start, stated.end)], []).append(label)
    first_form: dict[str, int] = {}  # each form of a person's name -> the first mention written in it
    for i, m in enumerate(found):
        forms = name_forms(m.text) if m.type == "person" else frozenset()
        earlier = {first_form[f] for f in forms if f in first_form}
        earlier = {k for k in earlier if alias_key(found[k].text) != alias_key(m.text)}
        if earlier:
            pairs.append((min(earlier), m.text))
        for f in forms:
            first_form.setdefault(f, i)
    for i, m in enumerate(found):
        if roles and not m.from_catalog and len(m.text.split()) >= 2 and in_role(text, m.start, m.end, roles):
            extra.setdefault(i, []).extend(["person", "person"])
    linked = list(found)
    for first, other in pairs:
        owner = linked[first]
        others = [linked[i] for i in by_key.get(alias_key(other), [])]
        catalog = next((m for m in others if m.from_catalog), None)
        if catalog is not None and not owner.from_catalog:  # the catalog names it: the written-first name is the alias
            owner, other = catalog, owner.text
        elif catalog is not None:
            continue  # two catalog entries: the catalog decides, not the article
        written_first = linked[first].name
        for i, m in enumerate(linked):
            if m.name == written_first or (not m.from_catalog and alias_key(m.text) == alias_key(other)):
                linked[i] = FoundMention(owner.name, owner.type, m.start, m.end, m.text, owner.from_catalog, m.aliases)
        head = next(i for i, m in enumerate(linked) if m.name == owner.name)
        aliases = tuple(dict.fromkeys((*linked[head].aliases, other)))
        linked[head] = FoundMention(
            owner.name, owner.type, linked[head].start, linked[head].end, linked[head].text, owner.from_catalog, aliases
        )
    return _types_agreed(linked, found, extra, {linked[i].name for i, _ in pairs} | {linked[i].name for i in extra})


def _unanchored(text: str, found: list[FoundMention], labels: dict[tuple[int, int], str]) -> list[FoundMention]:
    """Names the parser missed that the article gives an alias for: of the alias's type, else an organisation."""
    by_start = {m.start: m for m in found}
    added = []
    for stated in unanchored_aliases(text, [(m.start, m.end) for m in found]):
        name = text[stated.start : stated.end]
        alias = by_start.get(stated.alias_start)
        kind = alias.type if alias else labels.get((stated.alias_start, stated.alias_start + len(stated.alias)))
        added.append(FoundMention(name, kind or "organization", stated.start, stated.end, name, False))
    return added


def _types_agreed(
    linked: list[FoundMention], found: list[FoundMention], extra: dict[int, list[str]], names: set[str]
) -> list[FoundMention]:
    """A name found under several names, or given a role, takes the type most readings give it ("Northnet" read
    as an organisation four times outweighs one reading of its other name as a person; a name given a role is
    a person's); the catalog's type stays."""
    votes: dict[str, Counter[str]] = {}
    for i, (was, now) in enumerate(zip(found, linked, strict=True)):
        votes.setdefault(now.name, Counter())[was.type] += 1
        votes[now.name].update(extra.get(i, []))
    return [
        replace(m, type=votes[m.name].most_common(1)[0][0]) if m.name in names and not m.from_catalog else m
        for m in linked
    ]
