"""Words around a figure that say how it moves and how sure it is: whether its governing word is a decline
("fell 5%") or a loss, the words that can make it planned or forecast, and the noun a bare number counts."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from spacy.tokens import Token

from bot.reading.measures import Vocabulary, acts, stems_text

if TYPE_CHECKING:
    from bot.reading.amounts import FoundFigure

DECLINE = frozenset(
    {
        "fell",
        "fall",
        "fallen",
        "falls",
        "declin",
        "drop",
        "dropped",
        "decreas",
        "shrank",
        "shrink",
        "shrunk",
        "slump",
        "slumped",
        "plung",
        "plunged",
        "tumbl",
        "tumbled",
        "slid",
        "slide",
        "sank",
        "sink",
        "lost",
        "lose",
        "loss",
        "down",
        "lower",
        "contract",
        "contracted",
        "slip",
        "slipped",
        "dip",
        "dipped",
        "plummet",
        "plummeted",
        "retreat",
        "retreated",
        "erod",
        "eroded",
        "weaken",
        "weakened",
    }
)


def declines(token: Token, vocab: Vocabulary) -> bool:
    """Whether the word that governs a percentage says it went down ("fell 5%", "down 5%", "a 5% decline"). A
    percentage after "to" or "from" is the level before or after the change, not the change ("fell 2 percentage
    points to 35%")."""
    if token.head.i != token.i and token.head.pos_ == "ADP" and token.head.lower_ in ("to", "from"):
        return False
    near = [t for t in token.sent if 0 < abs(t.i - token.i) <= 3]
    heads = []
    node = token
    for _ in range(3):
        if node.head.i == node.i:
            break
        node = node.head
        heads.append(node)
        if node.pos_ in ("VERB", "NOUN") and node.i != token.i:
            break
    from bot.store.words import stem

    return any(stem(t.lower_) in DECLINE or t.lower_ in DECLINE for t in heads) or any(
        t.lower_ == "down" and t.i < token.i for t in near
    )


_LOSS_NOUNS = frozenset({"loss", "losses", "deficit"})
_LOSS_VERBS = frozenset({"lose", "lost", "losing", "loses", "wipe", "wiped", "wiping", "erase", "erased", "erasing"})


def is_loss(token: Token, inside: tuple[int, int] = (0, 0)) -> bool:
    """Whether an amount is a loss, which is negative ("a net loss of $1.2 billion", "a $3 billion loss", "lost
    $2 billion", "erasing $80 billion of its value"): the noun it measures, through "of", or the verb it is the
    object of. Words inside the amount itself (`inside`, a character span: "billion", "yuan") are passed over."""
    node = token
    for _ in range(5):
        if node.head.i == node.i:
            return False
        child, node = node, node.head
        if inside[0] <= node.idx < inside[1] or (node.pos_ == "ADP" and node.lower_ == "of"):
            continue
        if node.pos_ == "NOUN":
            return node.lower_ in _LOSS_NOUNS
        if node.pos_ in ("VERB", "AUX"):
            return node.lower_ in _LOSS_VERBS and child.dep_ in ("dobj", "npadvmod")
        if node.pos_ not in ("NUM", "SYM"):
            return False
    return False


def status_words(token: Token, last: Token | None = None) -> str:
    """The words that can make a figure planned or forecast: those close to it (from its first word to its last,
    `last`) in its clause and the verbs and nouns it hangs from ("details plans to expand … to ten billion"), not a
    neighbouring clause's."""
    end = last or token
    near = [
        t
        for t in token.sent
        if (abs(t.i - token.i) <= 6 or abs(t.i - end.i) <= 6) and not _other_clause(t, token if t.i < token.i else end)
    ]
    chain = []
    node = token
    for _ in range(8):
        if node.head.i == node.i:
            break
        node = node.head
        chain.append(node)
        added = [c for c in node.children if c.dep_ in ("aux", "auxpass", "neg", "xcomp") and c.i != token.i]
        chain.extend(added)
        # "…, to be paid in December": an open complement with its own auxiliaries
        chain.extend(a for c in added if c.dep_ == "xcomp" for a in c.children if a.dep_ in ("aux", "auxpass"))
        if node.lemma_ == "be":  # "its goal is a model with 500 billion parameters": the subject says what it is
            # … with the nouns that classify it: "the analyst forecast was …" is the analysts'
            subjects = [c for c in node.children if c.dep_ == "nsubj"]
            chain.extend(w for c in subjects for w in (c, *c.lefts) if w.dep_ in ("nsubj", "compound"))
            # "the arm was on track to top $5 billion in orders": what the arm is said to be says how sure the figure is
            said = [c for c in node.children if c.dep_ in ("attr", "prep", "acomp") and c.i < token.i]
            chain.extend(
                w for c in said for w in (c, *c.children) if w.dep_ in ("attr", "prep", "acomp", "advmod", "pobj")
            )
    # "$4 billion …, to be paid in March": an infinitive that modifies the amount says what is to become of it
    for t in token.doc[token.i : end.i + 1]:
        for c in t.children:
            aux = [a for a in c.children if a.dep_ in ("aux", "auxpass")]
            if c.dep_ in ("acl", "relcl") and any(a.tag_ == "TO" for a in aux):
                chain.extend([c, *aux])
    # "paid the last $2 billion of its pledge": what an amount is part of does not say how sure the amount is
    part_of = {
        w.i
        for t in token.doc[token.i : end.i + 1]
        for c in t.children
        if c.dep_ == "prep" and c.lower_ == "of" and c.i > end.i
        for w in c.subtree
    }
    words = sorted({t.i: t for t in near + chain if t.i not in part_of}.values(), key=lambda t: t.i)
    # "will jointly invest": an adverb before its verb parts no cue ("will invest")
    words = [
        t for t in words if not (t.dep_ == "advmod" and t.pos_ == "ADV" and t.head.pos_ == "VERB" and t.i < t.head.i)
    ]
    return " " + stems_text(" ".join(t.text for t in words)) + " "


def _other_clause(t: Token, figure: Token) -> bool:
    """Whether `t` is across a clause boundary (a comma, semicolon or conjunction) from the figure."""
    lo, hi = sorted((t.i, figure.i))
    # "profit tops forecasts as its cloud unit grows 31%": a subordinating word opens another clause
    return any(x.text in {",", ";", "—", "–"} or x.dep_ in ("cc", "mark") for x in figure.doc[lo + 1 : hi])


def object_noun(token: Token) -> str | None:
    """What a bare number counts when the verb's object says it: "expand the parameters from one billion"."""
    node = token
    for _ in range(5):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ == "VERB":
            for child in node.children:
                if (
                    child.dep_ == "dobj"
                    and child.pos_ == "NOUN"
                    and not (child.left_edge.i <= token.i <= child.right_edge.i)
                ):
                    return child.text.lower()
            for child in node.children:  # "daily users have climbed to 11 million": what grew is counted
                if (
                    child.dep_ == "nsubj"
                    and child.pos_ == "NOUN"
                    and child.tag_ == "NNS"
                    and not acts(child, people=False)
                ):
                    mods = [c.text for c in child.lefts if c.dep_ in ("amod", "compound") and c.is_alpha]
                    return " ".join([*mods, child.text]).lower()
            return None
    return None


def counted_noun(token: Token) -> str | None:
    """The noun a bare number counts, from the parse: "4.1 million fully electric vehicles" -> vehicles."""
    head = token.head
    if head.i > token.i and head.pos_ == "NOUN" and token.dep_ in ("nummod", "quantmod", "compound"):
        # "1.2 million fully automated trips" parsed with "automated" as the noun: a noun that hangs on the noun
        # right after it only modifies it, and the one after is what is counted
        after = head.nbor() if head.i + 1 < len(head.doc) else None
        if after is not None and head.head.i == after.i and after.pos_ == "NOUN" and after.tag_ in ("NNS", "NNPS"):
            head = after
        return head.text.lower()
    return None


def counted_words(token: Token) -> str:
    """The words from a bare number to the noun it counts: "8 million daily active users" -> "daily active users"."""
    noun = counted_noun(token)
    if noun is None:
        return ""
    end = next((t.i for t in token.doc[token.i + 1 : token.i + 6] if t.lower_ == noun), token.i)
    return " ".join(t.text for t in token.doc[token.i + 1 : end + 1])


def sign(fig: FoundFigure, first: Token, last: Token, vocab: Vocabulary) -> None:
    """A decline is a negative change ("net income fell 53%"), a loss negative income ("a net loss of $1.2
    billion")."""
    if fig.value <= 0:
        return
    if (fig.kind == "percent" and declines(last, vocab)) or (
        fig.kind == "money" and is_loss(first, (fig.start, fig.end))
    ):
        fig.value = -fig.value


def _noun_named(noun: Token) -> str:
    """A noun with the nouns that classify it ("bridge loan", "credit line"), not names or numbers."""
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    kinds = [
        c.lower_
        for c in noun.lefts
        if c.dep_ == "compound"
        and c.is_alpha
        # a sentence's first word is tagged a name for its capital ("Order backlog rose …")
        and (c.pos_ == "NOUN" or (c.pos_ == "PROPN" and c.is_sent_start and not c.ent_type_))
    ]
    return " ".join([*kinds, lemma(noun)])


def verb_said(verb: Token) -> str:
    """A verb's lemma with its particle, as `flows` in `metrics.yml` writes it: "bring in"."""
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")
    return f"{lemma(verb)} {particle}".strip()


_MOVED_TO = ("to", "past", "above", "beyond", "over", "below", "under", "toward", "towards")


def governing_word(token: Token, inside: tuple[int, int] = (0, 0), flows: Collection[str] = ()) -> str | None:
    """The noun (or, failing one, the verb) a figure belongs to: "investment" in "an investment of $5 billion".
    Words inside the amount itself (`inside`, a character span: "yuan", "billion") are passed over. A verb of
    `flows` that moves the amount ("brought in $3 billion", "sold it for $1 billion") is returned with its particle:
    the way money moves says what it is."""
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    node = token
    for _ in range(6):
        if node.head.i == node.i:
            break
        child, node = node, node.head
        if inside[0] <= node.idx < inside[1]:
            continue
        if (
            node.pos_ == "NOUN"
            and node.is_alpha
            and child.dep_ in ("pobj", "prep", "nummod", "quantmod", "compound", "npadvmod", "amod")
        ):
            return lemma(node)
        if node.pos_ in ("VERB", "AUX"):
            verb = lemma(node)
            if verb == "value":  # "a placement had valued Tarnwell at €2.9 billion": a valuation
                return "value"
            said = verb_said(node)
            moved = child.dep_ in ("dobj", "nsubjpass") or (child.dep_ == "prep" and child.lower_ == "for")
            if said in flows and moved:
                return said
            if child.dep_ == "prep" and f"{verb} {child.lower_}" in flows:  # "took in" parsed as a preposition
                return f"{verb} {child.lower_}"
            # "the bridge loan secured on its plant to $4 billion": a participle's amount is its noun's
            if node.dep_ == "acl" and node.head.pos_ == "NOUN" and node.head.is_alpha and not acts(node.head):
                return _noun_named(node.head)
            # "raised the loan to $4 billion", "took its spending past $2 billion": the loan's, the spending's
            if child.dep_ == "prep" and child.lower_ in _MOVED_TO:
                done = [c for c in node.children if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.is_alpha]
                if done and not acts(done[0]):
                    return _noun_named(done[0])
            for sub in node.children:
                if sub.dep_ in ("nsubj", "nsubjpass") and sub.pos_ == "NOUN":
                    # "the group handed over $1.1 billion": who pays is not what is paid
                    if acts(sub):
                        return None
                    # "its shares rose 6% to 212 crowns": where the shares stand is their price
                    return "share price" if lemma(sub) in ("share", "stock") else _noun_named(sub)
            return lemma(node)
    return None


def count_unit(
    fig: FoundFigure,
    figures: list[FoundFigure],
    i: int,
    text: str,
    base: int,
    words: tuple[Token, Token],
    counted_before: str | None,
) -> bool:
    """Sets what a count counts: the noun it modifies, a noun listed before it, the verb's object, else what the
    sentence before counted ("X has 12 billion parameters. Y, 2.7 billion."). Whether the noun came from a bracket."""
    first, last = words
    noun = counted_noun(last)
    listed, bracketed = (None, False) if noun or fig.unit else _unit_before(figures, i, text, base)
    fig.unit = noun or fig.unit or listed or object_noun(first) or counted_before
    return bracketed


_LIST_JOIN = re.compile(r"(?:\bto|\band|\bor|,|\bthen|\bversus|\bagainst)\s*$", re.I)


_BRACKET = re.compile(r"\s*\(\s*")


def _unit_before(figures: list[FoundFigure], i: int, text: str, base: int) -> tuple[str | None, bool]:
    """What a bare count counts when a count before it says, and whether it is in brackets after it: "512 billion
    parameters (29 billion activated)" (the bracket's own words then name what it measures), or in a list or a
    range ("from 4.1 million vehicles in the second quarter to 5.2 million in the third")."""
    if not i:
        return None, False
    between = text[figures[i - 1].end - base : figures[i].start - base]
    if figures[i - 1].kind == "count" and _BRACKET.fullmatch(between):
        return figures[i - 1].unit, True
    if _LIST_JOIN.search(between):
        return next((f.unit for f in reversed(figures[:i]) if f.kind == "count" and f.unit), None), False
    return None, False
