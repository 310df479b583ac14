"""Whose a figure is: the company, unit, model or product it measures, read from the sentence's parse.

The measured noun's possessor, compounds, appositions and "of"/"at" phrases come first ("Apple's 250 million
devices", "the revenue of Alibaba Cloud"), then the subject of each verb that governs the amount, climbing clause by
clause ("Amazon plans to invest $100 billion"). A speaker is not what a figure measures ("Wu announced an investment
of …"): people are skipped as subjects of speech verbs. "It", "its", "the company", "the model" are resolved to the
most salient earlier name of that kind in the article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from bot.reading.entities import PERIOD_LABEL, UNIT_WORDS, FoundMention
from bot.reading.measures import clause_words, is_trade_noun
from bot.reading.nlp import lemma
from bot.reading.sources import HOLD

MEASURABLE = {"company", "organization", "model", "product"}
SPEECH = {
    "say",
    "announce",
    "declare",
    "state",
    "note",
    "emphasize",
    "emphasise",
    "highlight",
    "outline",
    "reveal",
    "disclose",
    "tell",
    "confirm",
    "believe",
    "argue",
    "add",
    "explain",
    "stress",
    "claim",
    "point",
    "remark",
    "detail",
    "estimate",
    "expect",
    "anticipate",
    "predict",
    "forecast",
    "project",
    "guide",
    "warn",
    "flag",
    "caution",
    "suggest",
    "analyze",
    "analyse",
    "write",
}
# Nouns that stand for a name said before: "the company", "the model", "the unit".
GENERIC = {
    "company": "company",
    "group": "company",
    "firm": "company",
    "giant": "company",
    "business": "company",
    "conglomerate": "company",
    "unit": "company",
    "division": "company",
    "arm": "company",
    "subsidiary": "company",
    "sector": "company",
    "segment": "company",
    "platform": "company",
    "model": "model",
    "models": "model",
    "family": "model",
    "llm": "model",
}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their"}
RELATIVE = {"which", "that", "who", "whose"}
PRONOUNS = {"it", "its", "they", "their", "them", "itself"}


@dataclass
class Salience:
    """Names said so far in the article, with how often: "the company" is the most talked-about company."""

    counts: Counter[str] = field(default_factory=Counter)
    types: dict[str, str] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    focus: frozenset[str] = frozenset()
    step: int = 0
    catalog: dict[str, str] = field(default_factory=dict)  # alias key -> catalog name
    before: list[FoundMention] = field(default_factory=list)  # the last earlier sentence's names, in order
    current: list[FoundMention] = field(default_factory=list)

    def pronoun(self) -> str | None:
        """What "it"/"its" opening a sentence points back to: the first name of the last sentence that had one,
        else the most talked-about."""
        for m in self.before:
            if m.type in MEASURABLE:
                return m.name
        return self.resolve()

    def unit_named(self, words: str) -> str | None:
        """A unit said in common words ("its cloud intelligence unit") that a catalog name spells out
        ("Alibaba Cloud Intelligence"): the catalog name whose aliases hold those words in that order."""
        key = f" {words} "
        found = {name for alias, name in self.catalog.items() if key in f" {alias} "}
        if len(found) == 1 and (" " in words or found <= set(self.counts)):  # one common word: a name said before
            return found.pop()
        mentioned = [n for n in found if n in self.counts]
        return mentioned[0] if len(mentioned) == 1 else None

    def add(self, mentions: list[FoundMention]) -> None:
        if any(m.type in MEASURABLE for m in self.current):
            self.before = self.current
        self.current = list(mentions)
        self.step += 1
        for m in mentions:
            self.counts[m.name] += 1
            self.types[m.name] = m.type
            self.last[m.name] = self.step

    def resolve(self, kind: str | None = None, *, unit: bool = False) -> str | None:
        """The most salient name of `kind` ("company", "model"; None: any measurable kind). With `unit`, the last
        part of a company named ("this sector", "the unit"): the most recent name other than the focus company."""
        wanted = {"company", "organization"} if kind == "company" else {kind} if kind else MEASURABLE
        pool = [n for n, t in self.types.items() if t in wanted]
        if unit:
            pool = [n for n in pool if n not in self.focus] or pool
            return max(pool, key=lambda n: (self.last[n], self.counts[n])) if pool else None
        if not pool:
            return None
        return max(pool, key=lambda n: (self.counts[n] + (2 if n in self.focus else 0), self.last[n]))


def is_period_label(m: FoundMention) -> bool:
    """A "name" that is a period ("FY2026 Q1"): never whose a figure is."""
    return PERIOD_LABEL.fullmatch(m.text.strip()) is not None


def _mention_at(token: Token, mentions: list[FoundMention]) -> FoundMention | None:
    start, end = token.idx, token.idx + len(token.text)
    for m in mentions:
        if m.start < end and start < m.end:
            return m
    return None


# Nouns for a thing changing hands: the name in their "of" phrase is what is bought or sold
_CHANGES_HANDS = frozenset({"purchase", "acquisition", "takeover", "buyout", "sale", "disposal", "divestment"})


_OWNER_PREPS = frozenset({"of", "at", "within", "in", "by", "from"})  # "the revenue of X", "a unit within X"


def _bought(prep: Token) -> bool:
    """ "the $2 billion purchase of Tarn Labs": what is bought or sold is not whose the money is."""
    return prep.lower_ == "of" and lemma(prep.head) in _CHANGES_HANDS


@dataclass
class SubjectFinder:
    sent: Span
    mentions: list[FoundMention]
    salience: Salience
    sources: set[int]  # starts of names reporting (`source_starts`) or held (`held_starts`): not owners
    previous: str | None = None  # the subject of the figure before, in this sentence or the one before
    far: frozenset[int] = frozenset()  # tokens across a ";" from the figure being read: another clause's

    def acceptable(self, m: FoundMention, verb: Token | None, people: bool) -> bool:
        if m.start in self.sources:
            return False
        if m.type == "person":
            return people and (verb is None or lemma(verb) not in SPEECH)
        return m.type in MEASURABLE

    def named_in(self, noun: Token, verb: Token | None, people: bool, skip: set[int]) -> str | None:
        """A name said inside the noun phrase: the noun itself, its premodifiers ("Alibaba Cloud revenue",
        "Qwen-based models"), possessor, appositions, and its "of"/"at"/"based on" phrases."""
        m = _mention_at(noun, self.mentions)
        if m is not None and self.acceptable(m, verb, people):
            return m.name
        if is_epithet(noun):
            return None
        for child in noun.rights:  # "Pellix's chat app, Brio, has …": the app is Brio, its owner only owns it
            if child.i not in skip and child.dep_ == "appos" and (found := self.named_in(child, verb, people, skip)):
                return found
        for child in sorted((c for c in noun.lefts if c.i not in skip), key=lambda c: -c.i):
            for t in sorted(child.subtree, key=lambda t: -t.i):
                cm = _mention_at(t, self.mentions)
                if cm is not None and self.acceptable(cm, verb, people):
                    return cm.name
        for child in noun.rights:
            if child.i in skip:
                continue
            if child.dep_ == "prep" and child.lower_ in _OWNER_PREPS and not _bought(child):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.named_in(obj, verb, people, skip)
                        if found:
                            return found
            if child.dep_ == "acl":  # "models based on the Qwen architecture"
                for prep in child.children:
                    for obj in prep.children:
                        if prep.dep_ == "prep" and obj.dep_ == "pobj":
                            found = self.named_in(obj, verb, people, skip)
                            if found:
                                return found
        return None

    def antecedent(self, pronoun: Token) -> str | None:
        """A pronoun's name: the nearest before it in its sentence ("Tencent said its …"), else the salient one."""
        if (subject := _subject_pronoun_before(pronoun)) is not None:  # "after it added …, its platform held …"
            return self.antecedent(subject)
        before = [
            m for m in self.mentions if m.end <= pronoun.idx and m.type in MEASURABLE and m.start not in self.sources
        ]
        if pronoun.dep_ in ("nsubj", "nsubjpass"):
            # "it rose 9%" after "… thanks to a gain from Tarn Labs' listing": a subject points back to a
            # name that was one, not to a name inside another phrase
            subjects = [m for m in before if _role_of(self.sent, m) in ("nsubj", "nsubjpass")]
            if subjects:
                return max(subjects, key=lambda m: m.end).name
            if before and all(_role_of(self.sent, m) == "pobj" for m in before):
                return self.salience.pronoun()
        if before:
            return max(before, key=lambda m: m.end).name
        return self.salience.pronoun()

    def from_noun(self, noun: Token, verb: Token | None, people: bool, skip: set[int]) -> str | None:
        skip = skip | self.far
        return self.named_in(noun, verb, people, skip) or pointed_back(noun, skip, self.salience, self.antecedent)

    def find(self, token: Token, measured: Token | None) -> str | None:
        """The subject of the figure whose last token is `token` (`measured`: its counted noun, if any)."""
        lo, hi = _clause_bounds(token)  # a parse across a ";" joins two clauses: neither gives the other a subject
        self.far = frozenset(i for i in range(token.sent.start, token.sent.end) if not lo <= i < hi)
        if measured is not None and (found := self.from_noun(measured, None, False, set())):
            return found
        holder = _holder(token)  # "Acme holds 33% of Tarn Labs": the share is Acme's
        if holder is not None and (found := self.from_noun(holder, None, False, set())):
            return found
        node, verbs = token, 0
        for _ in range(14):
            if node.head.i == node.i or node.head.i in self.far:
                break
            child, node = node, node.head
            if node.pos_ in ("NOUN", "PROPN") and child.dep_ in (
                "pobj",
                "prep",
                "nummod",
                "quantmod",
                "npadvmod",
                "compound",
                "dobj",
                "appos",
                "amod",
                "nmod",
            ):
                found = self.from_noun(node, None, False, {child.i})
                if found:
                    return found
            if node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN"):
                found = self.from_noun(node.head, node, False, set())
                if found:
                    return found
            if node.pos_ in ("VERB", "AUX") or node.dep_ == "ROOT":
                verbs += 1
                found = self.at_verb(node, child, token, people=verbs == 1)
                if found:
                    return found
        return self.nearest_before(token)

    def at_verb(self, verb: Token, child: Token, token: Token, people: bool) -> str | None:
        for dep in ("dobj", "nsubj", "nsubjpass", "agent"):
            for sub in verb.children:
                if sub.dep_ != dep or sub.i == child.i:
                    continue
                if dep == "dobj" and sub.left_edge.i <= token.i <= sub.right_edge.i:
                    continue
                target = sub
                if dep == "agent":
                    target = next((c for c in sub.children if c.dep_ == "pobj"), sub)
                if target.lower_ in RELATIVE and verb.dep_ == "relcl":
                    target = verb.head
                found = self.from_noun(target, verb, people, set())
                if found:
                    return found
                if dep in ("nsubj", "nsubjpass"):
                    for conj in target.children:
                        if conj.dep_ == "conj":
                            found = self.from_noun(conj, verb, people, set())
                            if found:
                                return found
        return None

    def nearest_before(self, token: Token) -> str | None:
        before = _said_before(token, self.mentions, self.sources | {token.doc[i].idx for i in self.far})
        if before:
            return max(before, key=lambda m: m.end).name
        if self.previous is not None:  # the sentence names nothing new: it goes on about the figure before
            return self.previous
        others = [
            m for m in _in_own_clause(token, self.mentions) if m.type in MEASURABLE and m.start not in self.sources
        ]
        # nothing else it could be about (its source is not): the article's main name of that kind
        main = self.salience.resolve("company")
        return main if all(m.name == main for m in others) else None


_POSSESSIVE_OF = {"its": "it", "their": "they"}


def _subject_pronoun_before(pronoun: Token) -> Token | None:
    """The subject pronoun a possessive one goes on from in its sentence ("After it added 4,000 chips, its platform
    held 6,000"), when no name was a subject between them: both stand for the same."""
    if pronoun.dep_ != "poss" or (form := _POSSESSIVE_OF.get(pronoun.lower_)) is None:
        return None
    for t in reversed(pronoun.sent[: pronoun.i - pronoun.sent.start]):
        if t.dep_ in ("nsubj", "nsubjpass"):
            return t if t.lower_ == form else None
    return None


def _said_before(token: Token, mentions: list[FoundMention], passed: set[int]) -> list[FoundMention]:
    """The names before the figure that could own it, less those starting at `passed` (sources, stakes, and names
    across a ";": "profit doubles on X gain; Y stake sold for …")."""
    return [m for m in mentions if m.end <= token.idx and m.type in MEASURABLE and m.start not in passed]


def _in_own_clause(token: Token, mentions: list[FoundMention]) -> list[FoundMention]:
    """The names said in the figure's own clause ("orders climbed to $58 billion, and 30% of bookings came from Y":
    not Y)."""
    top = token
    while top.head.i != top.i and top.pos_ not in ("VERB", "AUX"):
        top = top.head
    spans = [(t.idx, t.idx + len(t.text)) for t in clause_words(top, token)]
    return [m for m in mentions if any(m.start < e and s < m.end for s, e in spans)]


def _clause_bounds(token: Token) -> tuple[int, int]:
    """The token indices of the stretch of the sentence between semicolons that holds `token`."""
    sent = token.sent
    lo = max((t.i + 1 for t in sent if t.text == ";" and t.i < token.i), default=sent.start)
    hi = min((t.i for t in sent if t.text == ";" and t.i > token.i), default=sent.end)
    return lo, hi


def _holder(token: Token) -> Token | None:
    """The subject of a verb of holding whose object is the figure ("X holds about 27% of Y", "X owns a 32.5%
    stake in Y"): who holds the share, not the company it is of."""
    node = token
    for _ in range(4):
        if node.head.i == node.i:
            return None
        if node.dep_ == "dobj" and node.head.pos_ == "VERB" and lemma(node.head) in HOLD:
            return next((c for c in node.head.children if c.dep_ == "nsubj"), None)
        node = node.head
    return None


def _role_of(sent: Span, m: FoundMention) -> str:
    """The dependency of a name within its sentence: that of its own head word ("Acme" in "Acme Corp said")."""
    tokens = [t for t in sent if m.start <= t.idx < m.end]
    if not tokens:
        return ""
    head = next((t for t in tokens if not (m.start <= t.head.idx < m.end) or t.head.i == t.i), tokens[-1])
    if head.dep_ == "poss":  # "Tarn Labs' listing": the role of what it owns
        return head.head.dep_
    return head.dep_


def is_epithet(noun: Token) -> bool:
    """ "the Zolo developer", "the chipmaker": a company named by what it makes, after a definite word."""
    if not is_trade_noun(noun.lower_):
        return False
    if any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.children):
        return True
    return any(c.dep_ == "poss" for c in noun.children)


def pointed_back(
    noun: Token, skip: set[int], salience: Salience, antecedent: Callable[[Token], str | None]
) -> str | None:
    """A name the noun phrase points back to: "it", "its revenue", "the company", "this sector"."""
    lower = noun.lower_
    if noun.pos_ == "PRON" and lower in PRONOUNS:
        return antecedent(noun)
    premods = [c for c in noun.lefts if c.dep_ in ("compound", "amod") and c.is_alpha]
    if lower in UNIT_WORDS | {"group"} and premods:  # "its cloud intelligence unit"
        named = salience.unit_named(" ".join(c.lower_ for c in premods))
        if named:
            return named
    for child in noun.children:
        if child.i in skip or child.dep_ != "poss":
            continue
        if child.lower_ in PRONOUNS:
            return antecedent(child)
        if child.lower_ in GENERIC:
            return salience.resolve(GENERIC[child.lower_], unit=child.lower_ in UNIT_WORDS)
    if is_epithet(noun):  # the company talked about last, other than the one followed
        return salience.resolve("company", unit=True)
    definite = any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in noun.children)
    if lower in GENERIC and definite:
        return salience.resolve(GENERIC[lower], unit=lower in UNIT_WORDS)
    for child in noun.children:  # "the model parameters": the parameters of the model said before
        if definite and child.dep_ == "compound" and GENERIC.get(child.lower_) == "model":
            return salience.resolve("model")
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "for"}:
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lower_ in GENERIC and any(c.lower_ in DEFINITE for c in obj.children):
                    return salience.resolve(GENERIC[obj.lower_], unit=obj.lower_ in UNIT_WORDS)
    return None
