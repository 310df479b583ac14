"""Answers held to a moment: figures as of a date, only what was known by a date, the changes since a date, the
newest first for "now"; and on every answer, how fresh it is (its newest source, and whether its newest figure is
more than a quarter old). What the question asked is read in `bot.answering.moments`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answering.changes import figure_changes
from bot.answering.claims import same_measure
from bot.answering.figure_select import PERIOD_STEMS, Wish, entity_names, read_wish
from bot.answering.model import Answer, Claim, FigureChange, FigureHit, Timing
from bot.answering.moments import Moment
from bot.answering.query import Lexicon, Plan, plan_query
from bot.reading.measures import vocabulary_of
from bot.rules import Rules
from bot.store.models import Entity
from bot.store.search import Group
from bot.store.timespan import articles_from, mention_counts_by
from bot.store.words import phrase_stems, stems

STALE_DAYS = 92  # a figure more than a quarter old is said to be so
SINCE_ARTICLES = 40  # newest articles read for "what changed since"
MAX_CHANGES = 12
REPORTED = ("actual", "converted")


def figure_date(fig: FigureHit) -> date | None:
    """Where a figure stands in time: its period's end, the date its level held at, else its article's date."""
    return fig.period_end or fig.as_of or fig.placed_on or fig.article.sort_date


def article_date(fig: FigureHit) -> date | None:
    return fig.article.sort_date


def fits(moment: Moment) -> Callable[[FigureHit], bool]:
    """Whether a figure belongs to the moment asked about. As of D: a reported figure whose period ended (or
    level held) by D, whenever it was reported; a plan or forecast said by D. Known by D: from an article
    published by D."""

    def ok(fig: FigureHit) -> bool:
        if moment.known_by is not None:
            when = article_date(fig)
            return when is not None and when <= moment.known_by
        if moment.as_of is not None:
            when = figure_date(fig) if fig.status in REPORTED else article_date(fig)
            return when is not None and when <= moment.as_of
        return True

    return ok


def in_time(figures: list[FigureHit], moment: Moment) -> list[FigureHit]:
    if moment.as_of is None and moment.known_by is None:
        return figures
    ok = fits(moment)
    return [f for f in figures if ok(f)]


def known_too_early(moment: Moment, span: tuple[date | None, date | None]) -> bool:
    """Known by a date before the oldest article: nothing was known then."""
    return moment.known_by is not None and span[0] is not None and moment.known_by < span[0]


def out_of_time(topic: str, moment: Moment) -> str:
    """The note for a question whose figures all lie outside the moment asked about."""
    if moment.known_by is not None:
        return f"No article published by {moment.known_by.isoformat()} gives a figure for “{topic}”."
    assert moment.as_of is not None
    return f"No figure for “{topic}” in the articles is for a period ended by {moment.as_of.isoformat()}."


def restrict(session: Session, answer: Answer, moment: Moment) -> Answer:
    """An answer built without the moment (an entity card, passages, who/when) cut to what the moment allows:
    passages and descriptions from articles published by a known-by date, figures as of the date."""
    ok = fits(moment)
    if moment.known_by is not None:
        by = moment.known_by
        answer.passages = [p for p in answer.passages if p.article.sort_date and p.article.sort_date <= by]
        if answer.entity is not None:
            e = answer.entity
            e.descriptions = [p for p in e.descriptions if p.article.sort_date and p.article.sort_date <= by]
            e.articles = [a for a in e.articles if a.sort_date and a.sort_date <= by]
            entity_id = session.scalar(select(Entity.id).where(Entity.name == e.name))
            if entity_id is not None:
                e.mention_count, e.article_count = mention_counts_by(session, entity_id, by)
    if answer.kind == "entity":
        answer.claims = [c for c in answer.claims if ok(c.lead)]
    if answer.kind == "passages" and not answer.passages:
        answer.kind, answer.lead = "none", None
        answer.notes.append(f"Nothing the articles published by {moment.known_by} say answers it.")
    return answer


def lead_newest(answer: Answer) -> Answer:
    """The newest reported period of what the lead figure measures leads ("now", "latest", "as of"): of the same
    measure, or of a kindred one of the same subject ("quarterly capital expenditure" beside a "capital
    expenditure plan"); of two that end together, the shorter period."""
    if not answer.claims:
        return answer
    top = answer.claims[0].lead
    family = [c for c in answer.claims if c.lead is top or same_measure(top, c.lead) or _kin(top, c.lead)]

    def recency(c: Claim) -> tuple[bool, date, int]:
        f = c.lead
        length = (f.period_end - f.period_start).days if f.period_start and f.period_end else 0
        return f.status in REPORTED, figure_date(f) or date.min, -length

    newest = max(family, key=recency)
    if newest is not answer.claims[0]:
        answer.claims = [newest, *[c for c in answer.claims if c is not newest]]
    return answer


def _kin(a: FigureHit, b: FigureHit) -> bool:
    """Kindred measures of one subject: the same kind of figure, metrics sharing a word beyond period words."""
    if a.entity_id is None or a.entity_id != b.entity_id or a.kind != b.kind or (a.unit or "") != (b.unit or ""):
        return False
    return bool((phrase_stems(a.metric or "") & phrase_stems(b.metric or "")) - PERIOD_STEMS)


def changes_since(session: Session, answer: Answer, moment: Moment, rules: Rules, lexicon: Lexicon) -> Answer:
    """What changed in the articles dated on or after the moment's date: each newer figure against the known
    figure of the same subject and measure it follows or contradicts; only those about the topic the question
    names, if any (its words, and the name it asks of unless that is the followed company)."""
    assert moment.since is not None
    plan = plan_query(moment.rest, rules, lexicon) if moment.rest else None
    wish = read_wish(moment.rest, vocabulary_of(rules.metrics)) if moment.rest else Wish()
    about = None
    if plan is not None and plan.entity_id is not None and plan.entity_id not in lexicon.focus_ids:
        about = entity_names(session, plan.entity_id)
    since = moment.since.isoformat()
    answer.kind = "changes"
    ids, count = articles_from(session, moment.since, SINCE_ARTICLES)
    if not ids:
        answer.lead = f"No article is dated {since} or later, so nothing has changed since then in the articles."
        return answer
    found = [
        FigureChange(change.old, change.new, change.kind, change.describe())
        for article_id in ids
        for change in figure_changes(session, [article_id])
        if _about(change.new, plan, about) and _wished(change.new, wish)
    ]
    found.sort(key=lambda c: (c.new.article.sort_date or date.min, c.new.article.published is not None), reverse=True)
    # One line per step: the same old figure and new amount for the same period, from its newest report.
    seen: set[tuple[object, ...]] = set()
    for change in found:
        key = (frozenset((change.old.id, change.new.id)),)
        step = (change.old.id, change.kind, round(change.new.value, 9), change.new.period_end, change.new.as_of)
        if key not in seen and step not in seen:
            seen.update((key, step))
            answer.changes.append(change)
    answer.changes = answer.changes[:MAX_CHANGES]
    read = f"{count} article{'s' if count != 1 else ''} dated {since} or later"
    if count > len(ids):
        read += f" (the newest {len(ids)} read)"
    topic = f" about “{plan.query}”" if plan is not None and plan.query else ""
    answer.lead = (
        f"What changed{topic} since {since}, in the {read}:"
        if answer.changes
        else f"No figure{topic} changed in the {read}."
    )
    return answer


def _wished(fig: FigureHit, wish: Wish) -> bool:
    """The metric the question names, and growth when it asks how fast something grows."""
    metric = fig.metric or ""
    return wish.metric_ok(fig) and (not wish.growth or metric.endswith("growth") or "change" in metric)


def _about(fig: FigureHit, plan: Plan | None, about: Group | None) -> bool:
    if plan is None:
        return True
    if about is not None and not about.matched_by(set(stems(fig.sentence)) | fig.context):
        return False
    words = phrase_stems(fig.metric or "") | fig.context  # what the figure measures, not the whole sentence
    if not plan.groups:
        return True
    return sum(g.coverage(words) for g in plan.groups) / len(plan.groups) >= 0.5


def stamp(answer: Answer, moment: Moment, span: tuple[date | None, date | None], today: date) -> Answer:
    """The moment asked about said in the answer, a date the articles do not reach said plainly, and how fresh
    the answer is: its newest source's date, and a note when its newest reported figure is more than a quarter
    older than the moment asked about (else today)."""
    answer.timing = Timing(moment.as_of, moment.known_by, moment.since)
    answer.notes[:0] = moment.notes
    said = _said(moment)
    if said and answer.kind not in ("changes", "none", "help"):
        if answer.lead is None:
            answer.lead = said
        else:
            answer.notes.insert(len(moment.notes), said)
    if not moment.rest and moment.when is not None and moment.since is None:
        answer.notes.append(f"Say what to look up {moment.written}, for example “revenue {moment.written}”.")
    reach = _reach(moment, span)
    if reach:
        answer.notes.append(reach)
    dated = [a for a in answer.sources if a.sort_date is not None]
    newest_article = max(dated, key=lambda a: (a.sort_date, a.published is not None), default=None)
    if newest_article is not None:
        answer.timing.newest_source = newest_article.sort_date
    # The figures that answer: the lead and its series (the others are context), the changes' newer ones.
    figures = [c.lead for c in answer.claims[:1] + answer.timeline] if answer.kind == "figure" else []
    figures += [c.new for c in answer.changes]
    placed = [d for f in figures if f.status in REPORTED and (d := figure_date(f)) is not None]
    newest = max(placed, default=None)
    answer.timing.newest_figure = newest
    if answer.timing.newest_source is None:
        return answer
    line = f"Newest source: {answer.timing.newest_source.isoformat()}"
    line += "." if newest_article and newest_article.published else " (undated; the latest date its text mentions)."
    reference = moment.as_of or moment.known_by or today
    if newest is not None and (reference - newest).days > STALE_DAYS:
        answer.timing.stale = True
        fig = next(f for f in figures if f.status in REPORTED and figure_date(f) == newest)
        when = fig.when
        months = round((reference - newest).days / 30.44)
        before = "today" if reference == today else reference.isoformat()
        what = when if when.startswith("as of") else f"for {when}" if when else f"from an article of {newest}"
        line += f" The newest figure is {what}, {months} months before {before}."
    answer.notes.append(line)
    return answer


def _said(moment: Moment) -> str:
    if moment.as_of is not None:
        return f"As of {moment.as_of.isoformat()}: figures for periods ended by then, whenever reported."
    if moment.known_by is not None:
        return f"As known by {moment.known_by.isoformat()}: only articles published by then."
    return ""


def _reach(moment: Moment, span: tuple[date | None, date | None]) -> str:
    """A plain note when the moment asked about lies outside the articles' dates."""
    oldest, newest = span
    when = moment.when
    if when is None or oldest is None or newest is None:
        return ""
    cover = f"they run from {oldest.isoformat()} to {newest.isoformat()}"
    if when > newest:
        return f"The articles do not reach {when.isoformat()}: {cover}, so nothing later is known."
    if when < oldest:
        if moment.known_by is not None:
            return f"No article is dated {when.isoformat()} or earlier: {cover}."
        return f"The articles do not reach back to {when.isoformat()}: {cover}."
    return ""
