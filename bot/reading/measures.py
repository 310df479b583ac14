"""What a figure measures and how sure it is: a normalised metric name and a status (actual, plan, forecast,
estimate, converted), from the words of the figure's clause and the vocabulary of `metrics.yml`
(`bot.rules.MetricRules`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from bot.rules import MetricRules, MoneyFlow
from bot.store.words import stem

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

STATUSES = ("actual", "plan", "forecast", "estimate", "converted")
_CLAUSE_BREAK = {"conj", "advcl", "ccomp", "parataxis", "relcl"}
PER_SHARE_STEMS = re.compile(r" (?:a|per|each) (?:share|ad|american depositari share) ")
# Verbs whose particle "up" or "down" makes another verb, not a change: "make up" (form), "set up", "step down".
_NOT_A_CHANGE = frozenset(
    [
        "make",
        "add",
        "sum",
        "set",
        "sign",
        "take",
        "end",
        "break",
        "step",
        "shut",
        "split",
        "back",
        "team",
        "open",
        "line",
        "round",
        "tie",
        "use",
        "give",
        "hold",
        "stand",
        "sit",
        "settle",
    ]
)


@dataclass(frozen=True)
class MetricEntry:
    name: str
    kinds: frozenset[str]
    any: tuple[str, ...]  # stemmed phrases
    all: tuple[str, ...] = ()
    by_noun: bool = False  # matched only against the governing noun (`_best`), never a clause (`match_metric`)


@dataclass(frozen=True)
class Vocabulary:
    metrics: tuple[MetricEntry, ...]
    growth: frozenset[str]
    status: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (status, sentence cues, clause cues)
    flow_by_verb: tuple[tuple[str, MoneyFlow], ...]  # ("bring in", the flow it moves)

    @property
    def names(self) -> frozenset[str]:
        """The metrics the vocabulary names (not those named after a nearby noun)."""
        return frozenset(m.name for m in self.metrics)

    @cached_property
    def flows(self) -> dict[str, MoneyFlow]:
        """The flow each verb moves, by the verb ("bring in")."""
        return dict(self.flow_by_verb)


_WORD = re.compile(r"[\w&']+")


@lru_cache(maxsize=4096)
def stems_text(phrase: str) -> str:
    """The phrase's words stemmed, space-separated; cached: a sentence's stems serve each of its figures."""
    return " ".join(stem(w) for w in _WORD.findall(phrase.lower()) if w)


@lru_cache(maxsize=4)
def vocabulary_of(rules: MetricRules) -> Vocabulary:
    """The metric rules with their words stemmed, as figures are matched; kept per rules object."""
    metrics = tuple(
        MetricEntry(m.name, m.kinds, tuple(stems_text(w) for w in m.any), tuple(map(stems_text, m.all)), m.by_noun)
        for m in rules.metrics
    )
    status = tuple(
        (name, tuple(stems_text(w) for w in sentence), tuple(stems_text(w) for w in clause))
        for name, sentence, clause in rules.status
    )
    flows = tuple((verb, flow) for flow in rules.flows for verb in flow.verbs)
    return Vocabulary(metrics, frozenset(stem(w) for w in rules.growth), status, flows)


def _has(text: str, phrase: str) -> bool:
    return f" {phrase} " in text


# Nouns that name a company by what it makes or runs: "the Lumo maker", "robot-chip developer Velora", "the chipmaker".
# What premodifies them is the company's trade, not what a figure beside them measures.
TRADE_NOUNS = frozenset(
    {"developer", "maker", "designer", "creator", "owner", "operator", "startup", "start-up", "publisher", "provider"}
)


# Nouns for who acts, never for what a figure beside them measures: "the group handed over $1.1 billion",
# "staff sold their shares at $9 each".
COMPANY_NOUNS = frozenset(
    {"company", "group", "firm", "giant", "conglomerate", "subsidiary", "unit", "division", "arm"}
)
AGENT_NOUNS = COMPANY_NOUNS | {
    "employee",
    "staff",
    "worker",
    "investor",
    "shareholder",
    "analyst",
    "executive",
    "founder",
    "government",
    "regulator",
}


def is_trade_noun(lower: str) -> bool:
    return lower in TRADE_NOUNS or (lower.endswith("maker") and len(lower) > 5)


def acts(noun: Token, *, people: bool = True) -> bool:
    """Whether a noun names who acts (a company, a unit, a trade, or with `people` staff and analysts), never what
    a figure beside it measures or counts."""
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    return lemma(noun) in (AGENT_NOUNS if people else COMPANY_NOUNS) or is_trade_noun(noun.lower_)


def _trade_words(sent: Span) -> set[int]:
    """The words of a noun that names a company by its trade, with their premodifiers ("server-chip maker")."""
    out: set[int] = set()
    for t in sent:
        if t.pos_ == "NOUN" and is_trade_noun(t.lower_):
            out.add(t.i)
            out |= {w.i for c in t.lefts if c.dep_ in ("compound", "amod", "nmod") for w in c.subtree}
    return out


def clause_levels(token: Token, sent: Span, sentence_text: str | None = None) -> list[str]:
    """The figure's own clause, then each wider clause around it, as space-padded stem strings.

    The clause is the subtree of the nearest verb above the figure, less any coordinated or subordinate clause
    that does not hold the figure: "X reported 26% growth in sales, and its stock rose 90%" keeps the two apart.
    `sentence_text` is the sentence's text when the caller has it.
    """
    levels: list[str] = []
    node = token
    # A semicolon parts two sentences however the parse joins them: the words past one are not the figure's.
    lo = max((t.i for t in sent if t.text == ";" and t.i < token.i), default=sent.start - 1)
    hi = min((t.i for t in sent if t.text == ";" and t.i > token.i), default=sent.end)
    seen: set[int] = {t.i for t in sent if not lo < t.i < hi} | _trade_words(sent)
    for _ in range(4):
        while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
            node = node.head
        words = [t for t in clause_words(node, token) + _antecedent(node) if t.i not in seen]
        seen |= {t.i for t in words}
        levels.append(" " + stems_text(" ".join(t.text for t in sorted(words, key=lambda t: t.i))) + " ")
        if node.head.i == node.i:
            break
        node = node.head
    described = [
        t
        for t in sent
        if t.dep_ in ("relcl", "appos") and t.head.pos_ == "PROPN" and not (t.left_edge.i <= token.i <= t.right_edge.i)
    ]
    not_changes = {t.i for t in sent if _not_a_change(t) or not lo < t.i < hi} | _trade_words(sent)
    if described or not_changes:  # "Acme Edge, which rents out computing power, grew 28%": a name's description
        # is not what the figure measures
        left_out = {w.i for t in described for w in t.subtree} | not_changes
        levels.append(" " + stems_text(" ".join(t.text for t in sent if t.i not in left_out)) + " ")
    else:
        levels.append(" " + stems_text(sent.text if sentence_text is None else sentence_text) + " ")
    return levels


def relative_antecedent(verb: Token) -> Token | None:
    """The word a relative clause's "which" or "that" subject stands for ("its stock, which had climbed 8%")."""
    said = verb.dep_ == "relcl" and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("which", "that") for c in verb.children
    )
    return verb.head if said else None


def _antecedent(verb: Token) -> list[Token]:
    """ "its stock, which had climbed 8% by June": the noun a relative clause's subject stands for, with its
    compounds, is what the clause says of."""
    noun = relative_antecedent(verb)
    return [*(c for c in noun.lefts if c.dep_ == "compound"), noun] if noun is not None and noun.pos_ == "NOUN" else []


def clause_words(top: Token, figure: Token) -> list[Token]:
    """The words under `top` less those in a clause under it that does not contain the figure: walked from the
    top, a clause that does not hold the figure is left out with everything under it."""
    words = [top]
    stack = list(top.children)
    while stack:
        t = stack.pop()
        if t.dep_ in _CLAUSE_BREAK and not (t.left_edge.i <= figure.i <= t.right_edge.i):
            continue
        if _not_a_change(t):
            continue
        words.append(t)
        stack.extend(t.children)
    return words


def _not_a_change(token: Token) -> bool:
    """ "made up 12% of sales", "set up": a particle that makes another verb, not a rise or a fall."""
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    return token.dep_ == "prt" and lemma(token.head) in _NOT_A_CHANGE


def match_metric(vocab: Vocabulary, kind: str, levels: list[str]) -> MetricEntry | None:
    """The most specific vocabulary entry that the nearest clause supports."""
    for text in levels:
        best: tuple[int, int, MetricEntry] | None = None
        for order, entry in enumerate(vocab.metrics):
            if kind not in entry.kinds or entry.by_noun or not all(_has(text, w) for w in entry.all):
                continue
            hits = [w for w in entry.any if _has(text, w)]
            if not hits:
                continue
            score = sum(len(w.split()) for w in hits) + len(entry.all)
            if best is None or score > best[0]:
                best = (score, -order, entry)
        if best is not None:
            return best[2]
    return None


def _best(vocab: Vocabulary, kind: str, any_text: str, all_text: str, all_in: str | None = None) -> MetricEntry | None:
    """The entry with an `any` word in `any_text` and every `all` word in `all_text` (and, with `all_in`, a
    non-empty `all` found there), most words matched first."""
    best: tuple[int, int, MetricEntry] | None = None
    for order, entry in enumerate(vocab.metrics):
        if kind not in entry.kinds or (all_in is not None and not entry.all):
            continue
        if not all(_has(all_in if all_in is not None else all_text, w) for w in entry.all):
            continue
        hits = [w for w in entry.any if _has(any_text, w)]
        if not hits:
            continue
        score = sum(len(w.split()) for w in hits) + len(entry.all)
        if best is None or score > best[0]:
            best = (score, -order, entry)
    return best[2] if best else None


def _spells_out(entry: MetricEntry, text: str, word: str) -> bool:
    """Whether one of the entry's phrases found in `text` holds `word` among more words: a longer name of it."""
    return bool(word) and any(
        _has(text, w) and word in w.split() and len(w.split()) > 1 for w in (*entry.any, *entry.all)
    )


@lru_cache(maxsize=4)
def _per_share_vocabulary(vocab: Vocabulary) -> Vocabulary:
    """The vocabulary's per-share amounts of a flow only (earnings or dividends per share), not a share's price."""
    kept = tuple(e for e in vocab.metrics if "per share" in e.name)
    return replace(vocab, metrics=kept)


def is_growth(vocab: Vocabulary, text: str) -> bool:
    return any(_has(text, w) for w in vocab.growth)


def decide_status(vocab: Vocabulary, sentence: str, clause: str) -> str:
    for name, sentence_cues, clause_cues in vocab.status:
        if any(_has(sentence, c) for c in sentence_cues) or any(_has(clause, c) for c in clause_cues):
            return name
    return "actual"


PERIOD_WORDS = {
    "quarter": "quarterly {}",
    "half": "half-year {}",
    "year": "annual {}",
    "horizon": "{} plan",
    "window": "{} over recent quarters",
    "ytd": "{} so far this year",
    "range": "{} over several years",
}
# A flow over a quarter, a half or a year is named for what it measures alone ("revenue"), as the articles name it;
# figures are compared only with figures over the same kind of period (bot.answering.claims.same_measure).
CALENDAR_KINDS = frozenset({"quarter", "half", "year", "months"})
LEVEL_METRICS = {"share price", "market value"}  # a level at a date, not a flow over a period
FLOW_METRICS = {
    "revenue",
    "earnings per share",
    "customer management revenue",
    "net income",
    "operating income",
    "free cash flow",
    "capital expenditure",
    "AI chip spending",
    "research spending",
    "investment in companies",
    *("impairment", "investment gains"),  # a charge, a gain in a period
    # a margin is a ratio of two flows: it holds over their period
    "operating margin",
    "gross margin",
    "net margin",
}


# A growth rate stated on another basis is another metric, but a restatement that leaves the basis unsaid may state
# the same fact: claims compare metrics without it.
CONSTANT_CURRENCY = " at constant currency"


def without_basis(metric: str | None) -> str | None:
    return metric.removesuffix(CONSTANT_CURRENCY) if metric else metric


def with_place(metric: str, place: str) -> str:
    """A metric confined to a place: "employees in Spain" (see `place_in`)."""
    return f"{metric} in {place}" if place else metric


def place_in(metric: str) -> str:
    """The place a metric is confined to ("employees in Spain" -> "Spain"), "" when none: a place is a name."""
    head, _, tail = metric.rpartition(" in ")
    return tail if head and tail[:1].isupper() else ""


# Nouns that say how sure a figure is or point back to one ("the analyst forecast was …", "the consensus figure"),
# never what it measures.
_SAYS_HOW_SURE = frozenset(
    {
        "forecast",
        "estimate",
        "guidance",
        "expectation",
        "projection",
        "target",
        "outlook",
        "consensus",
        "figure",
        "total",
    }
)
SHARE_OF = "share: "  # a percentage of something its clause does not name as a metric: "share: respondents"
PORTION = f"{SHARE_OF}share"  # "the 43% share": a portion of what the article said before
_STOCK_CHANGE = "share price change"
_STAKE_WORDS = frozenset({"stake", "holding", "ownership", "hold", "own"})
_HOW_OFTEN = re.compile(r"\b(?:daily|weekly|monthly|quarterly|yearly|annual)\b", re.I)


def name_metric(
    vocab: Vocabulary,
    kind: str,
    unit: str | None,
    levels: list[str],
    governing: str | None,
    period_kind: str | None,
    previous_base: str | None,
    written: str = "",
    previous_money: str | None = None,
    level: bool = False,
    per_share: bool = False,
) -> tuple[str, str | None]:
    """The metric's name and its base (what grows, for a growth metric), e.g. ("revenue growth", "revenue").
    A flow over a plan's horizon, a window or a running total is qualified by it ("capital expenditure plan"), so
    a quarter is never compared with a three-year plan; over a quarter, half or year it is not (the kind of
    period keeps those apart where figures are compared); stocks (counts, prices) never are."""
    if kind == "count":
        counted = " " + stems_text(f"{written} {unit or ''}") + " "
        # The counted noun decides what is counted; its clause may say more ("the Qwen app … 10 million
        # downloads" are app downloads; "357 AI models" that were "unveiled" are models released).
        entry = _best(vocab, "count", counted, counted + levels[0])
        if entry is None and unit:
            entry = _best(vocab, "count", levels[0] + levels[min(1, len(levels) - 1)], counted, all_in=counted)
        if entry is None and not unit:
            entry = match_metric(vocab, "count", levels[:3])
        name = entry.name if entry else (unit or governing or "count").lower()
        often = _HOW_OFTEN.search(f"{written} {unit or ''}")  # daily users are not monthly users
        if often and often.group(0).lower() not in name:
            name = f"{often.group(0).lower()} {name}"
        return name, None
    if kind == "money" and per_share and (own := match_metric(_per_share_vocabulary(vocab), "money", levels)):
        return own.name, own.name  # "or 2.41 crowns per share": a per-share amount, whatever else the clause says
    if kind == "money":
        # The noun the amount belongs to decides over the words around it ("cloud infrastructure revenue of …" is
        # revenue); the clause decides when that noun names no metric; an amount whose clause names none ("analysts
        # had expected $4.7 billion", "the figure matched …") is of the metric said just before.
        flow = vocab.flows.get(governing or "")
        if flow is not None:  # "brought in $3 billion": the clause's metric when the flow can be it, else the flow
            return _flow_metric(vocab, flow, levels, period_kind)
        entry = _best(vocab, "money", f" {stems_text(governing)} ", f" {stems_text(governing)} ") if governing else None
        if governing == "value":  # "a deal that values the start-up at …", "its value of …"
            entry = _best(vocab, "money", " market valu ", " market valu ")
        if entry is None and governing and " " in governing and governing.split()[-1] not in _SAYS_HOW_SURE:
            return governing, governing  # "order intake rose to …": a noun phrase of its own
        clause = match_metric(vocab, "money", levels[:2])
        if entry is not None and clause is not None and _spells_out(clause, levels[0], stems_text(governing or "")):
            entry = clause  # "earnings per American depositary share": the longer name of the governing noun
        entry = entry or clause or match_metric(vocab, "money", levels[2:])
        named = entry.name if entry else (previous_money or governing or "amount")
        return _over_period(named, period_kind), named
    if governing in _STAKE_WORDS:  # "a 12% stake in X", "owns 12% of X", "its ownership to 12%": a share held
        return "stake", None
    for text in levels[:2]:  # percentages: the nearest clause that says what they measure decides
        # "earnings per share fell 9%": a per-share amount's change, not the shares' price
        own = match_metric(vocab, "percent", [PER_SHARE_STEMS.sub(" ", text)])
        if own is not None and own.name == _STOCK_CHANGE and governing == "share" and not level:
            return PORTION, None  # "the 28% share keeps climbing": a portion, not the stock
        if own is not None:
            return (
                PERIOD_WORDS[period_kind].format(own.name) if period_kind in ("ytd", "range") else own.name
            ), own.name
        if is_growth(vocab, text) and not level:  # "the margin rose to 18%": where it stands, not a change
            entry = match_metric(vocab, "money", [text]) or match_metric(vocab, "money", levels[1:-1])
            base = entry.name if entry else previous_base
            growth = f"{base} growth" if base else "growth"
            if period_kind in PERIOD_WORDS and period_kind != "horizon" and period_kind not in CALENDAR_KINDS:
                growth = PERIOD_WORDS[period_kind].format(growth)
            if "point" in written.lower() or unit == "pp":  # "12 percentage points of the increase": not a rate
                growth = f"{growth} in percentage points"
            return growth, base
    return f"{SHARE_OF}{governing or unit or 'unknown'}", None


def _flow_metric(vocab: Vocabulary, flow: MoneyFlow, levels: list[str], period_kind: str | None) -> tuple[str, str]:
    said = [e for e in (match_metric(vocab, "money", levels[:2]), match_metric(vocab, "money", levels[2:])) if e]
    base = next((e.name for e in said if e.name in flow.metrics), flow.name)
    return _over_period(base, period_kind), base


def _over_period(base: str, period_kind: str | None) -> str:
    """A flow named for a plan's horizon, a window or a running total it is over ("capital expenditure plan"); over
    a quarter, half or year, for what it measures alone."""
    if base in FLOW_METRICS and period_kind in PERIOD_WORDS and period_kind not in CALENDAR_KINDS:
        return PERIOD_WORDS[period_kind].format(base)
    return base
