"""Finding figures in a sentence: money, percentages and counts, with unit, qualifier, period and subject."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from bot.reading.dates import MONTHS, mentioned_dates
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


def _period(text: str, start: int, end: int, rules: Rules, stop: int) -> str | None:
    """The nearest period phrase after the amount (within its clause, before the next amount), else before it."""
    after = text[end : min(end + 120, stop)]
    best: tuple[int, str] | None = None
    for pattern in rules.periods:
        m = pattern.search(after)
        if m and not re.search(r"[;!?]|\.(?!\d)", after[: m.start()]) and (best is None or m.start() < best[0]):
            best = (m.start(), m.group(0))
    if best:
        return best[1]
    before = text[max(0, start - 120) : start]
    best_before: tuple[int, str] | None = None
    for pattern in rules.periods:
        for m in pattern.finditer(before):
            if best_before is None or m.end() > best_before[0]:
                best_before = (m.end(), m.group(0))
    return best_before[1] if best_before else None


def _is_conversion(between: str) -> bool:
    return bool(
        re.fullmatch(r"\s*\(\s*(?:approximately|approx\.?|about|around|roughly|some|or|~|equivalent to)?\s*",
                     between, re.I)
        or re.fullmatch(r"\s*,?\s*or\s+(?:about\s+|roughly\s+|around\s+|approximately\s+)?", between, re.I)
    )


def extract_figures(
    sent: Span, mentions: list[MentionSpan], rules: Rules, *, default_date: date | None = None
) -> list[FoundFigure]:
    """Every money amount, percentage and count in `sent`.

    >>> # "Alibaba pledged over 380 billion yuan ($53 billion) over three years"
    >>> # -> 380e9 CNY "over", period "over three years"; 53e9 USD converting it.
    """
    doc = sent.doc
    text = sent.text
    base = sent.start_char
    pats = _patterns(rules)
    found: list[FoundFigure] = []
    matches = list(pats.amount.finditer(text))
    for index, m in enumerate(matches):
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
                period=_period(text, start, end, rules, _window_end(text, matches, index)),
                start=abs_start,
                end=abs_end,
            )
        )
    _link(found, text, base, mentions)
    _date(found, text, base, default_date)
    _ranges(found, text, base)
    return found


def _window_end(text: str, matches: list[re.Match[str]], index: int) -> int:
    """Where this amount's clause gives way to the next amount (a bracketed conversion does not count)."""
    following = matches[index + 1 :]
    if following and _is_conversion(text[matches[index].end() : following[0].start()]):
        close = text.find(")", following[0].end())
        following = following[1:]
        if close != -1 and (not following or close < following[0].start()):
            return following[0].start() if following else len(text)
    return following[0].start() if following else len(text)


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


def _link(found: list[FoundFigure], text: str, base: int, mentions: list[MentionSpan]) -> None:
    """Conversions in brackets belong to the amount before them; each figure gets the entity it is about."""
    for i, fig in enumerate(found):
        if i and fig.kind == "money" and found[i - 1].kind == "money" and fig.unit != found[i - 1].unit:
            between = text[found[i - 1].end - base : fig.start - base]
            if _is_conversion(between):
                fig.conversion_of = i - 1
                fig.period = fig.period or found[i - 1].period
        if fig.conversion_of is not None:
            fig.mention = found[fig.conversion_of].mention
            continue
        candidates = [(k, m) for k, m in enumerate(mentions) if not m.is_place]
        # The name said before an amount is what it is about; a name after it is usually a comparison.
        before = [(fig.start - m.end, k) for k, m in candidates if m.end <= fig.start]
        if before:
            fig.mention = min(before)[1]


def _date(found: list[FoundFigure], text: str, base: int, default: date | None) -> None:
    """A date the sentence gives ("by the end of January") dates its figures; without one, `as_of` stays empty
    and the article's date stands for it."""
    year = default.year if default else None
    dates = [(base + offset, d) for offset, d in mentioned_dates(text, year, months_only=True)]
    if default:
        dates = [(o, d) for o, d in dates if d <= default]
    for fig in found:
        if dates:
            fig.as_of = min(dates, key=lambda od: abs(od[0] - fig.start))[1]


def _ranges(found: list[FoundFigure], text: str, base: int) -> None:
    """"from 1 million to 100 million tokens": the first end of a range counts what the second counts."""
    for a, b in itertools.pairwise(found):
        if a.kind == b.kind == "count" and a.unit is None and b.unit:
            between = text[a.end - base : b.start - base]
            if re.fullmatch(r"\s*(?:to|-|–|and|or)\s*", between):
                a.unit = b.unit
