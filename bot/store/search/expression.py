"""The query language of sentence search: what the user asked about (`Group`), the expressions written from it
(quoted phrases joined by AND / OR, FTS5's syntax, so nothing a user types becomes an operator on either backend),
and their tree (`parse`, `Node`), which the search evaluates and checks sentences against."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Set
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.store.words import STOPWORDS, stems, words


@dataclass(frozen=True)
class Group:
    """One thing the user asked about, with every word or phrase that counts as finding it."""

    label: str
    alternatives: tuple[str, ...]
    wants: tuple[str, ...] = ()
    period: tuple[str, ...] = ()
    # Words of the articles close in meaning to the user's ("unveiled" for "released"): searched for, and they
    # count as half a match in a sentence, but never say what a figure measures.
    related: tuple[str, ...] = ()

    @cached_property
    def stem_sets(self) -> list[frozenset[str]]:
        return [frozenset(stems(a)) for a in self.alternatives if stems(a)]

    @cached_property
    def related_stems(self) -> frozenset[str]:
        return frozenset(s for a in self.related for s in stems(a))

    def matched_by(self, sentence_stems: Set[str]) -> bool:
        return any(s <= sentence_stems for s in self.stem_sets)

    def coverage(self, sentence_stems: Set[str]) -> float:
        """1 for the user's own words, 0.5 for a related word of the articles, else 0."""
        if self.matched_by(sentence_stems):
            return 1.0
        return 0.5 if self.related_stems & sentence_stems else 0.0


# -- expressions: quoted phrases joined by AND / OR, with parentheses ----------------------------------------


def _phrase(alternative: str) -> str | None:
    """A quoted phrase of the words alone; nothing a user types can become search syntax."""
    tokens = words(alternative)
    if not tokens:
        return None
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def folded(text_: str) -> str:
    """Text without diacritics, as the index tokenizes it (`remove_diacritics`): "Société" reads "Societe"."""
    return text_ if text_.isascii() else _COMBINING.sub("", unicodedata.normalize("NFKD", text_))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def essential_alternatives(alternatives: Iterable[str]) -> list[str]:
    """The alternatives an OR needs: one per stem sequence, and none that contains another's stems in order.

    A sentence with "Alibaba Group Holding" has "Alibaba" too, so ORing both finds the same sentences; the longer
    phrase only costs the index its position lists (most of a broad search's time). "quarters" and "quarter"
    stem alike and are searched once.
    """
    by_stems: dict[tuple[str, ...], str] = {}
    for alternative in sorted(alternatives, key=lambda a: (len(words(a)), a)):
        key = tuple(stems(alternative))
        if key and key not in by_stems and not any(_contains(key, kept) for kept in by_stems):
            by_stems[key] = alternative
    return sorted(by_stems.values())


def group_expression(group: Group) -> str | None:
    phrases = sorted({p for a in essential_alternatives((*group.alternatives, *group.related)) if (p := _phrase(a))})
    if not phrases:
        return None
    return "(" + " OR ".join(phrases) + ")"


def match_expression(groups: list[Group], mode: str = "AND") -> str | None:
    parts = [e for g in groups if (e := group_expression(g))]
    if not parts:
        return None
    return f" {mode} ".join(parts)


def alias_group(names: list[str]) -> Group:
    return Group("name", tuple(dict.fromkeys(names)))


_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"|(AND)\b|(OR)\b|(\()|(\)))')


class ExpressionError(ValueError):
    """An expression that `match_expression` could not have written."""


@dataclass(frozen=True)
class Node:
    op: str  # "phrase", "AND", "OR"
    phrase: str = ""
    parts: tuple[Node, ...] = ()

    def phrases(self) -> list[str]:
        return [self.phrase] if self.op == "phrase" else [p for part in self.parts for p in part.phrases()]

    @cached_property
    def _needle(self) -> str:
        return " " + " ".join(stems(folded(self.phrase))) + " "

    def matches(self, sentence: str) -> bool:
        """Whether a sentence matches, given as `stem_line(text)`: a phrase's stems must stand together, in order."""
        if self.op == "phrase":
            return self._needle.strip() != "" and self._needle in sentence
        found = (part.matches(sentence) for part in self.parts)
        return any(found) if self.op == "OR" else all(found)


def key_words(phrase: str) -> list[str]:
    """The words of a phrase that a sentence must have to hold it (stop words only when it has nothing else)."""
    tokens = [t.lower() for t in words(phrase)]
    return list(dict.fromkeys([t for t in tokens if t not in STOPWORDS] or tokens))


@lru_cache(maxsize=8192)
def stem_line(text_: str) -> str:
    """A sentence's stems in order, space-separated and space-bounded, for `Node.matches`."""
    return " " + " ".join(stems(folded(text_))) + " "


def parse(expression: str) -> Node:
    """The tree of an expression: phrases, AND binding tighter than OR (as in FTS5), parentheses."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    stripped = expression.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if m is None:
            raise ExpressionError(f"not a search expression at {pos}")
        phrase, and_, or_, open_, _close = m.groups()
        tokens.append(
            ("phrase", phrase.replace('""', '"'))
            if phrase is not None
            else ("AND", "")
            if and_
            else ("OR", "")
            if or_
            else ("(", "")
            if open_
            else (")", "")
        )
        pos = m.end()
    node, rest = _or(tokens)
    if rest:
        raise ExpressionError("unbalanced search expression")
    return node


def _or(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    parts = []
    node, tokens = _and(tokens)
    parts.append(node)
    while tokens and tokens[0][0] == "OR":
        node, tokens = _and(tokens[1:])
        parts.append(node)
    return (parts[0] if len(parts) == 1 else Node("OR", parts=tuple(parts))), tokens


def _and(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    parts = []
    node, tokens = _atom(tokens)
    parts.append(node)
    while tokens and tokens[0][0] == "AND":
        node, tokens = _atom(tokens[1:])
        parts.append(node)
    return (parts[0] if len(parts) == 1 else Node("AND", parts=tuple(parts))), tokens


def _atom(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    if not tokens:
        raise ExpressionError("search expression ends early")
    kind, value = tokens[0]
    if kind == "phrase":
        return Node("phrase", phrase=value), tokens[1:]
    if kind == "(":
        node, rest = _or(tokens[1:])
        if not rest or rest[0][0] != ")":
            raise ExpressionError("unbalanced search expression")
        return node, rest[1:]
    raise ExpressionError(f"unexpected {kind} in search expression")


def quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'
