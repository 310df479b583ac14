"""Names an article states for one another, and one person's name written in another order.

An article says in so many words that two names are one: "Zhang Wei, known in English as David Zhang", "Acme,
whose English name is Apex", "Ma Lin (马林)" (a name followed by the same name in its own script), "Orbit, also
called Halo", "Halo, a.k.a. Orbit", "Orbit (formerly Halo)", "Orbit, formerly known as Halo". Only these stated
links are learned: a name beside a role ("the chief executive, Zhang Wei") is never taken for an alias.

A person's name written with the family name first or last, with or without the hyphen or space inside the given
name, is the same person: "Lin Junyang" = "Junyang Lin", "Park Ji-hoon" = "Ji-hoon Park". A single word ("Li") is
never matched this way: two people share a family name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


# A name as written: capitalised words (or words with digits: "Orbit 2"), with inner dots, hyphens and apostrophes.
_WORD = r"(?:[A-Z0-9][\w'’.&\-]*[\w’']|[A-Z])"
_NAME = rf"(?P<alias>{_WORD}(?:[ \t]+{_WORD}){{0,4}})"
_SAYS_ALIAS = (
    r"(?:(?:who\s+is\s+|which\s+is\s+)?(?:also\s+|better\s+|more\s+commonly\s+)?(?:known|called|named)"
    r"(?:\s+(?:in\s+English|in\s+the\s+West|internationally|abroad|outside\s+\w+))?(?:\s+as)?"
    r"|whose\s+English\s+name\s+is|(?:also\s+)?(?:a\.\s?k\.\s?a\.?|aka)"
    r"|(?:formerly|previously|once)(?:\s+(?:known\s+as|called|named))?)"
)
_AFTER_COMMA = re.compile(rf"\s*,\s*{_SAYS_ALIAS}\s+(?:the\s+)?{_NAME}")
_IN_BRACKETS = re.compile(rf"\s*[(（]\s*{_SAYS_ALIAS}\s+(?:the\s+)?{_NAME}\s*[)）]")
_NATIVE = re.compile(r"\s*[(（]\s*(?P<alias>[^()（）\[\]\n]{1,40}?)\s*[)）]")
# What ends a name an alias pattern reads: the company's own suffix words stay, a trailing dot of "Inc." too.
_TRAILING = re.compile(r"[.,;:’']+$")


@dataclass(frozen=True)
class StatedAlias:
    """`alias` is another name of the thing named at `start`..`end` (the name the article gives first)."""

    start: int
    end: int
    alias: str
    alias_start: int = -1  # where the alias is written


def native_script(text: str) -> bool:
    """A name in a script other than Latin (Han, kana, Hangul, Cyrillic, Greek, Arabic, ...), with no Latin
    letters or digits: "马化腾", "박지훈", "Ирина Соколова"."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or any(ch.isascii() and ch.isalnum() for ch in text):
        return False
    return all("LATIN" not in unicodedata.name(ch, "LATIN") for ch in letters)


def stated_aliases(text: str, spans: list[tuple[int, int]]) -> list[StatedAlias]:
    """The aliases the text states right after each name at `spans` (character offsets in `text`)."""
    found: list[StatedAlias] = []
    for start, end in spans:
        for pattern in (_AFTER_COMMA, _IN_BRACKETS):
            m = pattern.match(text, end)
            if m:
                alias = _TRAILING.sub("", m.group("alias")).strip()
                if alias and alias_key(alias) != alias_key(text[start:end]) and alias.lower() not in _NOT_NAMES:
                    found.append(StatedAlias(start, end, alias, m.start("alias")))
                break
        else:
            m = _NATIVE.match(text, end)
            if m and native_script(m.group("alias")):
                found.append(StatedAlias(start, end, m.group("alias").strip(), m.start("alias")))
    return found


_RUN = re.compile(rf"{_WORD}(?:[ \t]+{_WORD}){{0,4}}(?=\s*[,(（])")
# Words that open a sentence or a phrase and are no part of the name after them.
_OPENERS = {
    "the",
    "its",
    "his",
    "her",
    "their",
    "our",
    "a",
    "an",
    "in",
    "on",
    "at",
    "for",
    "and",
    "but",
    "this",
    "that",
    "by",
    "from",
    "with",
    "as",
    "of",
    "to",
    "after",
    "before",
    "while",
    "when",
    "then",
    "now",
}
_TIMES = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}


def unanchored_aliases(text: str, taken: list[tuple[int, int]]) -> list[StatedAlias]:
    """Stated aliases after a capitalised name the parser did not read as a name ("its app, Tidewater
    (潮汐助手)"): the name is the capitalised words just before the alias, less the words that open a phrase."""
    spans = []
    for m in _RUN.finditer(text):
        start, words = m.start(), m.group(0).split()
        while words and words[0].lower() in _OPENERS:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        name = " ".join(words)
        if (
            not words
            or name.lower() in _TIMES
            or any(
                s <= start < e or s < m.end() <= e
                for s, e in taken
                if (s, e) != (start, m.end()) and not start <= s < e <= m.end()
            )
        ):
            continue
        spans.append((start, m.end()))
    return [a for a in stated_aliases(text, spans) if (a.start, a.end) not in set(taken)]


_ROLE_AFTER = (
    r"\s*(?:[(（][^()（）]{{0,40}}[)）]\s*)?,\s*(?:the\s+|its\s+|[\w-]+['’]s\s+)?(?:[\w-]+\s+){{0,2}}?"
    r"(?:{roles})\b"
)
_ROLE_BEFORE = r"\b(?:{roles})\s*,?\s*$"


def role_patterns(roles: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A name in apposition to a role: "Zhang Wei, chief executive of Orbit", "Orbit's chief executive, Zhang Wei"
    (the role words of `questions.yml`, less those that also describe companies)."""
    words = sorted((re.escape(r) for r in roles if r.lower() not in ("partner", "leader")), key=len, reverse=True)
    alt = "|".join(words) or "(?!)"
    return (re.compile(_ROLE_AFTER.format(roles=alt), re.I), re.compile(_ROLE_BEFORE.format(roles=alt), re.I))


def in_role(text: str, start: int, end: int, patterns: tuple[re.Pattern[str], re.Pattern[str]]) -> bool:
    """The name at `start`..`end` is given a role right beside it: it names a person."""
    after, before = patterns
    return bool(after.match(text, end) or before.search(text[max(0, start - 60) : start]))


_NOT_NAMES = {"it", "he", "she", "they", "this", "that", "a", "an", "the"}


def name_forms(name: str) -> frozenset[str]:
    """A person's name in every order its parts may be written in, spaces and hyphens left out: "Park Ji-hoon"
    and "Ji-hoon Park" share "parkjihoon". Empty for a single word or a long name."""
    parts = [alias_key(p).replace(" ", "") for p in name.split()]
    parts = [p for p in parts if p]
    if not 2 <= len(parts) <= 3 or any(len(p) < 2 for p in (parts[0], parts[-1])):
        return frozenset()
    forms = {"".join(parts), "".join(parts[1:] + parts[:1]), "".join(parts[-1:] + parts[:-1])}
    return frozenset(f for f in forms if len(f) >= 6)


def same_person(a: str, b: str) -> bool:
    """Two written names of one person: the same parts in another order, or the given name split otherwise."""
    return bool(name_forms(a) & name_forms(b))
