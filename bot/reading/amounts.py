"""Recognising amounts in a sentence: money, percentages and counts, each with its value, unit, qualifier and
character span. The amounts as written are read by `bot.reading.amount_grammar`; here a count is kept only when
it counts something. What an amount measures, whose it is and when (subject, metric, period, status) is decided
in `bot.reading.figures`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from bot.reading.amount_grammar import Amount, parse
from bot.reading.amount_lists import carry, carry_currency, joiner
from bot.reading.dates import MONTHS
from bot.reading.nlp import lemma
from bot.reading.number_words import FRACTIONS, small_number
from bot.rules import AmountRules, Rules


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


# ---------------------------------------------------------------------------------------------- counts


def _token_at(doc: Doc, char: int) -> Token | None:
    for token in doc[max(0, _first_token(doc, char) - 1) :]:
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
    if (
        last.dep_ in ("nummod", "quantmod", "compound", "nmod", "amod")
        and head.i > last.i
        and head.pos_
        in (
            "NOUN",
            "PROPN",
        )
    ):
        tokens = [
            t
            for t in doc[last.i + 1 : head.i + 1]
            if (not t.is_punct or (t.text == "-" and not t.whitespace_ and not doc[t.i - 1].whitespace_))
            and t.pos_ not in ("DET", "ADV", "NUM")
        ]
        if tokens and tokens[-1] == head and head.i < sent.end:
            return tokens
    return []


_WHICH_COUNT = frozenset(
    {"cumulative", "total", "active", "paying", "registered", "new", "unique", "daily", "weekly", "monthly"}
)


def _subject_tokens(last: Token) -> list[Token]:
    """For a bare number that is the object of a verb, or what a verb takes it to, the verb's subject:
    "derivatives ... surpassed 90,000", "rides rose to 3.4 million"."""
    token = last
    while token.dep_ in ("compound", "nummod", "quantmod") and token.head != token:
        token = token.head
    moved = (
        token.dep_ == "pobj" and token.head.lower_ in ("to", "past", "above", "beyond") and token.head.dep_ == "prep"
    )
    if token.dep_ not in ("dobj", "attr", "npadvmod") and not moved:
        return []
    verb = token.head.head if moved else token.head  # "rides rose to 3.4 million": the riders' count
    if moved and (verb.pos_ != "VERB" or any(c.dep_ == "prep" and c.lower_ == "from" for c in verb.children)):
        return []  # "climbed from 4 million sign-ups to 7 million": the range's first end says what it counts
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN"):
            # "cumulative deliveries passed 8 million": a word that says which count it is stays with the noun
            compounds = [c for c in child.lefts if c.dep_ == "compound" or c.lower_ in _WHICH_COUNT]
            return [*compounds, child]
    return []


def _counted_noun(sent: Span, amt: Amount, base: int) -> list[Token]:
    """The noun an amount without currency or percent counts, read from the parse."""
    doc = sent.doc
    last = _token_at(doc, base + amt.end - 1)
    if last is None or last.i >= sent.end:
        return []
    tokens = _unit_tokens(doc, last, sent)
    if not tokens:
        first = _token_at(doc, base + amt.start)
        if first is not None and first.i < last.i:
            tokens = _unit_tokens(doc, first, sent)
            tokens = [t for t in tokens if t.i > last.i]
    if tokens and (tokens[0].i != last.i + 1 or any(t.pos_ == "CCONJ" for t in tokens)):
        tokens = []  # "2 and 3 billion yuan": the noun belongs to a later amount
    if not tokens and last.i + 1 < sent.end:
        nxt = doc[last.i + 1]
        if nxt.tag_ in ("NNS", "NNPS") and nxt.idx == base + amt.end + 1:
            tokens = [nxt]  # "8 B people", where the parse hangs the noun elsewhere
    return tokens


def _names_a_thing(tokens: list[Token], ar: AmountRules) -> bool:
    """A counted noun, not a place, era or product name: "12 Main Street", "1000 BC", "iPhone 11 Pro"."""
    head = tokens[-1]
    if any(t.lower_ in ar.not_counted for t in tokens) or lemma(head) in ar.not_counted:
        return False  # also a model's word before the noun: "737 MAX jets"
    return not (head.pos_ == "PROPN" and head.text[:1].isupper() and not head.text.endswith("s"))


def _is_year(amt: Amount) -> bool:
    return bool(re.fullmatch(r"\d{4}", amt.digits)) and 1000 <= amt.mantissa <= 2100 and not amt.scaled


_DETERMINERS = frozenset({"a", "an", "the", "its", "their", "his", "her", "our", "your", "my", "this", "that", "whose"})


def _not_a_count(amt: Amount, text: str, rules: Rules) -> bool:
    """Bare numbers that identify rather than count: years, days of a month, references, names' numbers."""
    ar = rules.amounts
    preceding = text[: amt.start].rstrip()
    prev_word = preceding.rsplit(None, 1)[-1] if preceding else ""
    following = text[amt.end :].lstrip()
    next_word = following.split(None, 1)[0].rstrip(".,;:") if following else ""
    prev = prev_word.lower().rstrip(",")
    if amt.bare and (prev.rstrip(".") in MONTHS or next_word.lower() in MONTHS):
        return True  # "May 10", "1 May"
    if amt.bare and (prev in ar.reference_words or prev.rstrip(".") in ar.reference_words):
        return True  # "No. 5", "case 1234"
    if _is_year(amt) and (prev in ar.year_words or not amt.noun_own):
        return True
    if _is_year(amt) and (prev in _DETERMINERS or prev.endswith(("'s", "’s"))) and not next_word.lower().endswith("s"):
        return True  # "its 2025 budget", "Meta's 2025 forecast": a year naming a singular thing, not a count of it
    return bool(
        amt.bare
        and prev_word
        and any(c.isupper() for c in prev_word)
        and prev not in rules.qualifiers
        and not preceding.endswith((".", ":", ";", ","))
        and len(preceding) > len(prev_word)
    )  # a number after a name: "Qwen 3", "S&P 500", "iPhone 11"


# ---------------------------------------------------------------------------------------------- entry points


@lru_cache(maxsize=4)
def _qualifier_pattern(rules: Rules) -> re.Pattern[str]:
    quals = "|".join(re.escape(w) for w in sorted(rules.qualifiers, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s(]))(?P<q>{quals})\s*(?:(?:a|an|the)\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)


def _qualifier(text: str, start: int, rules: Rules) -> str | None:
    """The hedge before an amount starting at `start` ("over", "nearly"), as the qualifier it stands for."""
    q = _qualifier_pattern(rules).search(text[max(0, start - 40) : start])
    return rules.qualifiers.get(q.group("q").lower()) if q else None


@dataclass
class SentenceAmounts:
    """The amounts of one sentence, parsed once: those that are figures, and where every amount stands."""

    figures: list[FoundFigure]
    spans: list[tuple[int, int]]  # every amount as written, figure or not (a year, a reference), in sentence offsets


def recognise(sent: Span, mentions: list[MentionSpan], rules: Rules, text: str | None = None) -> list[FoundFigure]:
    """Every money amount, percentage and count in `sent` (whose text is `text` when the caller has it), in
    reading order; `period` is left empty. "pledged over 380 billion yuan ($53 billion)" gives 380e9 CNY with the
    qualifier "over", then 53e9 USD (tests/test_amounts.py reads such sentences through the pipeline).
    """
    return read_amounts(sent, mentions, rules, text).figures


def read_amounts(sent: Span, mentions: list[MentionSpan], rules: Rules, text: str | None = None) -> SentenceAmounts:
    """The sentence's amounts, parsed once: its figures (see `recognise`) and where every amount stands."""
    text = sent.text if text is None else text
    base = sent.start_char
    ar = rules.amounts
    amounts = parse(text, ar)
    for amt in amounts:
        if not (amt.currency or amt.percent):
            amt.noun = _counted_noun(sent, amt, base)
            amt.noun_own = bool(amt.noun)
            last = _token_at(sent.doc, base + amt.end - 1)
            after = sent.doc[last.i + 1] if last is not None and last.i + 1 < sent.end else None
            amt.subject = last is not None and (
                last.dep_ in ("nsubj", "nsubjpass") or (after is not None and after.pos_ in ("AUX", "VERB"))
            )
    carry(amounts, text, ar)
    carry_currency(amounts, text)
    found: list[FoundFigure] = []
    for amt in amounts:
        abs_start, end = base + amt.start, amt.end
        in_name = any(m.start <= base + amt.start < m.end or m.start <= base + amt.end - 1 < m.end for m in mentions)
        if in_name and not amt.currency:
            continue  # part of a name: "Qwen 2.5 Max", "Llama 2"
        unit: str | None
        if amt.percent:
            kind, unit = "percent", amt.percent
        elif amt.currency:
            kind, unit = "money", amt.currency
        else:
            kind, unit = "count", None
            if not amt.digits and not amt.scaled and not amt.noun_own:
                continue  # a number in words counts only the noun it stands before: "twenty-six people"
            if not amt.digits and amt.start > 0 and text[amt.start].isupper():
                continue  # a capitalised number word inside a sentence is a name's: "the Fifty Shades sequel"
            if _not_a_count(amt, text, rules):
                continue
            if not amt.noun and (re.search(r"\d[-–]$", text[: amt.start]) or re.match(r"[-–]\d", text[amt.end :])):
                continue  # a score or a tally, "won 3-1", "52-48", not a range of something counted
            tokens = amt.noun
            if tokens and not _names_a_thing(tokens, ar):
                continue
            if tokens:
                head = tokens[-1]
                if head.lower_ in rules.time_units or lemma(head) in rules.time_units:
                    continue  # a duration: "3 years"
                unit = _unit_text(tokens)
                if amt.noun_own:
                    end = head.idx + len(head.text) - base
            else:
                last = _token_at(sent.doc, base + amt.end - 1)
                subject = _subject_tokens(last) if last is not None else []
                if subject:
                    unit = _unit_text(subject)
                elif (compared := _compared_count(found, text, base, amt.start)) is not None:
                    unit = compared
                elif not amt.scaled:
                    continue  # a number that counts nothing: a reference, a name, a stray digit
        qualifier = _qualifier(text, amt.start, rules)
        found.append(
            FoundFigure(
                kind=kind,
                value=amt.value,
                unit=unit,
                text=text[amt.start : end].strip(),
                qualifier=qualifier,
                period=None,
                start=abs_start,
                end=base + end,
            )
        )
    _count_ranges(found, text, base, ar)
    _points_after_points(found)
    found += _fractions_of(text, base, [(a.start, a.end) for a in amounts], rules)
    found.sort(key=lambda f: f.start)
    return SentenceAmounts(found, [(a.start, a.end) for a in amounts])


# "640,000 users, up from about 410,000", "9,000 robots, with room for more than 12,000": a bare number
# set beside a count, as a comparison or as a hedged target, counts the same
_SET_BESIDE = re.compile(
    r"\b(?:from|than|against|versus|compared\s+(?:with|to))\s+"
    r"(?:(?:about|around|roughly|some|nearly|almost|approximately|just)\s+)?$",
    re.I,
)


def _compared_count(found: list[FoundFigure], text: str, base: int, start: int) -> str | None:
    """What the count before a bare number counts, when a comparison word sets the number beside it."""
    last = found[-1] if found else None
    if last is None or last.kind != "count" or not last.unit or not _SET_BESIDE.search(text, 0, start):
        return None
    return last.unit if last.end - base <= start else None


_FRACTION_OF = re.compile(
    r"(?<![\w-])(?P<frac>(?:a|one|two|three)[\s-]+(?:half|third|thirds|quarter|quarters)|half)\s+of\s+"
    r"(?=(?:its|their|the|his|her|our|all|[A-Z][\w&.-]*['’]s?)\b)"
    # "roughly half went to data centres": a share of the amount just named, where it went or came from
    r"|(?<![\w-])(?P<part>(?:a|one|two|three)[\s-]+(?:half|third|thirds|quarter|quarters)|half)\s+"
    r"(?=(?:went|goes|go|came|comes|come)\s+(?:to|from|into|on)\b)",
    re.I,
)
# "the first half of the year", "the top half of its band", "the Danish half of the venture": a part named with a
# determiner, not a share
_NOT_A_FRACTION = re.compile(
    r"\b(?:the|this|that|its|their|our|his|her|first|second|third|fourth|last|latter|former|next|upper|lower)"
    r"\s+(?:[\w-]+\s+)?$",
    re.I,
)


def _fractions_of(text: str, base: int, taken: list[tuple[int, int]], rules: Rules) -> list[FoundFigure]:
    """ "lost a third of their value", "two-thirds of the company's staff": a share of what follows, in percent.
    Not "the first half of the year" (a period) nor "a quarter of a trillion" (an amount)."""
    out = []
    for m in _FRACTION_OF.finditer(text):
        group = "frac" if m.group("frac") else "part"
        *count, part = re.split(r"[\s-]+", m.group(group).lower())
        times = small_number(count[0]) if count else 1
        if times is None or _NOT_A_FRACTION.search(text, 0, m.start()):
            continue
        value = 100 * times * FRACTIONS[part]
        if any(s < m.end(group) and m.start() < e for s, e in taken):
            continue
        start, end = base + m.start(group), base + m.end(group)
        out.append(
            FoundFigure("percent", value, "%", m.group(group), _qualifier(text, m.start(), rules), None, start, end)
        )
    return out


def _points_after_points(found: list[FoundFigure]) -> None:
    """ "9 percentage points of the gain, against 7 points a quarter before": bare points after
    percentage points in the sentence are percentage points too."""
    for i, f in enumerate(found):
        points = f.kind == "count" and (f.unit or "").lower() in ("points", "point")
        if points and any(g.kind == "percent" and g.unit == "pp" for g in found[:i]):
            f.kind, f.unit = "percent", "pp"


def _count_ranges(found: list[FoundFigure], text: str, base: int, ar: AmountRules) -> None:
    """ "from 1 million to 100 million tokens": the first end of a range counts what the second counts, also when
    the second's noun was read from the verb's subject."""
    for a, b in itertools.pairwise(found):
        if a.kind == b.kind == "count" and a.unit is None and b.unit and joiner(text, a.end - base, b.start - base, ar):
            a.unit = b.unit


def _unit_text(tokens: list[Token]) -> str:
    """The counted noun as written, lower-cased except for names: "AI startups", "derived models"."""
    keep_case = [t.pos_ == "PROPN" or t.text.isupper() or any(c.isupper() for c in t.text[1:]) for t in tokens]
    return "".join(
        (t.text if keep else t.text.lower()) + t.whitespace_ for t, keep in zip(tokens, keep_case, strict=True)
    ).strip()
