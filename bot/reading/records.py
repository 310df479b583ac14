"""From found amounts to figure records: for each, whose it is (subject), what it measures (metric), the period
or as-of date it holds for, and its status, reading the article sentence by sentence so that "the company", "the
previous quarter" and "this year" resolve against what came before."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial

from spacy.tokens import Span, Token

from bot.reading.amount_lists import COMPARED_WITH
from bot.reading.amounts import FoundFigure
from bot.reading.entities import FoundMention
from bot.reading.figure_words import count_unit, counted_words, governing_word, sign, status_words
from bot.reading.measures import (
    FLOW_METRICS,
    LEVEL_METRICS,
    PER_SHARE_STEMS,
    Vocabulary,
    clause_levels,
    decide_status,
    name_metric,
    stems_text,
)
from bot.reading.metric_qualifiers import qualified
from bot.reading.period_model import add_months, previous_quarter
from bot.reading.period_pick import compared_after, pick_period
from bot.reading.periods import (
    Calendars,
    FiscalCalendar,
    Found,
    Period,
    Resolver,
    TimeContext,
    clause_end,
    find_periods,
    quarters_named,
    sentence_anchor,
)
from bot.reading.ranges import range_ends
from bot.reading.rate_base import inherited_rate, led_part, named_business_grew, of_a_flow, rate_base
from bot.reading.said_money import SaidMoney
from bot.reading.sources import held_starts, source_starts
from bot.reading.subjects import Salience, SubjectFinder, is_period_label
from bot.store.words import stem

_FISCAL_LABEL = re.compile(r"\bfiscal\b|\bFY\s?\d|\b(?:19|20)\d{2}\s?Q[1-4]\b", re.I)
NOT_COUNTED = {"times", "fold", "percent", "points"}  # "downloaded 600 million times": the verb says what is counted
ONE_DAY = timedelta(days=1)
INHERIT_SENTENCES = 4  # a flow figure with no period of its own takes the quarter named this close
LEDE_SENTENCES = 3  # the headline, dateline and first paragraph: where a results story names its quarter
LEDE_QUARTER_SENTENCES = 6  # … and a byline and a scene-setting sentence before it


@dataclass
class Measure:
    """What one found figure measures; parallel to the sentence's figures."""

    subject: str | None = None  # a mention name (resolved to an entity at storing)
    metric: str | None = None
    base: str | None = None  # for a growth metric: what grows
    status: str = "actual"
    period: Period | None = None
    as_of: date | None = None


def _token_at(sent: Span, char: int) -> Token:
    for token in sent:
        if token.idx <= char < token.idx + len(token.text) or token.idx > char:
            return token
    return sent[-1]


def _measured_noun(fig: FoundFigure, sent: Span) -> Token | None:
    """The counted noun of a count ("400 million downloads" -> downloads), if the figure has one."""
    if fig.kind != "count" or not fig.unit:
        return None
    last = _token_at(sent, fig.end - 1)
    if last.pos_ not in ("NOUN", "PROPN"):
        return None
    # "64 million installs for Orbit": the name a count is for is whose count it is
    named = [o for p in last.rights if p.dep_ == "prep" and p.lower_ == "for" for o in p.children if o.dep_ == "pobj"]
    return named[0] if named and named[0].pos_ == "PROPN" else last


def lede_quarter(
    named_quarters: dict[int, list[tuple[date, date]]], today: date | None
) -> tuple[tuple[date, date], int] | None:
    """The quarter a results story is about, and the sentence naming it: the latest ended quarter its opening
    sentences name (an older one named there is a comparison: "two years ago, in the March quarter, …")."""
    ended = [
        (q, k)
        for k, qs in named_quarters.items()
        if k <= LEDE_QUARTER_SENTENCES
        for q in qs
        if today is None or q[1] <= today
    ]
    return max(ended, key=lambda qk: (qk[0][1], -qk[1]), default=None)


def quarter_in_force(
    named_quarters: dict[int, list[tuple[date, date]]], index: int, today: date | None = None, *, own: bool = True
) -> tuple[date, date] | None:
    """The reporting quarter in force at sentence `index` (`named_quarters`: the quarters each sentence names):
    one the sentence names (unless not `own`: its periods are its other amounts'); else the quarter a results story
    is about (`lede_quarter`), which holds throughout; else the last one named at most a few sentences before, or,
    for a headline or lede, just after."""
    if own and named_quarters.get(index):
        return named_quarters[index][-1]
    lede = lede_quarter(named_quarters, today)
    if lede is not None:
        return lede[0]
    for i in range(index, index - INHERIT_SENTENCES - 1, -1):
        if named_quarters.get(i):
            return named_quarters[i][-1]
    if index <= 2:
        for i in range(index + 1, index + INHERIT_SENTENCES + 2):
            if named_quarters.get(i):
                return named_quarters[i][0]
    return None


@dataclass
class ArticleReader:
    vocab: Vocabulary
    calendars: Calendars
    ctx: TimeContext
    salience: Salience
    named_quarters: dict[int, list[tuple[date, date]]]  # sentence index -> explicit quarters it names
    said: SaidMoney = field(default_factory=SaidMoney)  # the last money metric said
    counted: str | None = None  # what the last count counted, and in which sentence
    counted_at: int = -10
    previous_subject: str | None = None
    previous_subject_at: int = -10
    rates: dict[str | None, str | None] = field(default_factory=dict)
    rates_at: int = -10

    def quarter_near(self, index: int, *, own: bool = True) -> tuple[date, date] | None:
        return quarter_in_force(self.named_quarters, index, self.ctx.today, own=own)

    def read(
        self, index: int, sent: Span, figures: list[FoundFigure], mentions: list[FoundMention], text: str | None = None
    ) -> list[Measure]:
        """The measures of one sentence's figures, in order; `text` is the sentence's text when the caller has
        it (a span builds it anew each time it is asked)."""
        self.ctx.sentence = index
        text = sent.text if text is None else text
        mentions = [m for m in mentions if not is_period_label(m)]  # "FY2026 Q1" taken for a name
        sentence_cal = _sentence_calendar(self.calendars, mentions)
        _enter_sentence(self.ctx, self.named_quarters, sentence_cal, index, text)
        sources = source_starts(sent, mentions) | held_starts(sent, mentions)
        self.salience.add([m for m in mentions if m.start not in sources])  # a source or a stake is not talked about
        if not figures:  # what follows reads figures; a sentence without any changes nothing more
            return []
        finder = SubjectFinder(sent, mentions, self.salience, sources)  # the names passed over, read once
        if index - self.previous_subject_at <= 1:
            finder.previous = self.previous_subject
        base = sent.start_char
        sentence_stems = " " + stems_text(text) + " "
        opening = self.ctx.opening if self.ctx.opening_at == index else None
        anchor = sentence_anchor(text, self.ctx.today) or opening
        spans = [(f.start - base, f.end - base) for f in figures]
        out: list[Measure] = []
        said_at: date | None = None  # the first date a phrase of this sentence sets a level at
        said_i: int | None = None  # the figure that said the money metric an estimate may be set against
        rates = self.rates if index - self.rates_at <= 1 else {}  # what the growth rates just before grow, by subject
        self.rates, self.rates_at = rates, index
        for i, fig in enumerate(figures):
            if fig.conversion_of is not None and fig.conversion_of < len(out):
                parent = out[fig.conversion_of]
                fig.value = -abs(fig.value) if figures[fig.conversion_of].value < 0 else fig.value  # a loss
                out.append(
                    Measure(parent.subject, parent.metric, parent.base, "converted", parent.period, parent.as_of)
                )
                continue
            last = _token_at(sent, fig.end - 1)
            first = _token_at(sent, fig.start)
            levels = _per_share_own(clause_levels(first, sent, text), fig, text, base)
            status = decide_status(self.vocab, sentence_stems, status_words(first, last))
            sign(fig, first, last, self.vocab)
            bracketed = False
            if fig.kind == "count":  # what the number counts is the noun it modifies, past any adjective
                before = self.counted if index - self.counted_at == 1 else None
                bracketed = count_unit(fig, figures, i, text, base, (first, last), before)
                if fig.unit:
                    self.counted, self.counted_at = fig.unit, index
            subject = finder.find(first if first.pos_ == "NUM" else last, _measured_noun(fig, sent))
            finder.previous = subject or finder.previous
            cal = self.calendars.known(subject) or sentence_cal or self._focus_calendar()
            converts = i + 1 < len(figures) and figures[i + 1].conversion_of == i
            stop = clause_end(text, spans, i, conversion_next=converts)
            future = _said_ahead(status, text, text.rfind(",", 0, fig.start - base) + 1, stop)
            ahead = future and sent.root.tag_ != "VBD"  # a day a past-tense sentence gives is past, whatever it plans
            resolver = Resolver(
                self.ctx, cal, sentence_anchor(text, self.ctx.today, future=True) if ahead else anchor, future=future
            )
            found = find_periods(text, resolver)
            others = spans[:i] + spans[i + 1 :]
            pick = pick_period(found, fig.start - base, fig.end - base, stop, text, others)
            period: Period | None = None
            as_of: date | None = None
            if pick is not None and pick.earlier:
                level = _is_level(first) or COMPARED_WITH.search(text, 0, fig.start - base) is not None
                period, as_of = _year_before(self.quarter_near(index), out, fig, pick, level=level)
            elif pick is not None and pick.same_as_previous and out:
                period, as_of = out[-1].period, out[-1].as_of
            elif pick is not None:
                period, as_of = pick.period, pick.as_of
                said_at = said_at or (as_of if not any(t.dep_ == "relcl" for t in first.ancestors) else None)
            if status == "actual" and period is not None and period.kind == "horizon" and fig.kind == "money":
                status = "plan"
            governing = governing_word(first, (fig.start, fig.end), self.vocab.flows)
            naming_unit = None if bracketed or (fig.unit or "").lower() in NOT_COUNTED else fig.unit
            money_base = self.said.base_for(index, governing, status)
            money_base = money_base or (named_business_grew(first, self.vocab) if fig.kind == "money" else None)

            level = _is_level(first) and not _growth_named(sent, self.vocab)
            per_share = fig.kind == "money" and bool(_PER_SHARE_AFTER.match(text, fig.end - base))
            naming = partial(
                name_metric, self.vocab, fig.kind, naming_unit, levels, governing, level=level, per_share=per_share
            )

            written = f"{fig.text} {counted_words(last)}" if fig.kind == "count" else fig.text
            grew = rate_base(fig, first, self.vocab, levels[0], subject, mentions, rates)
            metric, metric_base = naming(None, grew or self._base(index, subject), written, money_base)
            flow = metric_base in FLOW_METRICS or metric.endswith("growth") or of_a_flow(metric, first, self.vocab)
            dated = pick is not None or not COMPARED_WITH.search(text[: fig.start - base])  # not "from 8.1%"
            if period is None and as_of is None:  # "analysts had expected $4.7 billion": for the amount before's time
                period = self.said.period_for(money_base, metric_base, status)
            if period is None and as_of is None and flow and status in ("actual", "estimate") and dated:
                quarter = self.quarter_near(index, own=not compared_after(found, fig.end - base, others, text))
                if (quarter := _ended_by(quarter, anchor, cal)) is not None:
                    period = Period(quarter[0], quarter[1], "quarter")
            elif period is None and as_of is None and flow and status == "forecast" and not found:
                period = _quarter_ahead(self.named_quarters, index, self.ctx.today)
            if period is not None:
                metric, metric_base = naming(period.kind, grew or self._base(index, subject), written, money_base)
            metric, metric_base = inherited_rate(metric, metric_base, first, rates.get(subject), self.vocab)
            metric, metric_base = led_part(first, fig.kind, [(m.metric, m.base) for m in out]) or (metric, metric_base)
            metric = qualified(self.vocab, metric, metric_base, first, sent, mentions, count=fig.kind == "count")
            if metric_base and "growth" in metric.split():
                rates[subject] = metric_base
            metric, metric_base = _compared_metric(text[: fig.start - base], figures, i, out) or (metric, metric_base)
            if metric_base in self.vocab.names and fig.kind == "money" and _may_point_back(metric, metric_base):
                compared = (pick is not None and pick.earlier) or COMPARED_WITH.search(text, 0, fig.start - base)
                self.said = self.said.after(metric_base, index, subject, period, compared=bool(compared))
                said_i = None if compared else i
            as_of = fig.as_of if as_of is None and period is None else as_of  # a date the amount's own words give
            if period is not None and _level_at_date(period, metric, metric_base, flow):
                as_of = as_of or period.end
                period = None
            if period is None and as_of is None and not flow and status == "actual" and self.ctx.dated and dated:
                as_of = said_at or opening or self.ctx.today  # the date the sentence gave or opens on, else now
            out.append(Measure(subject, metric, metric_base, status, period, as_of))
        if figures:
            self.previous_subject, self.previous_subject_at = finder.previous, index
        range_ends(figures, out, text, base)
        if said_i is not None:  # a range's end may take its time from the other end
            self.said.period = out[said_i].period
        return out

    def _focus_calendar(self) -> FiscalCalendar:
        """The followed company's calendar: a figure whose subject has none of its own is read in its article."""
        return next(
            (cal for name in sorted(self.salience.focus) if (cal := self.calendars.known(name))), self.calendars.default
        )

    def _base(self, index: int, subject: str | None) -> str | None:
        """What a growth rate whose clause names no metric grows: the metric of the same subject's last amount a few
        sentences before ("Operating income grew 9%. … Its rival grew 21%": no operating income growth of its)."""
        recent = index - self.said.at <= INHERIT_SENTENCES
        return self.said.base if recent and subject == self.said.of else None


def _ended_by(quarter: tuple[date, date] | None, anchor: date | None, cal: FiscalCalendar) -> tuple[date, date] | None:
    """ "Twelve months ago, its unit grew 31%": a sentence set on a day before the quarter the story is about
    (`anchor`) measures the latest quarter ended by that day."""
    if quarter is None or anchor is None or anchor >= quarter[0]:
        return quarter
    held = cal.quarter_holding(anchor)
    return held if held[1] <= anchor else previous_quarter(held)


def _sentence_calendar(calendars: Calendars, mentions: list[FoundMention]) -> FiscalCalendar | None:
    """The calendar of the first company the sentence names that has one of its own (a unit: its company's)."""
    return next((cal for m in mentions if (cal := calendars.known(m.name)) is not None), None)


def _compared_metric(
    before: str, figures: list[FoundFigure], i: int, out: list[Measure]
) -> tuple[str, str | None] | None:
    """The metric of the amount a figure is compared with ("values it at $14 billion, up from $6 billion"): the
    same measure at another time, whatever words stand nearer the base."""
    if i == 0 or not out or not COMPARED_WITH.search(before):
        return None
    prev, fig = figures[i - 1], figures[i]
    same_unit = (prev.unit or "") == (fig.unit or "") or (
        fig.kind == "count" and bool(fig.unit) and (prev.unit or "").endswith(f" {fig.unit}")
    )
    if prev.kind != fig.kind or not same_unit or out[-1].metric is None:
        return None
    return out[-1].metric, out[-1].base


def _level_at_date(period: Period, metric: str, base: str | None, flow: bool) -> bool:
    """A price or a value is a level at a date, and so is a count in a month ("12 million users in May")."""
    return (base in LEVEL_METRICS and not metric.endswith("growth")) or (period.kind == "month" and not flow)


def _quarter_ahead(named: dict[int, list[tuple[date, date]]], index: int, today: date | None) -> Period | None:
    """The quarter a forecast that names none is for: the quarter this sentence or the one before names, as the one
    not yet over by the article's date ("For the fiscal second quarter, it guided … It projected revenue of …": a
    quarter named without its year is read as the latest one, a forecast's is the next)."""
    if today is None:
        return None
    for at in (index, index - 1):
        for start, end in reversed(named.get(at, [])):
            if end < today:
                start, end = add_months(start, 12), add_months(end + ONE_DAY, 12) - ONE_DAY
            if end >= today and (start - today).days <= 270:
                return Period(start, end, "quarter")
    return None


_FIRST_CLAUSE = re.compile(r"[^,;:]{0,60}")
_GOES_ON = re.compile(r"\W*(?:that|this|the\s+(?:move|deal|payment|purchase|sale|transaction))\b", re.I)


def _enter_sentence(
    ctx: TimeContext,
    named_quarters: dict[int, list[tuple[date, date]]],
    sentence_cal: FiscalCalendar | None,
    index: int,
    text: str,
) -> None:
    """Set the quarters sentence `index` reads its periods against (`ctx`), reading the fiscal labels it has by
    the calendar of the company it names (`sentence_cal`)."""
    if sentence_cal is not None and _FISCAL_LABEL.search(text):
        # A fiscal label is read by the calendar of the company the sentence is about, not the article's.
        named = quarters_named(text, Resolver(ctx, sentence_cal, None))
        if named:
            named_quarters[index] = named
        else:
            named_quarters.pop(index, None)
    # "the quarter", "the previous quarter": counted from the quarter a results story is about, else from the
    # last one named before this sentence (one this sentence names beside them is another quarter).
    earlier = [k for k in named_quarters if k < index or (k == index and k <= LEDE_SENTENCES)]
    lede = lede_quarter(named_quarters, ctx.today)
    if lede is not None:
        ctx.quarter, ctx.quarter_at = lede
    elif earlier:
        ctx.quarter, ctx.quarter_at = named_quarters[max(earlier)][-1], max(earlier)
    ctx.before = named_quarters[index - 1][-1] if named_quarters.get(index - 1) else None
    # "On March 3 Halvard paid …. That lifted its stake to 38%": the date a sentence opens on, which one
    # that goes on about it shares
    opening = sentence_anchor(_FIRST_CLAUSE.match(text).group(0), ctx.today)  # type: ignore[union-attr]
    if opening is None and ctx.opening_at == index - 1 and _GOES_ON.match(text):
        opening = ctx.opening
    if opening is not None:
        ctx.opening, ctx.opening_at = opening, index


def _may_point_back(metric: str, base: str) -> bool:
    """Whether a later amount that names no metric may be of this one: not a growth rate, not a per-share amount."""
    return not metric.endswith("growth") and "per share" not in base


_PER_SHARE = re.compile(r"\b(?:a|per|each)\s+(?:share|ADS|American depositary share)\b", re.I)


_PER_SHARE_AFTER = re.compile(r"\s*" + _PER_SHARE.pattern, re.I)


def _per_share_own(levels: list[str], fig: FoundFigure, text: str, base: int) -> list[str]:
    """ "Net income rose 11% to $24.7 billion, or $3.30 a share": "a share" after another amount says what that
    amount is, not what this one is; one before the figure ("earnings per share fell 5%") or right after it names
    it."""
    before, after = text[: fig.start - base], text[fig.end - base :]
    if _PER_SHARE.search(before) or re.match(r"\s*" + _PER_SHARE.pattern, after, re.I) or not _PER_SHARE.search(after):
        return levels
    return [PER_SHARE_STEMS.sub(" ", level) for level in levels]


def _growth_named(sent: Span, vocab: Vocabulary) -> bool:
    """ "growth accelerated to 26% from 7%": a percentage that stands at a level is still a growth rate."""
    return any(t.pos_ == "NOUN" and stem(t.text) in vocab.growth for t in sent)


def _is_level(token: Token) -> bool:
    """ "rose to 21%", "from 17%": a percentage after "to" or "from" is where a level stands, not a change."""
    node = token
    for _ in range(3):
        if node.head.i == node.i:
            return False
        if node.dep_ == "pobj" and node.head.lower_ in ("to", "from"):
            return True
        node = node.head
    return False


# "the range it had forecast in October": a forecast made before, for a period the story has reached
_FORECAST_BEFORE = re.compile(
    r"\bhad\s+(?:\w+ly\s+)?(?:forecast|expected|guided|projected|predicted|targeted|estimated|budgeted|planned)\b",
    re.I,
)


def _said_ahead(status: str, text: str, start: int, stop: int) -> bool:
    """Whether a figure is for a period ahead: planned, forecast or estimated, and not said in the past perfect
    (`start`, `stop`: its clause)."""
    return status in ("plan", "forecast", "estimate") and not _FORECAST_BEFORE.search(text, start, stop)


def _year_before(
    quarter: tuple[date, date] | None, out: list[Measure], fig: FoundFigure, pick: Found, *, level: bool = False
) -> tuple[Period | None, date | None]:
    """ "from $7.2 billion a year earlier": the period a year before the one the sentence is about (the figure
    before it in the sentence, else the quarter in force); "the same quarter of 2025" is that one in 2025. A
    growth rate is not dated by its comparison base, unless it is the earlier value itself (`level`: "compared
    with 7 points a quarter before")."""
    back, year = pick.months_back, pick.of_year
    if fig.kind == "percent" and not level:
        return None, None
    before = next((m for m in reversed(out) if m.period is not None or m.as_of is not None), None)
    p = before.period if before is not None else None
    if year is not None:
        now = (p.end if p is not None else None) or (before.as_of if before is not None else None)
        now = now or (quarter[1] if quarter is not None else None)
        if now is None or now.year <= year:
            return None, None
        back = 12 * (now.year - year)
    if p is not None and p.start is not None and p.end is not None:
        return replace(p, start=add_months(p.start, -back), end=add_months(p.end + ONE_DAY, -back) - ONE_DAY), None
    if before is not None and before.as_of is not None:
        return None, add_months(before.as_of, -back)
    if quarter is not None:
        return Period(add_months(quarter[0], -back), add_months(quarter[1] + ONE_DAY, -back) - ONE_DAY, "quarter"), None
    return None, None
