"""Recognising amounts in a sentence: money, percentages and counts, each with its value, unit, qualifier and
character span. What an amount measures, whose it is and when (subject, metric, period, status) is decided in
`bot.reading.figures`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from bot.reading.dates import MONTHS
from bot.reading.rules import Rules

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_LONG_SCALES = ("thousand", "million", "billion", "trillion", "bn", "mn", "mln", "tn")


@dataclass
class FoundFigure:
    kind: str  # money, percent, count
    value: float
    unit: str | None
    text: str
    qualifier: str | None
    period: str | None
    start: int  # offsets in the document text
    end: int
    conversion_of: int | None = None  # index of the figure this one converts
    mention: int | None = None  # index into the sentence's mentions of the entity it is about
    as_of: date | None = None


@dataclass(frozen=True)
class MentionSpan:
    start: int
    end: int
    key: str
    is_place: bool = False


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    amount: re.Pattern[str]
    qualifier: re.Pattern[str]


@lru_cache(maxsize=4)
def _patterns(rules: Rules) -> _Patterns:
    prefix = _alternation(list(rules.currency_prefix))
    suffix = _alternation(list(rules.currency_suffix))
    long_scales = _alternation([s for s in rules.scales if len(s) > 1])
    words = _alternation(list(rules.number_words))
    pct = _alternation([*rules.point_marks, *rules.percent_marks])
    amount = re.compile(
        rf"""(?<![\w.\-/:$¥€£])
        (?:(?P<pre>{prefix})\s?)?
        (?:(?P<num>{_NUM})|(?P<word>\b(?:{words}))(?=\s+(?:{long_scales})\b))
        (?:(?P<att>bn|mn|tn|[kmb])(?![\w])|\s?-?(?P<scale>{long_scales})\b)?
        (?:\s?(?P<post>{suffix})(?![\w]))?
        (?:\s?(?P<pct>{pct})(?![\w]))?
        (?![\w%]|[:/]\d|\.\d)""",
        re.VERBOSE | re.IGNORECASE,
    )
    quals = _alternation(list(rules.qualifiers))
    qualifier = re.compile(rf"(?:^|(?<=[\s(]))(?P<q>{quals})\s*(?:(?:a|an|the)\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
    return _Patterns(amount=amount, qualifier=qualifier)


def _token_at(doc: Doc, char: int) -> Token | None:
    for token in doc[max(0, _first_token(doc, char) - 1):]:
        if token.idx <= char < token.idx + len(token.text):
            return token
        if token.idx > char:
            return token
    return None


def _first_token(doc: Doc, char: int) -> int:
    lo, hi = 0, len(doc)
    while lo < hi:
        mid = (lo + hi) // 2
        if doc[mid].idx < char:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _unit_tokens(doc: Doc, last: Token, sent: Span) -> list[Token]:
    """The counted noun: the number's head noun and its modifiers that follow the number.

    "400 million downloads" -> downloads; "140,000 derived models" -> derived models.
    """
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "compound", "nmod", "amod") and head.i > last.i and head.pos_ in (
        "NOUN",
        "PROPN",
    ):
        tokens = [t for t in doc[last.i + 1 : head.i + 1] if not t.is_punct and t.pos_ not in ("DET", "ADV", "NUM")]
        if tokens and tokens[-1] == head and head.i < sent.end:
            return tokens
    return []


def _subject_tokens(last: Token) -> list[Token]:
    """For a bare number that is the object of a verb, the verb's subject: "derivatives ... surpassed 90,000"."""
    token = last
    while token.dep_ in ("compound", "nummod", "quantmod") and token.head != token:
        token = token.head
    if token.dep_ not in ("dobj", "attr", "npadvmod"):
        return []
    verb = token.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN"):
            compounds = [c for c in child.lefts if c.dep_ == "compound"]
            return [*compounds, child]
    return []


def recognise(sent: Span, mentions: list[MentionSpan], rules: Rules) -> list[FoundFigure]:
    """Every money amount, percentage and count in `sent`, in reading order; `period` is left empty.

    >>> # "Alibaba pledged over 380 billion yuan ($53 billion)" -> 380e9 CNY "over", 53e9 USD.
    """
    doc = sent.doc
    text = sent.text
    base = sent.start_char
    pats = _patterns(rules)
    found: list[FoundFigure] = []
    matches = list(pats.amount.finditer(text))
    for m in matches:
        pre, post, pct = m.group("pre"), m.group("post"), m.group("pct")
        scale_word = (m.group("att") or m.group("scale") or "").lower()
        num_text = m.group("num")
        if num_text is None:
            if not scale_word:
                continue
            number = float(rules.number_words[m.group("word").lower()])
        else:
            number = float(num_text.replace(",", ""))
        if pre and post:  # "RMB 5 billion yuan": one currency said twice
            post = None
        currency = rules.currency_prefix.get(pre or "") or _suffix_currency(post, rules)
        start, end = m.start(), m.end()
        abs_start, abs_end = base + start, base + end
        bare = not (currency or pct or scale_word)
        if bare and num_text and "," not in num_text and "." not in num_text and 1900 <= number <= 2100:
            continue  # a year
        preceding = text[:start].rstrip()
        prev_word = preceding.rsplit(None, 1)[-1] if preceding else ""
        if bare and prev_word.lower().rstrip(".,") in MONTHS:
            continue  # "May 10"
        if any(mention.start <= abs_start < mention.end for mention in mentions):
            continue  # part of a name: "Qwen 2.5 Max", "Llama 2"
        if (
            bare
            and prev_word[:1].isupper()
            and preceding
            and prev_word.lower() not in rules.qualifiers
            and not preceding.endswith((".", ":", ";"))
            and len(preceding) > len(prev_word)
        ):
            continue  # a version after a name: "Qwen 3", "GPT 4"
        value = number * rules.scales.get(scale_word, 1.0)
        if pct:
            kind = "percent"
            unit: str | None = "pp" if pct.lower().startswith(("percentage point", "point")) else "%"
        elif currency:
            kind, unit = "money", currency
        else:
            kind, unit = "count", None
        last = _token_at(doc, abs_end - 1)
        if kind == "count" and last is not None:
            tokens = _unit_tokens(doc, last, sent)
            if tokens:
                if tokens[-1].lower_ in rules.time_units or tokens[-1].lemma_.lower() in rules.time_units:
                    continue  # a duration: "3 years"
                unit = _unit_text(tokens)
                end = tokens[-1].idx + len(tokens[-1].text) - base
                abs_end = base + end
            else:
                subject = _subject_tokens(last)
                if subject:
                    unit = _unit_text(subject)
                elif value < 100 and bare:
                    continue  # a stray small number with nothing counted
        q = pats.qualifier.search(text[max(0, start - 40) : start])
        qualifier = rules.qualifiers.get(q.group("q").lower()) if q else None
        found.append(
            FoundFigure(
                kind=kind,
                value=value,
                unit=unit,
                text=text[start:end].strip(),
                qualifier=qualifier,
                period=None,
                start=abs_start,
                end=abs_end,
            )
        )
    return found


def amount_matches(sent: Span, rules: Rules) -> list[re.Match[str]]:
    """Where amounts stand in the sentence text, for callers that bound a clause by the next amount."""
    return list(_patterns(rules).amount.finditer(sent.text))


def _suffix_currency(post: str | None, rules: Rules) -> str | None:
    if not post:
        return None
    for key, code in rules.currency_suffix.items():
        if key.lower() == post.lower():
            return code
    return None


def _unit_text(tokens: list[Token]) -> str:
    """The counted noun as written, lower-cased except for names: "AI startups", "derived models"."""
    keep_case = [t.pos_ == "PROPN" or t.text.isupper() or any(c.isupper() for c in t.text[1:]) for t in tokens]
    return "".join((t.text if keep else t.text.lower()) + t.whitespace_
                   for t, keep in zip(tokens, keep_case, strict=True)).strip()
