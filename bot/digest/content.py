"""What a digest says for a period, as data: articles added (and by whom), new figures as labelled facts (results
apart from plans and forecasts), changed figures and disagreements typed as answers type them, new names.
Its parts are laid out once in `sections` and shown by `views/` (text and Block Kit); `as_dict` is `--json`.

A digest's window is the articles added in it. `build_digest` takes it as times ([start, end], `end` the moment
the digest is built, to the microsecond) or, for digests posted one after another, as article ids: those after
the previous digest's last article up to the last one stored when this digest was claimed. Ids only grow, so two
consecutive digests neither lose nor repeat an article added in the second between them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from bot.answering.changes import KNOWN_PER_KEY, Change, figure_changes
from bot.answering.claims import same_claim
from bot.answering.figure_store import amounts
from bot.answering.model import ArticleRef, FigureHit
from bot.store.models import Article, Entity, Figure, Mention, Sentence
from bot.store.stories import copies_of

DEFAULT_PERIOD = timedelta(days=7)
PLAN_STATUSES = ("plan", "forecast", "estimate")  # told apart from results: not what happened
STATUS_LABELS = {
    "actual": "reported",
    "converted": "reported",
    "plan": "plan",
    "forecast": "forecast",
    "estimate": "estimate",
}
# How a disagreement is typed, in the words answers use (bot.answering.claims.Conflict).
CONFLICT_LABELS = {
    "status": "one is not a reported figure",
    "qualifier": "worded differently",
    "disagreement": "sources disagree",
}


@dataclass
class AddedArticle:
    article: ArticleRef
    added_by: str | None  # who added it: a Slack user id, "cli", or a name given on the command line
    added_at: datetime
    added_by_name: str | None = None  # the Slack user's name when the upload was made
    also_in: list[str] = field(default_factory=list)  # other outlets that carried the story (its copies)

    @property
    def who(self) -> str:
        """The adder by name, never as a mention (a digest must not notify every uploader each week)."""
        return self.added_by_name or self.added_by or "unknown"


@dataclass
class Digest:
    start: datetime
    end: datetime
    articles: list[AddedArticle] = field(default_factory=list)
    results: list[FigureHit] = field(default_factory=list)  # new reported figures, by subject
    plans: list[FigureHit] = field(default_factory=list)  # new plans, forecasts and estimates, by subject
    unlabelled: int = 0  # new figures without a subject or metric: counted, not listed
    changed: list[Change] = field(default_factory=list)
    disagreements: list[Change] = field(default_factory=list)
    new_entities: list[tuple[str, str]] = field(default_factory=list)  # names the catalog and the parser agree on
    other_names: int = 0  # names only the parser found, first seen in the period: counted, not listed
    top_entities: list[tuple[str, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.articles

    @property
    def new_figures(self) -> list[FigureHit]:
        return self.results + self.plans

    def as_dict(self) -> dict[str, Any]:
        def change(c: Change) -> dict[str, Any]:
            return {
                "subject": c.new.entity,
                "metric": c.new.metric,
                "kind": c.kind,
                "conflict": CONFLICT_LABELS.get(c.conflict) if c.kind == "contradicts" else None,
                "old": fact_dict(c.old),
                "new": fact_dict(c.new),
            }

        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "empty": self.empty,
            "articles": [
                a.article.as_dict()
                | {
                    "added_by": a.who,
                    "added_by_id": a.added_by,
                    "added_at": a.added_at.isoformat(),
                    "also_in": a.also_in,
                }
                for a in self.articles
            ],
            "new_figures": [fact_dict(f) for f in self.new_figures],
            "unlabelled_figures": self.unlabelled,
            "changed": [change(c) for c in self.changed],
            "disagreements": [change(c) for c in self.disagreements],
            "new_entities": [{"name": n, "type": t} for n, t in self.new_entities],
            "other_new_names": self.other_names,
            "top_entities": [{"name": n, "mentions": c} for n, c in self.top_entities],
        }


def fact_dict(f: FigureHit) -> dict[str, Any]:
    """One figure as a labelled fact: subject, metric, period (as a person reads it) or as-of date, status, date.
    A reported level the text gives no date for holds as of the date it is placed at (its article's), as the
    text view says; a plan without a date has neither."""
    period = f.when if (f.period_start or f.period_end) else None
    as_of = f.as_of or (f.placed_on if period is None and f.status not in PLAN_STATUSES else None)
    return {
        "subject": f.entity,
        "metric": f.metric,
        "value": f.value,
        "unit": f.unit,
        "text": f.text,
        "qualifier": f.qualifier,
        "period": period,
        "period_start": f.period_start.isoformat() if f.period_start else None,
        "period_end": f.period_end.isoformat() if f.period_end else None,
        "as_of": as_of.isoformat() if as_of else None,
        "status": f.status,
        "date": f.placed_on.isoformat() if f.placed_on else None,
        "sentence": f.sentence,
        "article": f.article.as_dict(),
    }


def by_subject(figures: list[FigureHit]) -> list[FigureHit]:
    """Figures grouped by subject (the subject with most new facts first), then by metric and date."""
    counts = Counter(f.entity for f in figures)
    return sorted(
        figures,
        key=lambda f: (-counts[f.entity], f.entity or "", f.metric or "", f.placed_on or f.article.sort_date or 0),
    )


def _is_conversion_pair(c: Change) -> bool:
    """A reported amount beside its conversion into another currency: one fact, not a disagreement."""
    return {c.old.status, c.new.status} <= {"actual", "converted"} and c.conflict == "status"


def disagreements_of(changes: list[Change]) -> list[Change]:
    """Contradictions between two articles, each pair once; a conversion is not a disagreement, and one
    article giving two amounts for a period is left to its figure records."""
    out: list[Change] = []
    pairs: set[frozenset[int]] = set()
    for c in changes:
        pair = frozenset((c.old.id, c.new.id))
        if c.kind != "contradicts" or _is_conversion_pair(c) or c.old.article.id == c.new.article.id:
            continue
        if pair not in pairs:
            pairs.add(pair)
            out.append(c)
    return out


def window(
    start: datetime, end: datetime, after_id: int | None = None, through_id: int | None = None
) -> ColumnElement[bool]:
    """The articles of a digest: added in [start, end], or by id in (after_id, through_id] when given."""
    lower = Article.id > after_id if after_id is not None else Article.added_at >= start
    upper = Article.id <= through_id if through_id is not None else Article.added_at <= end
    return and_(lower, upper)


def build_digest(
    session: Session, start: datetime, end: datetime, *, after_id: int | None = None, through_id: int | None = None
) -> Digest:
    digest = Digest(start, end)
    rows = session.scalars(select(Article).where(window(start, end, after_id, through_id)).order_by(Article.id)).all()
    if not rows:
        return digest
    ids = [a.id for a in rows]
    copies = copies_of(session, ids)  # a story carried by several outlets is listed once, "also in: …"
    digest.articles = [
        AddedArticle(
            ArticleRef(a.id, a.title, a.published, a.source, a.url, a.published or a.mentions_until),
            a.added_by,
            a.added_at,
            a.added_by_name,
            [o for o in copies.get(a.id, []) if o != a.source],
        )
        for a in rows
    ]
    # Known before the period: a condition, not a list of every older article (there may be 100,000).
    before = Article.id <= after_id if after_id is not None else Article.added_at < start
    older = Figure.article_id.in_(select(Article.id).where(before, Article.id.not_in(ids)))
    # Compared with what was known before and with each other: the seeds and this week's upload added together
    # still show how a figure moved from one to the other.
    changes = figure_changes(session, ids, against=or_(older, Figure.article_id.in_(ids)))
    counts = Counter(c.new.entity for c in changes)
    digest.changed = sorted(
        (c for c in changes if c.kind == "changed"),
        key=lambda c: (-counts[c.new.entity], c.new.entity or "", c.new.metric or "", c.new.placed_on or 0),
    )
    digest.disagreements = disagreements_of(changes)
    digest.results, digest.plans, digest.unlabelled = _new_facts(session, ids, older, changes)
    digest.new_entities, digest.other_names = _new_names(session, ids)
    in_period = Mention.sentence_id.in_(select(Sentence.id).where(Sentence.article_id.in_(ids)))
    mentions: Counter[str] = Counter(
        {
            name: int(n)
            for name, n in session.execute(
                select(Entity.name, func.count(Mention.id))
                .join(Mention, Mention.entity_id == Entity.id)
                .where(in_period)
                .group_by(Entity.name)
            )
        }
    )
    digest.top_entities = mentions.most_common(5)
    return digest


def _new_facts(
    session: Session, ids: list[int], older: ColumnElement[bool], changes: list[Change]
) -> tuple[list[FigureHit], list[FigureHit], int]:
    """The period's figures that are news: not a change already listed, not a claim known before, each claim
    once. Those with a subject and metric are split into results and plans; the others are only counted."""
    fresh = amounts(session, Figure.article_id.in_(ids))
    # A fresh figure is old news when an older record is the same claim: same subject and metric (or, for records
    # without a metric, the same words), so only those are read, newest first through their index.
    known = [
        k
        for entity_id, metric in sorted({(f.entity_id, f.metric) for f in fresh}, key=str)
        for k in amounts(
            session,
            and_(
                Figure.entity_id.is_(None) if entity_id is None else Figure.entity_id == entity_id,
                Figure.metric.is_(None) if metric is None else Figure.metric == metric,
                older,
            ),
            limit=KNOWN_PER_KEY,
        )
    ]
    touched = [c.new for c in changes] + [c.old for c in changes]  # listed as a change or disagreement
    seen: list[FigureHit] = []
    for f in sorted(fresh, key=lambda f: f.id):
        if any(same_claim(f, k) for k in [*touched, *known, *seen]):
            continue
        seen.append(f)
    labelled = [f for f in seen if f.entity and f.metric]
    results = by_subject([f for f in labelled if f.status not in PLAN_STATUSES])
    plans = by_subject([f for f in labelled if f.status in PLAN_STATUSES])
    return results, plans, len(seen) - len(labelled)


def _new_names(session: Session, ids: list[int]) -> tuple[list[tuple[str, str]], int]:
    """Names whose first mention is in the period: listed when the catalog knows the name the parser found
    (a heading word or a place read as a name is not news), the others counted. One index seek per name, not
    a pass over every mention of the corpus."""
    in_period = Mention.sentence_id.in_(select(Sentence.id).where(Sentence.article_id.in_(ids)))
    first_article = select(func.min(Mention.article_id)).where(Mention.entity_id == Entity.id).scalar_subquery()
    rows = session.execute(
        select(Entity.name, Entity.type, Entity.from_catalog)
        .where(Entity.id.in_(select(Mention.entity_id).where(in_period)), first_article.in_(ids))
        .order_by(Entity.name)
    ).all()
    listed = [(n, t) for n, t, catalog in rows if catalog]
    return listed, len(rows) - len(listed)
