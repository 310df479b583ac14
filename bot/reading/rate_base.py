"""What a growth rate grows when its clause names no metric: a business's sales ("Acme Cloud grew 31%"), or what
the rate just before it grows ("growth of 18% … it expects 15% to 16% next", "slower than the 21% it reported")."""

from __future__ import annotations

from spacy.tokens import Token

from bot.reading.amounts import FoundFigure
from bot.reading.catalog import COMPANY_TYPES
from bot.reading.entities import FoundMention
from bot.reading.measures import (
    FLOW_METRICS,
    SHARE_OF,
    Vocabulary,
    acts,
    match_metric,
    relative_antecedent,
    stems_text,
)


def rate_base(
    fig: FoundFigure,
    first: Token,
    vocab: Vocabulary,
    clause: str,
    subject: str | None,
    mentions: list[FoundMention],
    rates: dict[str | None, str | None],
) -> str | None:
    """What a percentage whose clause names no metric grows, if it is a growth rate: a business's sales, or what the
    sentence's last growth rate of the same subject grows ("growth of 18% … it expects 15% to 16% next")."""
    if fig.kind != "percent":
        return None
    return (
        named_business_grew(first, vocab, rate=True)
        or _business_growth(clause, subject, mentions)
        or rates.get(subject)
    )


def of_something(figure: Token) -> bool:
    """Whether a percentage is of something ("43% of sales", "12 points of the increase") or stands for what its
    verb's subject names ("staff turnover eased to 12.5%"): no rate said before it is what it measures."""
    if _of_phrase(figure) is not None:
        return True
    verb = figure
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    named = [
        c
        for c in verb.children
        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN") and c.right_edge.i < figure.i
    ]
    return any(not acts(c) for c in named)


_GROWS = (" grow ", " grew ", " growth ", " expand ", " expans ")


def _business_growth(clause: str, subject: str | None, mentions: list[FoundMention]) -> str | None:
    """ "Growth at Acme Cloud slowed to 31%", "Acme Cloud grew 31%": a company's, a unit's or a product's growth
    said without a metric is the growth of its sales (a name that rises or falls may be its stock)."""
    named = any(m.name == subject and m.type in (*COMPANY_TYPES, "product") for m in mentions)
    return "revenue" if named and any(w in clause for w in _GROWS) else None


def named_business_grew(token: Token, vocab: Vocabulary, *, rate: bool = False) -> str | None:
    """ "Acme Edge grew 28% to 1.9 billion yuan": a named business that grows to an amount, its clause naming
    nothing else it could be, grows its sales; so does one that grows by a rate (`rate`: "Acme Edge, which rents
    out servers, grew 28%"), though only "grow" or "expand" says so: a name that rises or falls may be its stock."""
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    node = token
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        node = node.head
    if node.pos_ != "VERB" or stems_text(node.text) not in vocab.growth:
        return None
    if rate and lemma(node) not in ("grow", "expand"):
        return None
    subjects = [c for c in node.children if c.dep_ == "nsubj"]
    if (named := relative_antecedent(node)) is not None:
        subjects = [named]  # "Acme Edge, which grew 28%": the name the clause describes
    return "revenue" if subjects and subjects[0].pos_ == "PROPN" else None


def inherited_rate(
    metric: str, base: str | None, figure: Token, before: str | None, vocab: Vocabulary
) -> tuple[str, str | None]:
    """A percentage read as a share of nothing in particular ("slower than the 14% a quarter before") is a growth
    rate of what the rate just before grows (`before`), unless it is of something or its verb's subject names it;
    a share is named by what it is of ("made up 30% of its sales": a share of revenue)."""
    if metric.startswith(SHARE_OF) and before and not of_something(figure):
        return f"{before} growth", before
    if metric.startswith(SHARE_OF) and (flow := _share_of_flow(figure, vocab)) is not None:
        return f"{SHARE_OF}{flow}", base
    return metric, base


def _of_phrase(figure: Token) -> Token | None:
    """The "of" a percentage is of ("43% of sales", "12 points of the increase"), if it has one."""
    node = figure
    while node.pos_ == "NUM" and node.head.i != node.i:
        node = node.head
    return next((c for c in (*node.children, *figure.children) if c.dep_ == "prep" and c.lower_ == "of"), None)


def of_a_flow(metric: str, figure: Token, vocab: Vocabulary) -> bool:
    """ "made up 38% of its revenue": a share of a flow, which holds over the flow's period."""
    return metric.startswith(SHARE_OF) and _share_of_flow(figure, vocab) in FLOW_METRICS


def _share_of_flow(figure: Token, vocab: Vocabulary) -> str | None:
    """What a percentage is "of": the money flow the vocabulary names ("43% of core revenue", "a third of the
    group's sales" are shares of revenue), else the noun ("40% of its staff")."""
    of = _of_phrase(figure)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if whole is None:
        return None
    words = " ".join(t.text for t in whole.subtree if t.i <= whole.i)
    entry = match_metric(vocab, "money", [f" {stems_text(words)} "])
    if entry is not None and entry.name in FLOW_METRICS:
        return entry.name
    return whole.lower_ if whole.pos_ == "NOUN" and whole.is_alpha else None  # "40% of its staff": of the staff


# "revenue rose 9%, led by its cloud arm, which grew 30%": the verbs that say a part carried the whole
_LEADS = frozenset({"lead", "drive", "help", "boost", "power", "fuel", "propel", "support"})


def led_part(figure: Token, kind: str, before: list[tuple[str | None, str | None]]) -> tuple[str, str] | None:
    """ "Sales rose 9% to $4 billion, led by industrial software, which grew 30% to $1.2 billion": a part that
    carried a flow measures its own share of that flow ("industrial software revenue", its growth), whatever its
    own words would name. `before` holds the (metric, base) of the sentence's figures before this one."""
    from bot.reading.nlp import lemma  # the pipeline's module: loaded only where articles are read

    verb = figure
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    part = relative_antecedent(verb)
    if (
        part is None
        or part.pos_ != "NOUN"
        or part.dep_ != "pobj"
        or part.head.lower_ != "by"
        or lemma(part.head.head) not in _LEADS
    ):
        return None
    base = next((b for _, b in before if b and b in FLOW_METRICS), None)
    if base is None:
        return None
    words = " ".join(
        t.text if t.pos_ == "PROPN" or t.text.isupper() else t.lower_
        for t in part.subtree
        if (t.i <= part.i and t.dep_ in ("compound", "amod", "npadvmod")) or t.i == part.i
    )
    if kind == "percent":
        return f"{words} {base} growth", f"{words} {base}"
    return (f"{words} {base}", base) if kind == "money" else None
