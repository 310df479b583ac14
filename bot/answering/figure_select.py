"""Figure selection: candidate sentences with figures, each figure scored against the query, claims and series."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.answering.claims import chart_points, difference_notes, find_series, group_claims, same_measure
from bot.answering.figure_store import load_figures
from bot.answering.model import Answer, FigureHit
from bot.answering.query import Plan
from bot.reading.measures import Vocabulary, place_in, stems_text
from bot.reading.periods import CALENDAR_YEAR, FiscalCalendar, Resolver, TimeContext, find_periods
from bot.rules import Rules
from bot.rules.amounts import lexeme_key
from bot.store.models import EntityAlias, Figure, Mention
from bot.store.search import Group, alias_group, candidate_sentences, group_expression, match_expression
from bot.store.words import phrase_stems, stems, unit_words

MAX_CLAIMS = 5
MAX_SCORED = 60  # figures grouped into claims, best first
MIN_CANDIDATES = 30  # figure sentences wanted before a looser search is tried
FIGURE_WINDOW = 150  # newest matching sentences read per search
SUBJECT_WINDOW = 60  # newest figures of the subject asked about, read through the subject index


def figure_candidates(session: Session, plan: Plan, focus_ids: set[int], wish: Wish | None = None) -> list[FigureHit]:
    """Figures in sentences that match the query, best first. The followed company's name is not required in
    the sentence (every article is about it, and "the company" says it as well); another name is."""
    groups = list(plan.groups)
    names = entity_names(session, plan.entity_id) if plan.entity_id is not None else None
    if plan.entity_id in focus_ids:
        names = None
    hits: list[int] = []
    if plan.entity_id is not None and plan.entity_id not in focus_ids:
        # The figures whose subject is the name asked about, wherever the sentence calls it "the company" or "it".
        hits += list(
            dict.fromkeys(
                session.scalars(
                    select(Figure.sentence_id)
                    .where(Figure.entity_id == plan.entity_id)
                    .order_by(Figure.id.desc())
                    .limit(SUBJECT_WINDOW)
                )
            )
        )
    subjects = {plan.entity_id} if plan.entity_id is not None else focus_ids
    if wish is not None and wish.metrics and subjects:
        # "lumen valuation" asks for the subject's market value wherever a sentence words it ("values it at …"):
        # the metric and those starting with it, through the subject-and-metric index
        by_metric = or_(*(and_(Figure.metric >= m, Figure.metric < f"{m}\uffff") for m in wish.metrics))
        query = select(Figure.sentence_id).where(Figure.entity_id.in_(subjects), by_metric)
        hits += [
            sid
            for sid in dict.fromkeys(session.scalars(query.order_by(Figure.id.desc()).limit(SUBJECT_WINDOW)))
            if sid not in hits
        ]
    for expression, window in _searches(names, groups):
        found = with_figures(session, candidate_sentences(session, expression, limit=window))
        hits.extend(sid for sid in found if sid not in hits)
        if len(hits) >= MIN_CANDIDATES:
            break
    if not hits:
        return []
    entity_sentences: set[int] = set()
    if plan.entity_id is not None:
        entity_sentences = set(
            session.scalars(
                select(Mention.sentence_id).where(Mention.entity_id == plan.entity_id, Mention.sentence_id.in_(hits))
            )
        )
    figures = figures_in(session, hits)
    sentence_stems: dict[int, set[str]] = {}
    for fig in figures:
        if fig.sentence_id not in sentence_stems:
            sentence_stems[fig.sentence_id] = set(stems(fig.sentence))
        fig.score = score_figure(
            plan, fig, sentence_stems[fig.sentence_id], fig.sentence_id in entity_sentences, focus_ids
        ) + (wish.score(fig) if wish else 0.0)
    return sorted(figures, key=lambda f: (-f.score, -f.sentence_id))


def _searches(names: Group | None, groups: list[Group]) -> Iterator[tuple[str, int]]:
    """Searches from strict to loose, each reading a bounded window: every word; all but one; any two (so a
    sentence sharing most of the query's words is found even when one word is the user's, not the article's);
    then any word, in a shorter window. A name other than the followed company's is always required."""
    seen: set[str] = set()
    subsets: list[list[Group]] = [groups]
    n = len(groups)
    for size in sorted({n - 1, 2}, reverse=True):
        if 2 <= size < n:
            subsets += [list(c) for c in itertools.combinations(groups, size)][:10]
    for subset in subsets:
        expression = match_expression([names, *subset] if names else subset, "AND")
        if expression and expression not in seen:
            seen.add(expression)
            yield expression, FIGURE_WINDOW
    loose = match_expression(groups, "OR")
    if loose and n > 1:
        yield (f"{group_expression(names)} AND ({loose})" if names else loose), FIGURE_WINDOW // 2
    if names and groups:  # the name alone: its figures, scored by the query's words
        yield group_expression(names) or "", FIGURE_WINDOW // 2


def entity_names(session: Session, entity_id: int) -> Group:
    aliases = list(session.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == entity_id)))
    return alias_group(aliases)


def with_figures(session: Session, sentence_ids: list[int]) -> list[int]:
    if not sentence_ids:
        return []
    keep = set(session.scalars(select(Figure.sentence_id).where(Figure.sentence_id.in_(sentence_ids))))
    return [sid for sid in sentence_ids if sid in keep]


def score_figure(
    plan: Plan, fig: FigureHit, sentence_stems: set[str], entity_in_sentence: bool, focus_ids: set[int]
) -> float:
    context = fig.context
    unit_stems = unit_words(fig.unit) if fig.kind == "count" else frozenset()
    period_stems = phrase_stems(fig.period or "")
    groups: list[Group] = plan.groups
    covered = sum(g.coverage(sentence_stems) for g in groups) / len(groups)
    near = sum(g.matched_by(context | unit_stems) for g in groups) / len(groups)
    # Short sentences about the query beat long ones that mention it in passing.
    score = 3.0 * covered + 2.0 * near + 1.0 / (1.0 + len(sentence_stems) / 25.0)
    if any(g.matched_by(unit_stems) for g in groups):
        score += 2.0
    for g in groups:
        if g.period and phrase_stems(" ".join(g.period)) & period_stems:
            score += 1.5
    if plan.wants:
        score += 1.5 if fig.kind in plan.wants else -2.0
    # What the figure measures, by name: "revenue" is answered by revenue before customer management revenue.
    metric_stems = phrase_stems(fig.metric or "") - PERIOD_STEMS
    if metric_stems:
        asked = set().union(*(s for g in groups for s in g.stem_sets))
        matched = sum(g.matched_by(metric_stems | unit_stems) for g in groups) / len(groups)
        score += 3.0 * matched - 0.5 * len(metric_stems - asked) * (matched > 0)
        place = place_in(fig.metric or "")
        if place and not phrase_stems(place) <= asked:  # staff in one country do not answer for the company
            score -= 5.0
    score += _status_fit(plan.query, fig.status)
    entity_id = fig.entity_id
    if plan.entity_id is not None:
        if entity_id == plan.entity_id:
            score += 3.0
        else:  # another subject's figure is context at most, never the answer
            score -= 5.0 if entity_id is not None else 2.0
    elif entity_id is not None and entity_id not in focus_ids:
        score -= 1.5  # a figure about another company, when the query names none
    if fig.conversion_of_id is not None:
        score -= 1.0  # the amount as first reported leads; its conversion rides along
    if fig.period_end is None and fig.as_of is None:
        score -= 0.5  # a figure that says when it held leads one that does not ("to 14.5% from 8.1%")
    return score


PERIOD_STEMS = frozenset(
    {"quarterli", "annual", "plan", "so", "far", "thi", "year", "over", "recent", "quarter", "sever"}
)
_DONE = re.compile(r"\b(?:spent|already|so far|to date|reported|actual|actually|did|has|have)\b", re.I)
_PLANNED = re.compile(r"\b(?:plan|plans|planned|pledge|pledged|commit|committed|will|going to|budget|target)\b", re.I)


def _status_fit(query: str, status: str) -> float:
    """A question about what was spent prefers reported figures; one about a plan prefers plans."""
    if _PLANNED.search(query):
        return 1.0 if status in ("plan", "forecast") else 0.0
    if _DONE.search(query):
        return 1.5 if status == "actual" else -1.0
    return 0.5 if status == "actual" else 0.0  # what is, before what is planned or expected


_GROWTH_ASKED = re.compile(
    r"\b(?:grow|grew|growing|growth|fast|faster|rise|rising|increase|increasing|change|up|"
    r"down|decline)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?P<y>(?:19|20)\d{2})\b")
_HOW_MANY = re.compile(
    r"\bhow\s+many\s+(?P<noun>(?:[\w-]+\s+){0,2}?[\w-]+?)(?=\s+(?:do|does|did|has|have|had|are|is|"
    r"were|was|will|would|can|could)\b|\s*\??$)",
    re.I,
)


@lru_cache(maxsize=4)
def _shared_cues(vocab: Vocabulary) -> frozenset[str]:
    """Single-word stems that occur in the cues of two metrics of the same kind of figure ("share": a share
    price change and a market share are both percentages), so naming one of them is ambiguous."""
    seen: dict[tuple[str, str], set[str]] = {}
    for e in vocab.metrics:
        for cue in (*e.any, *e.all):
            for word in cue.split():
                for kind in e.kinds:
                    seen.setdefault((word, kind), set()).add(e.name)
    return frozenset(w for (w, _kind), names in seen.items() if len(names) > 1)


@dataclass
class Wish:
    """What a question asks of a figure beyond its words: a metric the vocabulary names ("market share"), a
    year ("capex 2024"), growth rather than a level ("how fast is … growing")."""

    metrics: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    growth: bool = False
    counted: frozenset[str] = frozenset()  # "how many startups": what the count must count
    period: tuple[date, date] | None = None  # a quarter, half or fiscal year the question names
    period_text: str = ""  # as the question wrote it
    any_year: bool = False  # "the June quarter": that quarter of any year, the newest first
    metric_kinds: frozenset[str] = frozenset()  # the kinds of figure the wished metrics are (percent, money, count)

    def period_ok(self, fig: FigureHit) -> bool:
        if self.period is None:
            return True
        start, end = self.period
        if fig.period_start is not None and fig.period_end is not None:
            if self.any_year:
                return (fig.period_start.month, fig.period_end.month, fig.period_end.day) == (
                    start.month,
                    end.month,
                    end.day,
                ) and (fig.period_end - fig.period_start).days < 100
            return abs((fig.period_start - start).days) <= 3 and abs((fig.period_end - end).days) <= 3
        return not self.any_year and fig.as_of is not None and start <= fig.as_of <= end

    def metric_ok(self, fig: FigureHit) -> bool:
        return not self.metrics or any(m.lower() in (fig.metric or "").lower() for m in self.metrics)

    def year_ok(self, fig: FigureHit) -> bool:
        if not self.years:
            return True
        start = fig.period_start or fig.as_of or fig.placed_on
        end = fig.period_end or fig.as_of or fig.placed_on
        return start is not None and end is not None and any(start.year <= y <= end.year for y in self.years)

    def score(self, fig: FigureHit) -> float:
        score = 0.0
        if self.metrics:
            score += 3.0 if self.metric_ok(fig) else -3.0
        if self.years:
            score += 2.0 if self.year_ok(fig) else -2.0
        if self.growth:
            score += 1.5 if (fig.metric or "").endswith("growth") or "change" in (fig.metric or "") else -0.5
        if self.counted:
            unit = frozenset(stems_text(f"{fig.unit or ''} {fig.metric or ''}").split())
            score += 3.0 if fig.kind == "count" and self.counted & unit else -1.0
        return score


# A question may name a period: a quarter, a half, a fiscal year ("FY25 Q3", "the June quarter", "H1 2025").
_MAY_ASK_PERIOD = re.compile(r"quarter|half|fiscal|\bFY|\bQ[1-4]\b|\bH[12]\b|\d{4}\s?Q[1-4]", re.I)
_RELATIVE = re.compile(r"previous|prior|preceding|year-ago|year ago|latest|last|current|same|this|next|past", re.I)


def asked_period(query: str, calendar: FiscalCalendar) -> tuple[tuple[date, date], str, bool] | None:
    """The quarter, half or fiscal year a question names, read by the grammar articles are read with, fiscal
    labels by `calendar`: (start, end), the phrase, and whether the phrase left the year out ("the June quarter",
    "the quarter ended September 30": that quarter of any year). Relative periods ("last quarter") are left to
    the newest-first order."""
    if not _MAY_ASK_PERIOD.search(query):
        return None
    fiscal = re.search(r"\bfiscal\b|\bFY", query, re.I) is not None
    resolver = Resolver(
        TimeContext(today=date.today(), dated=True, fiscal_text=fiscal),
        calendar if fiscal else CALENDAR_YEAR,
        anchor=None,
    )
    for found in find_periods(query, resolver):
        p, phrase = found.period, query[found.start : found.end]
        if p is None or p.start is None or p.end is None or p.weak or found.comparison or _RELATIVE.search(phrase):
            continue
        if p.kind in ("quarter", "half") or (p.kind == "year" and fiscal):
            return (p.start, p.end), phrase.strip(), not re.search(r"\d{2}", phrase)
    return None


def read_wish(query: str, vocab: Vocabulary | None, calendar: FiscalCalendar | None = None) -> Wish:
    """What the query asks of a figure. A metric is wished for only when the query names it unambiguously: a
    word that several metrics use ("share", "revenue", "downloads") wishes for none of them; "how many
    startups" asks for a count of startups, whatever else the query mentions. A named period (see
    `asked_period`) replaces the years it is written with."""
    metrics: tuple[str, ...] = ()
    if vocab is not None:
        many = _HOW_MANY.search(query)
        text = " " + stems_text(many.group("noun") if many else query) + " "
        shared = _shared_cues(vocab)
        scored = []
        for e in vocab.metrics:
            if many and "count" not in e.kinds:
                continue
            hits = [w for w in e.any if f" {w} " in text]
            if not hits or not all(f" {w} " in text for w in e.all):
                continue
            hits = [
                w for w in hits if not any(w != o and f" {w} " in f" {o} " for o in hits)
            ]  # "share" in "share price"
            if all(" " not in w and w in shared and w not in stems_text(e.name).split() for w in hits) and not e.all:
                continue  # an ambiguous word: it names no one metric (but "revenue" names the metric "revenue")
            scored.append((sum(len(w.split()) for w in hits) + len(e.all), e))
        best = max((score for score, _ in scored), default=0)
        tied = [e for score, e in scored if score == best]
        # "share price" asks for the price, not its change: a metric the query names whole wins the tie
        named = [e for e in tied if set(stems_text(e.name).split()) <= set(text.split())]
        longest = max((len(e.name.split()) for e in named), default=0)  # "share price change" over "share price"
        metrics = tuple(e.name for e in ([e for e in named if len(e.name.split()) == longest] or tied))
    years = tuple(int(m.group("y")) for m in _YEAR.finditer(query))
    counted = frozenset(stems_text(many.group("noun")).split()) if many else frozenset()
    period = asked_period(query, calendar or CALENDAR_YEAR)
    kinds = frozenset(k for m in (vocab.metrics if vocab else ()) if m.name in metrics for k in m.kinds)
    if period is not None:
        return Wish(metrics, (), bool(_GROWTH_ASKED.search(query)), counted, *period, metric_kinds=kinds)
    return Wish(metrics, years, bool(_GROWTH_ASKED.search(query)), counted, metric_kinds=kinds)


def figures_in(session: Session, sentence_ids: list[int]) -> list[FigureHit]:
    return load_figures(session, Figure.sentence_id.in_(sentence_ids))


def is_figure_question(plan: Plan, figures: list[FigureHit]) -> bool:
    if plan.wants:
        return True
    best = figures[0]
    unit_stems = unit_words(best.unit)
    metric_stems = set(stems(best.metric or ""))  # "acme buyback": the query names what the figure measures
    return any(g.matched_by(unit_stems) or g.matched_by(metric_stems) for g in plan.groups) or any(
        g.period and g.matched_by(set(stems(best.period or ""))) for g in plan.groups
    )


def figure_answer(
    answer: Answer, figures: list[FigureHit], keep_lead: bool = False, wanted: Callable[[FigureHit], bool] | None = None
) -> Answer:
    """Claims best first; a series of the top claim leads, newest first, unless the question named the year
    it wants (`keep_lead`), when the best claim for that year stays first. A period the question names
    (`wanted`) picks the step of the measure asked about: its claim leads, the rest of the series after it."""
    converted = {c.id for f in figures for c in f.conversions}
    claims = group_claims([f for f in figures if f.id not in converted][:MAX_SCORED])
    claims.sort(key=lambda c: -(c.score + 0.4 * math.log1p(len(c.articles) - 1)))
    series = find_series(claims)
    if series:
        rest = [c for c in claims if c not in series]
        step = next((c for c in series if wanted(c.lead)), None) if wanted else None
        claims = (
            [step, *[c for c in series if c is not step]]
            if step is not None
            else [claims[0], *[c for c in series if c is not claims[0]]]
            if keep_lead
            else series
        ) + rest
        answer.timeline = series
    elif wanted and claims and not wanted(claims[0].lead):
        top = claims[0].lead
        # The same measure in the period asked for, else one of the best few claims that is of that period.
        step = next((c for c in claims if wanted(c.lead) and same_measure(top, c.lead)), None) or next(
            (c for c in claims[:3] if wanted(c.lead)), None
        )
        if step is not None:
            claims = [step, *[c for c in claims if c is not step]]
    answer.kind = "figure"
    answer.claims = claims[:MAX_CLAIMS]
    lead = answer.claims[0].lead if answer.claims else None
    for claim in answer.claims[1:]:
        for fig in claim.figures:
            fig.show_subject = lead is not None and fig.entity_id != lead.entity_id
    answer.series = chart_points(answer.timeline, answer.claims)
    answer.notes.extend(difference_notes(answer.claims, answer.timeline))
    return answer


_IN_CURRENCY = re.compile(r"\b(?:in|into|as)\s+(?P<cur>[A-Za-z.$]+(?:\s+[A-Za-z.$]+)?)", re.I)


def asked_currency(query: str, rules: Rules) -> tuple[str | None, str]:
    """The currency a question asks its amount in ("in dollars", "in Swiss francs", "in EUR": any currency name or
    code the amount reader knows) and the question without that phrase; (None, query) when it names none."""
    for m in _IN_CURRENCY.finditer(query):
        words = m.group("cur").split()
        for n in (2, 1):
            if len(words) < n:
                continue
            key = lexeme_key(" ".join(words[:n]))
            lexeme = rules.amounts.exact.get(key) or rules.amounts.folded.get(key.lower())
            if lexeme is not None and lexeme.kind == "currency" and lexeme.unit:
                end = m.start("cur") + len(" ".join(words[:n]))
                return lexeme.unit, f"{query[: m.start()]} {query[end:]}".strip()
    return None, query


IN_CURRENCY_ASKED = 2.0  # what an amount in the currency asked for gains over one that would need converting


def in_currency(figures: list[FigureHit], code: str) -> list[FigureHit]:
    """The figures with each amount in `code` where a conversion to it is stored beside the original: the
    conversion stands in the original's place and with its score, the original riding along as its conversion;
    the amounts in `code` lead."""
    out: list[FigureHit] = []
    for fig in figures:
        conv = next((c for c in fig.conversions if c.unit == code), None)
        if fig.kind == "money" and fig.unit != code and conv is not None:
            original = dataclasses.replace(fig, conversions=[])
            fig = dataclasses.replace(
                conv,
                score=fig.score + IN_CURRENCY_ASKED,
                conversions=[original],
                conversion_of_id=None,
                context=fig.context,
                entity_id=fig.entity_id,
                entity=fig.entity,
                metric=fig.metric,
                status=fig.status,
                period=fig.period,
                period_start=fig.period_start,
                period_end=fig.period_end,
                period_kind=fig.period_kind,
                as_of=fig.as_of,
                placed_on=fig.placed_on,
            )
        elif fig.kind == "money" and fig.unit == code and fig.conversion_of_id is not None:
            continue  # a stored conversion is offered through its original, above
        elif fig.kind == "money" and fig.unit == code:
            fig = dataclasses.replace(fig, score=fig.score + IN_CURRENCY_ASKED)
        out.append(fig)
    # An amount in the currency asked for answers before one that would need converting.
    return sorted(out, key=lambda f: (f.kind == "money" and f.unit != code, -f.score, -f.sentence_id))
