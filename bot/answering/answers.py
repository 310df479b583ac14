"""The answerer: reads the query, plans it against the corpus's vocabulary and dispatches to a figure answer, an
entity card, passages or an honest none (figure_select, cards, passages)."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answering.cards import entity_answer
from bot.answering.facing import facing_of, with_examples
from bot.answering.figure_select import (
    Wish,
    asked_currency,
    entity_names,
    figure_answer,
    figure_candidates,
    in_currency,
    is_figure_question,
    read_wish,
)
from bot.answering.model import Answer, FigureHit, describe_period
from bot.answering.moments import Moment, read_moment
from bot.answering.passages import none_answer, passages
from bot.answering.query import Lexicon, Plan, clean_query, english_words, looks_like_name, plan_query
from bot.answering.questions import answer_question, asked_whose, read_question
from bot.answering.semantic import related_words
from bot.answering.timing import (
    changes_since,
    in_time,
    known_too_early,
    lead_newest,
    out_of_time,
    restrict,
    stamp,
)
from bot.answering.views.answer_text import render_text
from bot.answering.views.wording import Facing
from bot.reading.entities import alias_key
from bot.reading.measures import vocabulary_of
from bot.reading.periods import calendars_of
from bot.rules import Rules
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.models import Entity
from bot.store.search import Group, lookup
from bot.store.timespan import article_span
from bot.store.vocabulary import corpus_version, corpus_words
from bot.store.words import phrase_stems, stems, unit_words

_FISCAL = r"(?:fiscal\s+(?:year\s+)?|FY\s?)"
_PERIOD_NAME = re.compile(
    rf"{_FISCAL}?(?:19|20)?\d{{2}}\s*(?:Q[1-4]|H[12])|"
    rf"(?:Q[1-4]|H[12])\s*{_FISCAL}?(?:19|20)?\d{{2}}|{_FISCAL}(?:19|20)?\d{{2}}",
    re.I,
)
HELP_WORDS = {"help", "?", "usage", "commands"}
_HOW_MUCH = re.compile(
    r"^\s*(?:how\s+(?:much|many|big|large|fast|high|low|long|old|tall|small)|what\s+(?:share|"
    r"percentage|portion|proportion|amount|number))\b",
    re.I,
)


class Answerer:
    """Answers queries against one database; caches what the corpus knows until it changes. `today` is the
    clock answers are dated by ("now", how old the newest figure is): the real date unless one is passed in."""

    def __init__(self, settings: Settings, rules: Rules, today: Callable[[], date] = date.today) -> None:
        self.settings = settings
        self.today = today
        self.rules = rules
        self.focus = {e.name for e in rules.catalog if e.focus}
        self.vocabulary = vocabulary_of(rules.metrics)
        self.calendars = calendars_of(rules.fiscal)
        self.question_words = rules.questions
        self._lock = threading.Lock()
        # Answering is CPU work under one interpreter lock: fifty at once would each wait on the others, and the
        # threads that acknowledge Slack's requests within its three seconds would wait behind them all.
        self._running = threading.BoundedSemaphore(max(1, settings.answers_at_once))
        self._version: tuple[int, int] | None = None
        self._lexicon = Lexicon({}, set(), set())
        words = sorted((re.escape(d) for d in self.rules.descriptors), key=len, reverse=True)
        self._descriptor_re = re.compile(r"\b(" + "|".join(words) + r")\b", re.IGNORECASE)

    def ask(self, raw: str) -> Answer:
        query = clean_query(raw)
        with self._running, session_scope(self.settings.database_url) as session, lookup(session):
            answer = self._answer(session, query)
            facing = self.facing(session) if answer.kind == "help" else None
        answer.text = render_text(answer, facing)
        return answer

    def facing(self, session: Session | None = None) -> Facing:
        """How the bot presents itself for the pack it follows, with example lookups from the corpus."""
        if session is None:
            with session_scope(self.settings.database_url) as opened:
                return self.facing(opened)
        return with_examples(facing_of(self.settings, self.rules.company), session, self.rules)

    # -- the corpus's vocabulary -------------------------------------------------------------
    def lexicon(self, session: Session) -> Lexicon:
        key = corpus_version(session)
        with self._lock:
            if key != self._version:
                words = corpus_words(session, self.focus)
                self._lexicon = Lexicon(
                    words.aliases,
                    words.terms,
                    {s for t in words.terms for s in stems(t)},
                    sorted(words.terms, key=lambda t: (len(t), t)),
                    words.names,
                    words.focus_ids,
                    words.articles,
                    place_ids=words.place_ids,
                )
                self._version = key
            return self._lexicon

    # -- dispatch ------------------------------------------------------------------------------
    def _wish(self, session: Session, query: str, entity_id: int | None) -> Wish:
        """What the query asks of a figure; fiscal labels read by the calendar of the name asked about, else of
        the followed company."""
        name = session.scalar(select(Entity.name).where(Entity.id == entity_id)) if entity_id is not None else None
        calendar = self.calendars.by_name.get(name or "") or self.calendars.of(min(self.focus, default=None))
        return read_wish(query, self.vocabulary, calendar)

    def _answer(self, session: Session, query: str) -> Answer:
        """The answer at the moment the query asks about (`bot.answering.moments`), stamped with how fresh it is."""
        lexicon = self.lexicon(session)
        if not query or query.lower() in HELP_WORDS:
            return Answer(query=query, kind="help", corpus_size=lexicon.articles)
        span, today = article_span(session), self.today()
        moment = read_moment(query, span[1], today)
        answer = Answer(query=query, kind="none", corpus_size=lexicon.articles)
        if moment.since is not None:
            answer = changes_since(session, answer, moment, self.rules, lexicon)
        elif moment.rest and not known_too_early(moment, span):  # else `stamp` says why there is no answer
            answer = restrict(session, self._answer_at(session, query, moment, lexicon), moment)
        return stamp(answer, moment, span, today)

    def _answer_at(self, session: Session, shown: str, moment: Moment, lexicon: Lexicon) -> Answer:
        """The answer to the query without its time words (`moment.rest`); figures only of the moment."""
        query, size = moment.rest, lexicon.articles
        answer = Answer(query=shown, kind="none", corpus_size=size)
        question = read_question(query, self.question_words)
        if question is not None:
            asked = answer_question(
                session,
                question,
                answer,
                self.rules,
                lexicon,
                self.question_words,
                lambda eid, a: entity_answer(session, eid, a, self._descriptor_re),
                lambda p: passages(session, p),
            )
            if asked is not None:
                return asked
            answer = Answer(query=shown, kind="none", corpus_size=size)
        currency, query_words = asked_currency(query, self.rules)
        plan = plan_query(query_words, self.rules, lexicon)
        label = session.scalar(select(Entity.name).where(Entity.id == plan.entity_id)) if plan.entity_id else None
        if label and _PERIOD_NAME.fullmatch(label):  # "FY2026 Q1" stored as a name is the period asked, no one's
            plan = plan_query(re.sub(re.escape(label), " ", query_words, flags=re.I), self.rules, lexicon)
        if self.settings.semantic_search:
            widen(plan, lexicon)
        answer.notes.extend(plan.notes)
        for typed, fixed in plan.corrections.items():
            answer.notes.append(f"Read “{typed}” as “{fixed}”.")
        if _unanswerable(plan) and (plan.entity_id is None or not plan.groups):
            if plan.entity_id is None:
                return none_answer(answer, plan, lexicon, self.rules)
            answer = entity_answer(session, plan.entity_id, answer, self._descriptor_re)
            answer.notes.append(
                f"Nothing in the articles about “{' '.join(plan.unknown)}”; here is what they say about "
                f"{answer.entity.name if answer.entity else 'it'}."
            )
            return answer
        if plan.entity_id is not None and not plan.groups:
            return entity_answer(session, plan.entity_id, answer, self._descriptor_re)
        if not plan.groups:
            return none_answer(answer, plan, lexicon, self.rules)
        wish = self._wish(session, query, plan.entity_id)
        figures = figure_candidates(session, plan, lexicon.focus_ids, wish)
        if figures and not (figures := in_time(figures, moment)):
            answer.notes.append(out_of_time(query, moment))
            return answer  # no passage from another time stands in for the figures of this one
        named_metric = bool(wish.metrics) and any(wish.metric_ok(f) for f in figures[:10])
        refused = False
        if figures and (is_figure_question(plan, figures) or _HOW_MUCH.search(query) or named_metric):
            if currency is not None:
                figures = in_currency(figures, currency)
            unknown = _unknown_whose(query, plan, lexicon)
            answered = _figures_asked(session, plan, wish, figures, answer, unknown, _kinds_asked(query, plan, wish))
            if answered is not None:
                newest_first = (moment.recent or moment.as_of) and wish.period is None and not wish.years
                return lead_newest(answered) if newest_first else answered
            refused = True
        found = passages(session, plan)
        if found:
            answer.kind, answer.passages = "passages", found
            return answer
        if plan.entity_id is not None:
            answer = entity_answer(session, plan.entity_id, answer, self._descriptor_re)
            if refused:  # the card, without figures that would read as the answer refused above
                answer.claims = []
            topic = " ".join(g.label for g in plan.groups)
            name = answer.entity.name if answer.entity else "it"
            answer.notes.append(
                f"Nothing in the articles ties “{topic}” to {name}; here is what they say about {name}."
            )
            return answer
        return none_answer(answer, plan, lexicon, self.rules)


def _unanswerable(plan: Plan) -> bool:
    """Words the articles lack that matter: a name, or as many as the words they have."""
    return bool(plan.unknown) and (
        not plan.groups
        or any(looks_like_name(w) for w in plan.unknown)
        or len(plan.unknown) * 2 >= len(plan.groups) + len(plan.unknown)
    )


def _unknown_whose(query: str, plan: Plan, lexicon: Lexicon) -> Group | None:
    """The name a question asks a figure of ("how much revenue did X make") when it is no name the corpus
    knows: only a figure whose sentence names it may answer. None when the question asks of a known name
    (the plan's), the followed company or no one in particular."""
    who = asked_whose(query)
    if who is None or plan.entity_id is not None:
        return None
    key = alias_key(who)
    if key in lexicon.aliases or key.replace(" ", "") in lexicon.squashed:
        return None
    words = tuple(w for w in re.findall(r"[\w&-]+", who.lower()) if len(w) > 1)
    return Group(who, (" ".join(words),)) if words else None


_HOW_MANY_NOUN = re.compile(
    r"\bhow\s+many\s+(?P<noun>.+?)(?=\s+(?:do|does|did|has|have|had|are|is|were|was|will|would|can|could)\b|\s*$)",
    re.I,
)


def _counted_groups(plan: Plan) -> list[Group]:
    """The query's word groups naming what "how many" counts ("how many gigawatts of capacity": gigawatts,
    capacity); empty when the question is no "how many" one."""
    m = _HOW_MANY_NOUN.search(plan.query)
    if m is None:
        return []
    noun = set(stems(m.group("noun")))
    # A concept's words (users, parameters) are checked by the kind and metric they want; another word
    # (gigawatts, hospitals) must be what the figure counts.
    return [g for g in plan.groups if g.matched_by(noun) and not g.wants]


def _kinds_asked(query: str, plan: Plan, wish: Wish) -> frozenset[str]:
    """The kinds of figure that can answer: "how many" asks for a count whatever it counts; otherwise the kinds
    the query's words want (revenue: money; how fast it grows: a percent too; "operating margin", a metric named
    outright: its own kinds), none when they want none."""
    if re.search(r"\bhow\s+many\b", query, re.I):
        return frozenset({"count"})
    wants = set(plan.wants)
    if wants and wish.growth:
        wants.add("percent")
    if wants:
        wants |= wish.metric_kinds
    return frozenset(wants)


def widen(plan: Plan, lexicon: Lexicon) -> None:
    """Each word group with the articles' words of the same meaning. An English word the articles lack is
    searched through those words, if any ("fall" through "fell", "declined"); with none it stays unknown."""
    plan.semantic = True
    plan.groups = [expand(g, lexicon) for g in plan.groups]
    for word in [w for w in plan.unknown if w.lower() in english_words()]:
        group = expand(Group(word.lower(), (word.lower(),)), lexicon)
        if group.related:
            plan.groups.append(group)
            plan.unknown.remove(word)


def _figures_asked(
    session: Session,
    plan: Plan,
    wish: Wish,
    figures: list[FigureHit],
    answer: Answer,
    unknown: Group | None = None,
    kinds: frozenset[str] = frozenset(),
) -> Answer | None:
    """The figure answer, or None (with a note saying why) when the best figures are another subject's or
    measure another thing than the one asked for: never those as the answer. `unknown`: a name the question asks
    of that the corpus does not know as one; only a figure whose sentence names it is that name's."""

    names: Group | None = None  # the asked name's aliases, read once

    def whose_ok(f: FigureHit) -> bool:
        nonlocal names
        if unknown is not None:
            return unknown.matched_by(set(stems(f.sentence)))
        if plan.entity_id is None or f.entity_id == plan.entity_id:
            return True
        if f.entity_id is not None:
            return False
        if names is None:
            names = entity_names(session, plan.entity_id)
        return names.matched_by(set(stems(f.sentence)))  # whose it is was not read, but the sentence names it

    # A lead of another subject or metric gives way to the figures that are the ones asked for.
    counted = _counted_groups(plan)

    def kind_ok(f: FigureHit) -> bool:
        if kinds and f.kind not in kinds:
            return False
        # "how many gigawatts": a count of another thing (hospitals, cities) does not answer it; what the count
        # counts is its unit, its metric or the words around it ("employs 3,100 people").
        what = unit_words(f.unit) | phrase_stems(f.metric or "") | f.context
        return not counted or any(g.coverage(what) > 0 for g in counted)

    fitting = [f for f in figures if whose_ok(f) and wish.metric_ok(f) and kind_ok(f)]
    if fitting and fitting[0] is not figures[0] and any(f is fitting[0] for f in figures[:10]):
        figures = fitting
    lead = figures[0]
    topic = " ".join(g.label for g in plan.groups)
    if not whose_ok(lead):
        name = (
            unknown.label
            if unknown is not None
            else (session.scalar(select(Entity.name).where(Entity.id == plan.entity_id)) or "it")
        )
        answer.notes.append(f"No figure in the articles gives {name}’s {topic}.")
        return None
    if not wish.metric_ok(lead):
        answer.notes.append(f"No figure in the articles gives the {' or '.join(wish.metrics)} asked for.")
        return None
    if not kind_ok(lead):  # an amount of money for "how many", a count for "how much revenue"
        answer.notes.append(f"No figure in the articles gives the {topic} asked for.")
        return None
    if not wish.year_ok(lead):
        answer.notes.insert(
            0, f"No figure for {', '.join(map(str, wish.years))} answers “{topic}”; the closest are below."
        )
    if wish.period is None:
        return figure_answer(answer, figures, keep_lead=bool(wish.years))
    answer = figure_answer(answer, figures, wanted=wish.period_ok)
    if answer.claims and not wish.period_ok(answer.claims[0].lead):
        span = "" if wish.any_year else f" ({describe_period(*wish.period, 'quarter', None)})"
        answer.notes.insert(0, f"No figure for {wish.period_text}{span} answers “{topic}”; the closest are below.")
    return answer


def expand(group: Group, lexicon: Lexicon) -> Group:
    """A word group with the articles' words close to the user's word, searched for alongside it."""
    word = group.label
    if " " in word or not word.isalpha() or len(word) < 3 or group.wants:
        return group
    related = related_words(word, lexicon.term_list)
    return dataclasses.replace(group, related=related) if related else group
