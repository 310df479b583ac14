"""A metric named as narrowly as the article names it: the vocabulary says a figure is revenue, the parse says
which kind of revenue ("advertising revenue", "subscription revenue").

The words that narrow a metric are the modifiers the parse hangs on the noun that names it (compound nouns and
classifying adjectives to its left); left out are words of the metric's own name, names of companies and products
(those say whose figure it is, not what it measures), dates and numbers, and words that only grade or frame a
figure ("total", "record", "quarterly")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

from bot.reading.dates import MONTHS
from bot.reading.entities import FoundMention
from bot.reading.figure_words import verb_said
from bot.reading.measures import CONSTANT_CURRENCY, LEVEL_METRICS, Vocabulary, with_place
from bot.reading.period_model import Period
from bot.store.words import stem

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Words that frame or grade a figure without changing what it measures.
_FRAMING_WORDS = """
total overall net gross quarterly annual annualised annualized yearly monthly weekly daily full-year half-year
reported consolidated combined headline record strong stronger weak weaker solid robust big bigger large larger huge
small smaller high higher low lower new latest recent same such other further additional extra expected estimated
forecast projected planned actual underlying organic group company year quarter month week half period fiscal
calendar first second third fourth last next previous prior current sequential
"""
_FRAMING = frozenset(stem(w) for w in _FRAMING_WORDS.split())
_NOT_KINDS = {"DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
_NAMED_KINDS = {"ORG", "PERSON", "GPE", "NORP", "PRODUCT", "FAC", "LOC", "WORK_OF_ART", "EVENT"}
# spaCy's verbs and participles that classify ("cloud-based", "ad-supported") are VBN; evaluative adjectives are JJ
# and most are in _FRAMING; nouns used as modifiers are compounds.
_MODIFIER_DEPS = ("compound", "amod", "nmod")


def qualified(
    vocab: Vocabulary,
    metric: str,
    base: str | None,
    figure: Token,
    sent: Span,
    mentions: Sequence[FoundMention],
    *,
    count: bool = False,
) -> str:
    """`metric` narrowed by the modifiers of the noun that names `base` in the figure's clause, leaving out the
    words of the names the sentence mentions (`mentions`), and by the place, the basis and the quarter it is
    measured in or against; a count (`count`) only by its place."""
    if count:
        place = _place_of(figure, mentions)
        return with_place(metric, place)
    if base and base in vocab.names and metric in (base, f"{base} growth"):
        head = _head_noun(vocab, base, figure, sent)
        names = frozenset(w.lower() for m in mentions for w in f"{m.name} {m.text}".split())
        if head is not None:
            words = " ".join(w for w in (_modifiers(vocab, base, head, names), _source(vocab, base, head, names)) if w)
        else:
            words = _mover(vocab, base, figure, names)
        if words:
            metric = metric.replace(base, f"{words} {base}", 1)
    if metric.endswith("growth") and _on_the_quarter_before(figure, sent):
        metric = f"{metric} on the quarter before"
    metric = with_place(metric, "" if base in LEVEL_METRICS else _place_of(figure, mentions))  # not a price
    if _at_constant_currency(figure, sent):
        metric = f"{metric}{CONSTANT_CURRENCY}"
    if base and not metric.startswith(ADJUSTED) and _adjusted(figure, sent):
        metric = f"{ADJUSTED}{metric}"
    return metric


_INVESTED_IN = frozenset({"stake", "stakes", "holding", "holdings", "investment", "investments", "interest", "bet"})


def _place_of(figure: Token, mentions: Sequence[FoundMention]) -> str:
    """The place a figure is confined to ("employs 14,000 people in Brazil", "its sales in Mexico rose 12%"): a
    place the parser names in an "in" phrase of the figure's verb, of the noun the figure counts or of that verb's
    subject; "" when none."""
    verb = figure
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    holders = [verb, figure.head, *(c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))]
    for holder in holders:
        if holder.lower_ in _INVESTED_IN:  # "a stake in X": X is what is invested in, wherever it is
            continue
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "across"):
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj" or obj.ent_type_ != "GPE":
                    continue
                place = next((m for m in mentions if m.type == "place" and m.start <= obj.idx < m.end), None)
                if place is not None:  # a name the article reads as a place, not a word the parser took for one
                    return place.name
    return ""


# Growth over the quarter before, not over the same quarter a year before: "rose 6% from the previous quarter",
# "up 4% sequentially", "quarter-on-quarter growth of 5%", "3% from the June quarter".
_MONTHS = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEQUENTIAL = re.compile(
    r"\b(?:(?:from|over|on|than|versus|compared (?:with|to))\s+(?:in\s+)?the\s+"
    r"(?:previous|prior|preceding|last|first|second|third|fourth|" + _MONTHS + r")\s+(?:three\s+months|quarter)|"
    r"sequential(?:ly)?|quarter[- ](?:on|over)[- ]quarter|q/q|qoq)\b",
    re.I,
)


def _on_the_quarter_before(figure: Token, sent: Span) -> bool:
    """Whether a growth rate is over the quarter before: the phrase follows the figure in its clause, with no other
    number between, or comes right before it ("sequential growth of 6%")."""
    text, base = sent.text, sent.start_char
    at = figure.idx - base
    for m in _SEQUENTIAL.finditer(text):
        if text[m.end() : m.end() + 2] in ("'s", "’s"):  # "up from the prior quarter's 11%": that quarter's
            continue
        between = text[at : m.start()] if m.start() >= at else text[m.end() : at]
        if m.start() >= at:
            parts = between.split(None, 1)  # past the figure itself
            gap = parts[1] if len(parts) > 1 else ""
            if len(gap) <= 60 and not re.search(r"\d|;", gap):
                return True
        elif len(between) <= 20 and not re.search(r"\d|[;,]", between):
            return True
    return False


# Between a figure and the basis it is stated on, only its range partner may stand: "6% to 9% at constant currency".
_RANGE_WORDS = {"%", "percent", "to", "-", "–", "and", "at", "in", "on", "a", "an", "points", "point"}


def _at_constant_currency(figure: Token, sent: Span) -> bool:
    """Whether the figure is stated at constant currency: the basis follows it or its range partner ("rose 8%, or
    11% at constant currency" is only the 11%), opens its clause ("At constant currency, services revenue climbed
    14%"), or modifies the noun it belongs to ("constant-currency growth of 12%")."""
    for t in sent:
        if t.lower_ != "constant" or t.i + 2 >= sent.end:
            continue
        after = sent.doc[t.i + 1 : t.i + 3]
        if not any(w.lower_.startswith("currenc") for w in after):
            continue
        if t.i > figure.i:
            between = sent.doc[figure.i + 1 : t.i]
            if len(between) <= 8 and all(w.lower_ in _RANGE_WORDS or w.like_num for w in between):
                return True
            continue
        between = sent.doc[t.i + 1 : figure.i]
        if any(w.text == ";" or (w.like_num and w.i > t.i + 2) for w in between):
            continue
        opens = t.i - sent.start <= 2 or sent.doc[t.i - 2].text == ";" or sent.doc[t.i - 3].text == ";"
        if opens or (len(between) <= 4 and not any(w.is_punct and w.text not in "-–" for w in between)):
            return True
    return False


ADJUSTED = "adjusted "
# "on an adjusted basis", "by its own adjusted yardstick", "underlying profit": a measure the company sets beside
# the one its accounting standard defines, which is another number
_ADJUSTED_WORDS = frozenset({"adjusted", "non-gaap", "non-ifrs", "underlying"})
_BASIS_NOUNS = frozenset({"basis", "measure", "terms", "term", "figure", "figures", "view"})


def _adjusted(figure: Token, sent: Span) -> bool:
    """Whether the figure's clause, before it, states it on an adjusted basis."""
    start = figure.i
    while start > sent.start and sent.doc[start - 1].text not in (";", ":") and sent.doc[start - 1].dep_ != "cc":
        start -= 1
    for t in sent.doc[start : figure.i]:
        if t.lower_ in _ADJUSTED_WORDS and (t.head.lower_ in _BASIS_NOUNS or t.head.i > t.i >= figure.i - 6):
            return True
    return False


def _phrases(vocab: Vocabulary, base: str) -> list[str]:
    return [p for m in vocab.metrics if m.name == base for p in (*m.any, *m.all)]


def _head_noun(vocab: Vocabulary, base: str, figure: Token, sent: Span) -> Token | None:
    """The noun naming `base` nearest the figure within its clause (its verb's subtree), else in the sentence."""
    from bot.reading.measures import clause_words

    heads = {p.split()[-1] for p in _phrases(vocab, base)}
    node = figure
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        node = node.head
    # a verb of moving money with a "from" phrase says it itself: not a noun of a clause joined to it
    pools = [clause_words(node, figure)] if _from_object(node) is not None else [list(node.subtree), list(sent)]
    for pool in pools:
        nouns = [t for t in pool if t.pos_ in ("NOUN", "PROPN") and stem(t.text) in heads]
        if nouns:
            return min(nouns, key=lambda t: abs(t.i - figure.i))
    return None


def _modifiers(vocab: Vocabulary, base: str, head: Token, names: frozenset[str]) -> str:
    own = {w for p in _phrases(vocab, base) for w in p.split()}
    kept: list[str] = []
    for child in head.lefts:
        if child.dep_ not in _MODIFIER_DEPS:
            continue
        span = head.doc[child.left_edge.i : child.i + 1]
        if any(t.ent_type_ in _NOT_KINDS or t.like_num for t in span):
            continue
        # a name the sentence mentions is whose the money is; a word the tagger took for one in a hyphened
        # modifier ("AI-powered") is a kind
        if any(
            t.lower_ in names or (t.ent_type_ in _NAMED_KINDS and not _hyphened(t)) for t in span if t.pos_ == "PROPN"
        ):
            continue
        content = [t for t in span if t.is_alpha]
        if not content or all(stem(t.text) in _FRAMING or stem(t.text) in own for t in content):
            continue
        if child.tag_ in ("JJR", "JJS", "RBR", "RBS"):  # "more revenue", "the biggest …": a comparison
            continue
        kept.append(" ".join(t.text if t.text.isupper() else t.lower_ for t in span).replace(" - ", "-"))
    return " ".join(kept)


def _hyphened(token: Token) -> bool:
    return token.i + 1 < len(token.doc) and token.nbor().text == "-" and not token.whitespace_


# Nouns that point at a part of a business without naming it: "its largest part, device leasing, brought in …".
_PART_NOUNS = frozenset({"piece", "part", "portion", "line", "segment", "business", "operation", "activity"})


def _mover(vocab: Vocabulary, base: str, figure: Token, names: frozenset[str]) -> str:
    """The part of a business that moves the money when no noun names the metric: "Payment services brought in
    2.6 billion" is payment services revenue (`MoneyFlow`); a name, a company noun or a part noun alone ("the unit",
    "its largest part") narrows nothing, but what it is in apposition to does."""
    from bot.reading.measures import acts
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    verb = figure
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    flow = vocab.flows.get(verb_said(verb))
    if flow is None or base not in (flow.name, *flow.metrics):
        return ""
    mover = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if mover is None or mover.pos_ != "NOUN":
        return _source(vocab, base, verb, names)  # "it booked $3 billion from advertising"
    mover = next((c for c in mover.children if c.dep_ == "appos" and c.pos_ == "NOUN"), mover)
    words = _modifiers(vocab, base, mover, names)
    if not (acts(mover, people=False) or lemma(mover) in _PART_NOUNS or stem(mover.text) in _FRAMING):
        words = f"{words} {mover.lower_}".strip()
    return words


def _from_object(node: Token) -> Token | None:
    prep = next((c for c in node.rights if c.dep_ == "prep" and c.lower_ == "from"), None)
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None


# Who pays is not a kind of money: "revenue from customers in Europe" is revenue.
_PAYERS = frozenset({"customer", "client", "user", "subscriber", "advertiser", "buyer", "consumer", "merchant"})


def _source(vocab: Vocabulary, base: str, node: Token, names: frozenset[str]) -> str:
    """What money comes from, when a "from" phrase of its noun or verb says it with a common noun: "revenue from
    cloud services" is cloud services revenue; a part noun is passed over for what classifies it ("from its
    advertising business": advertising); a name there is whose the money is, not a kind of it."""
    from bot.reading.measures import acts
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    source = _from_object(node)
    if source is None or source.pos_ != "NOUN" or not source.is_alpha or acts(source) or lemma(source) in _PAYERS:
        return ""
    words = _modifiers(vocab, base, source, names)
    if lemma(source) not in _PART_NOUNS and stem(source.text) not in _FRAMING:
        words = f"{words} {source.lower_}".strip()
    return words


class _Named(Protocol):
    subject: str | None
    metric: str | None
    base: str | None
    period: Period | None
    as_of: date | None


SAME_TIME_DAYS = 20


def plain_when_alone(measures: Sequence[_Named]) -> None:
    """A kind of a metric is kept only where the article shows it to be another quantity: it sets it beside
    another kind of the same subject's metric for the same time ("revenue rose 6% to $9 billion; subscription
    revenue rose 30% to $2 billion"). Named once, alone, a kind may be only the article's way of naming the
    subject's metric ("its licensing revenue grew 9%" where the company reports one revenue), so it is named
    plainly and compared with other articles. A kind shown once to be another quantity stays one at other times."""
    kept = []
    for m in measures:
        kind = _kind(m.metric or "", m.base or "")
        if not kind:
            continue
        if any(
            o is not m
            and o.subject == m.subject
            and o.base == m.base
            and _growth(o) == _growth(m)
            and _kind(o.metric or "", o.base or "") != kind
            and _same_time(o, m)
            for o in measures
        ):
            kept.append(m)
    # a kind the article shows to be another quantity once is that quantity at every time it names it
    shown = {(m.subject, m.base, _kind(m.metric or "", m.base or "")) for m in kept}
    for m in measures:
        kind = _kind(m.metric or "", m.base or "")
        if kind and m not in kept and (m.subject, m.base, kind) not in shown and m.metric and m.base:
            m.metric = m.metric.replace(f"{kind} {m.base}", m.base, 1)


def _growth(m: _Named) -> bool:
    return (m.metric or "").endswith(" growth")


def _same_time(a: _Named, b: _Named) -> bool:
    ea = a.period.end if a.period is not None else a.as_of
    eb = b.period.end if b.period is not None else b.as_of
    if ea is None or eb is None:  # an undated figure is not known to be of the same time
        return False
    return abs((ea - eb).days) <= SAME_TIME_DAYS


def _kind(metric: str, base: str) -> str:
    """The words before `base` in a metric named with them ("" when it is named plainly)."""
    if not base:
        return ""
    for end in (base, f"{base} growth"):
        if metric.endswith(f" {end}"):
            return metric[: -len(end)].strip()
    return ""
