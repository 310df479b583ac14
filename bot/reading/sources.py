"""Who a figure comes from rather than whose it is: a publication, a data provider, an analysts' poll; and a company
held as a stake, which is what a figure is of, not whose it is."""

from __future__ import annotations

from spacy.tokens import Span

from bot.reading.entities import FoundMention
from bot.reading.nlp import lemma

# Who reports, polls or reckons a figure is its source, not what it measures: "according to X", "analysts polled
# by X", "X estimated that …", "X's reconstruction puts … at 26%", "X data show …".
# A company that says something about itself is still its subject ("X said its revenue rose"): only verbs of
# reckoning make a source of their subject.
SOURCE_VERBS = {
    "estimate",
    "calculate",
    "reckon",
    "poll",
    "survey",
    "compile",
    "track",
    "tally",
    "gauge",
    "analyse",
    "analyze",
}
SOURCE_NOUNS = {
    "estimate",
    "estimates",
    "reconstruction",
    "analysis",
    "data",
    "poll",
    "survey",
    "calculation",
    "calculations",
    "consensus",
    "research",
    "tally",
    "reckoning",
    "forecast",
    "forecasts",
    "figures",
    "report",
    "note",
    "ranking",
    "tracker",
}


def source_starts(sent: Span, mentions: list[FoundMention]) -> set[int]:
    """The starts of the names in `sent` that are sources of figures (see `_is_source`); catalog names never are."""
    return {m.start for m in mentions if not m.from_catalog and _is_source(sent, m)}


def _is_source(sent: Span, m: FoundMention) -> bool:
    """Whether a name found by the parser (not a catalog name) is where figures come from rather than whose they
    are: the object of "according to" or of "by" after a reporting verb, the owner or modifier of a reporting noun,
    or the subject of a reporting verb whose figures sit in the clause it reports."""
    token = next((t for t in sent if m.start <= t.idx < m.end and t.head.i != t.i), None)
    if token is None:
        return False
    while token.head.i != token.i and m.start <= token.head.idx < m.end:  # the name's own head word
        token = token.head
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return True
    if token.dep_ == "pobj" and head.lower_ == "by" and lemma(head.head) in SOURCE_VERBS:
        return True
    if token.dep_ in ("poss", "compound") and head.lower_ in SOURCE_NOUNS:
        return True
    if token.dep_ in ("nsubj", "nsubjpass") and lemma(head) in SOURCE_VERBS:
        return any(c.dep_ in ("ccomp", "xcomp") for c in head.children)
    return False


HOLD = frozenset({"hold", "own", "control", "keep", "retain", "acquire", "buy", "take", "have"})


# Nouns for a share of a company held by another: the company named on them is what is held ("the OpenAI stake",
# "its holding in Tarn Labs"), and what the stake fetches, gains or is worth is its holder's.
_HELD = frozenset({"stake", "holding", "shareholding"})


def held_starts(sent: Span, mentions: list[FoundMention]) -> set[int]:
    """The starts of the names `sent` gives as held: a stake noun's modifier or its "in"/"of" object, a name a stake
    noun stands beside ("X, a stake valued at …"), and the "of" object of a share a verb of holding takes ("holds
    27% of X")."""
    held = set()
    for m in mentions:
        token = next((t for t in sent if m.start <= t.idx < m.end), None)
        while token is not None and token.head.i != token.i and m.start <= token.head.idx < m.end:
            token = token.head
        while token is not None and token.dep_ == "compound" and token.head.pos_ == "PROPN":  # "X Group PBC"
            token = token.head
        if token is None:
            continue
        head = token.head
        if any(c.dep_ == "appos" and lemma(c) in _HELD for c in token.children):
            head = next(c for c in token.children if c.dep_ == "appos" and lemma(c) in _HELD)
        elif token.dep_ == "pobj" and head.lower_ in ("in", "of"):
            head = head.head
            if head.dep_ == "dobj" and head.ent_type_ == "PERCENT" and lemma(head.head) in HOLD:
                held.add(m.start)
        elif token.dep_ not in ("compound", "nmod", "amod"):
            continue
        if head.pos_ == "NOUN" and lemma(head) in _HELD:
            held.add(m.start)
    return held
