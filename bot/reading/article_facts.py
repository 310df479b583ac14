"""One article, one fact: the same amount of the same subject said twice in an article is read as one, the mention
that says less taking what the other states (its period, status and metric)."""

from __future__ import annotations

from bot.reading.amounts import FoundFigure
from bot.reading.measures import PORTION, SHARE_OF
from bot.reading.records import Measure


def _named_share(m: Measure) -> bool:
    return bool(m.metric and m.metric.startswith(SHARE_OF) and m.metric != PORTION and m.status == "actual")


def reconcile(measures: list[Measure], figures: list[FoundFigure], named: frozenset[str] = frozenset()) -> None:
    """The same amount of the same subject said twice in one article is one fact: a mention without a period or
    status ("its investment of 380 billion yuan") takes them from the one that states them, and one whose words
    name no metric (`named`: the metrics the vocabulary names), as a headline's "Acme's $9 billion quarter", takes
    everything from the one that names it, unless each says who states it otherwise (an estimate is not a
    forecast)."""
    stated: dict[tuple[str | None, str | None, float], list[Measure]] = {}
    for m, f in zip(measures, figures, strict=True):
        if m.base in named and m.status != "converted":
            stated.setdefault((m.subject, f.unit, round(f.value, 6)), []).append(m)
    for m, f in zip(measures, figures, strict=True):
        sources = {(s.metric, s.period, s.status) for s in stated.get((m.subject, f.unit, round(f.value, 6)), [])}
        if m.base not in named and m.status != "converted" and len(sources) == 1:
            first = stated[(m.subject, f.unit, round(f.value, 6))][0]
            if m.status not in ("actual", first.status):  # analysts' 21% is not the company's forecast of 21%
                continue
            m.metric, m.base, m.period, m.as_of, m.status = (
                first.metric,
                first.base,
                first.period,
                first.as_of,
                first.status,
            )
    # "whether the 28% share keeps climbing": the portion the article named before at that value
    shares = {(m.subject, round(f.value, 6)): m for m, f in zip(measures, figures, strict=True) if _named_share(m)}
    for m, f in zip(measures, figures, strict=True):
        if m.metric == PORTION and (said := shares.get((m.subject, round(f.value, 6)))) is not None:
            m.metric, m.period, m.as_of = said.metric, said.period, said.as_of
    keyed: dict[tuple[str | None, str | None, str | None, float], Measure] = {}
    for m, f in zip(measures, figures, strict=True):
        if m.period is not None and m.status != "converted":
            keyed.setdefault((m.subject, m.base, f.unit, round(f.value, 6)), m)
    for m, f in zip(measures, figures, strict=True):
        source = keyed.get((m.subject, m.base, f.unit, round(f.value, 6)))
        if source is not None and m.period is None and m.as_of is None and m.status in ("actual", source.status):
            m.period, m.status, m.metric = source.period, source.status, source.metric
