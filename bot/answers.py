"""Answering a lookup: an entity card, the best figures with their sources, passages, or an honest none."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.answer import Answer, ArticleRef, EntityCard, FigureHit, Passage
from bot.claims import difference_notes, find_series, group_claims
from bot.db import session_scope
from bot.figure_store import load_figures
from bot.models import Article, Entity, EntityAlias, Figure, Mention, Sentence
from bot.query import Lexicon, Plan, clean_query, looks_like_name, plan_query
from bot.render import render_text
from bot.rules import Rules, rules_for
from bot.search import Group, alias_group, candidate_sentences, group_expression, match_expression, ranked_window
from bot.settings import Settings
from bot.words import phrase_stems, stems, unit_words

MAX_CLAIMS = 5
MAX_PASSAGES = 5
MAX_SCORED = 60  # figures grouped into claims, best first
MIN_CANDIDATES = 30  # figure sentences wanted before a looser search is tried
FIGURE_WINDOW = 150  # newest matching sentences read per search
PASSAGE_WINDOW = 120
ENTITY_SAMPLE = 300  # newest mentions read for an entity card
HELP_WORDS = {"help", "?", "usage", "commands"}


class Answerer:
    """Answers queries against one database; caches what the corpus knows until it changes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rules: Rules = rules_for(str(settings.seeds_dir))
        self.focus = {e.name for e in self.rules.catalog if e.focus}
        self._lock = threading.Lock()
        self._version: tuple[int, int, int] | None = None
        self._lexicon = Lexicon({}, set(), set())
        words = sorted((re.escape(d) for d in self.rules.descriptors), key=len, reverse=True)
        self._descriptor_re = re.compile(r"\b(" + "|".join(words) + r")\b", re.IGNORECASE)

    def ask(self, raw: str) -> Answer:
        query = clean_query(raw)
        with session_scope(self.settings.database_url) as session:
            answer = self._answer(session, query)
        answer.text = render_text(answer)
        return answer

    # -- the corpus's vocabulary -------------------------------------------------------------
    def lexicon(self, session: Session) -> Lexicon:
        version = session.execute(text(
            "SELECT (SELECT coalesce(max(id), 0) FROM articles), (SELECT count(*) FROM entity_aliases), "
            "(SELECT count(*) FROM articles)")).one()
        key = (int(version[0]), int(version[1]), int(version[2]))
        with self._lock:
            if key != self._version:
                # Only names the articles mention: a catalog entry nobody wrote about is not an answer.
                mentioned = select(Mention.entity_id).distinct()
                aliases = {k: e for k, e in session.execute(
                    select(EntityAlias.key, EntityAlias.entity_id).where(EntityAlias.entity_id.in_(mentioned)))}
                terms = set(session.scalars(text("SELECT term FROM terms")))
                names = list(session.scalars(select(Entity.name).where(Entity.id.in_(set(aliases.values())))))
                focus = set(session.scalars(select(Entity.id).where(Entity.name.in_(self.focus))))
                self._lexicon = Lexicon(aliases, terms, {s for t in terms for s in stems(t)},
                                        sorted(terms, key=len), names, focus, key[2])
                self._version = key
            return self._lexicon

    # -- dispatch ------------------------------------------------------------------------------
    def _answer(self, session: Session, query: str) -> Answer:
        lexicon = self.lexicon(session)
        size = lexicon.articles
        if not query or query.lower() in HELP_WORDS:
            return Answer(query=query, kind="help", corpus_size=size)
        plan = plan_query(query, self.rules, lexicon)
        answer = Answer(query=query, kind="none", corpus_size=size)
        for typed, fixed in plan.corrections.items():
            answer.notes.append(f"Read “{typed}” as “{fixed}”.")
        unanswerable = plan.unknown and (
            not plan.groups
            or any(looks_like_name(w) for w in plan.unknown)
            or len(plan.unknown) * 2 >= len(plan.groups) + len(plan.unknown)
        )
        if unanswerable and (plan.entity_id is None or not plan.groups):
            if plan.entity_id is None:
                return self._none(session, answer, plan)
            answer = self._entity_answer(session, plan.entity_id, answer)
            answer.notes.append(
                f"Nothing in the articles about “{' '.join(plan.unknown)}”; here is what they say about "
                f"{answer.entity.name if answer.entity else 'it'}."
            )
            return answer
        if plan.entity_id is not None and not plan.groups:
            return self._entity_answer(session, plan.entity_id, answer)
        if not plan.groups:
            return self._none(session, answer, plan)
        figures = self._figure_candidates(session, plan)
        if figures and self._is_figure_question(plan, figures):
            return self._figure_answer(answer, figures)
        passages = self._passages(session, plan)
        if passages:
            answer.kind, answer.passages = "passages", passages
            return answer
        if plan.entity_id is not None:
            answer = self._entity_answer(session, plan.entity_id, answer)
            topic = " ".join(g.label for g in plan.groups)
            name = answer.entity.name if answer.entity else "it"
            answer.notes.append(
                f"Nothing in the articles ties “{topic}” to {name}; here is what they say about {name}."
            )
            return answer
        return self._none(session, answer, plan)

    # -- figures -------------------------------------------------------------------------------
    def _figure_candidates(self, session: Session, plan: Plan) -> list[FigureHit]:
        groups = list(plan.groups)
        names = self._names(session, plan.entity_id) if plan.entity_id is not None else None
        attempts: list[list[Group]] = []
        if names:
            attempts += [[names, *groups]]
        attempts += [groups]
        hits: list[int] = []
        for attempt in attempts:
            for mode in ("AND", "OR") if len(attempt) > 1 else ("AND",):
                if mode == "OR" and names and attempt[0] is names:
                    expression = f"{group_expression(names)} AND ({match_expression(groups, 'OR')})"
                else:
                    expression = match_expression(attempt, mode) or ""
                if not expression:
                    continue
                # A looser OR search reads a shorter window: its matches are mostly noise past the first few.
                window = FIGURE_WINDOW if mode == "AND" else FIGURE_WINDOW // 2
                found = self._with_figures(session, candidate_sentences(session, expression, limit=window))
                hits.extend(sid for sid in found if sid not in hits)
                if len(hits) >= MIN_CANDIDATES:
                    break
            if len(hits) >= MIN_CANDIDATES:
                break
        if not hits:
            return []
        entity_sentences: set[int] = set()
        if plan.entity_id is not None:
            entity_sentences = set(session.scalars(
                select(Mention.sentence_id).where(Mention.entity_id == plan.entity_id,
                                                  Mention.sentence_id.in_(hits))))
        figures = self._load_figures(session, hits)
        focus_ids = self.lexicon(session).focus_ids
        sentence_stems: dict[int, set[str]] = {}
        for fig in figures:
            if fig.sentence_id not in sentence_stems:
                sentence_stems[fig.sentence_id] = set(stems(fig.sentence))
            fig.score = self._score(plan, fig, sentence_stems[fig.sentence_id], fig.sentence_id in entity_sentences,
                                    focus_ids)
        return sorted(figures, key=lambda f: (-f.score, -f.sentence_id))

    def _names(self, session: Session, entity_id: int) -> Group:
        aliases = list(session.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == entity_id)))
        return alias_group(aliases)

    @staticmethod
    def _with_figures(session: Session, sentence_ids: list[int]) -> list[int]:
        if not sentence_ids:
            return []
        keep = set(session.scalars(select(Figure.sentence_id).where(Figure.sentence_id.in_(sentence_ids))))
        return [sid for sid in sentence_ids if sid in keep]

    def _score(self, plan: Plan, fig: FigureHit, sentence_stems: set[str], entity_in_sentence: bool,
               focus_ids: set[int]) -> float:
        context = fig.context
        unit_stems = unit_words(fig.unit) if fig.kind == "count" else frozenset()
        period_stems = phrase_stems(fig.period or "")
        groups: list[Group] = plan.groups
        covered = sum(g.matched_by(sentence_stems) for g in groups) / len(groups)
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
        entity_id = fig.entity_id
        if plan.entity_id is not None:
            if entity_id == plan.entity_id:
                score += 2.5
            elif entity_in_sentence:
                score += 0.5
            else:
                score -= 1.5
        elif entity_id is not None and entity_id not in focus_ids:
            score -= 0.75  # a figure about another company, when the query names none
        if fig.conversion_of_id is not None:
            score -= 1.0  # the amount as first reported leads; its conversion rides along
        return score

    @staticmethod
    def _load_figures(session: Session, sentence_ids: list[int]) -> list[FigureHit]:
        return load_figures(session, Figure.sentence_id.in_(sentence_ids))

    def _is_figure_question(self, plan: Plan, figures: list[FigureHit]) -> bool:
        if plan.wants:
            return True
        best = figures[0]
        unit_stems = unit_words(best.unit)
        return any(g.matched_by(unit_stems) for g in plan.groups) or any(
            g.period and g.matched_by(set(stems(best.period or ""))) for g in plan.groups
        )

    def _figure_answer(self, answer: Answer, figures: list[FigureHit]) -> Answer:
        converted = {c.id for f in figures for c in f.conversions}
        claims = group_claims([f for f in figures if f.id not in converted][:MAX_SCORED])
        claims.sort(key=lambda c: -(c.score + 0.4 * math.log1p(len(c.articles) - 1)))
        series = find_series(claims)
        if series:
            rest = [c for c in claims if c not in series]
            claims = series + rest
            answer.timeline = series
        answer.kind = "figure"
        answer.claims = claims[:MAX_CLAIMS]
        answer.notes.extend(difference_notes(answer.claims, answer.timeline))
        return answer

    # -- entities ------------------------------------------------------------------------------
    def _entity_answer(self, session: Session, entity_id: int, answer: Answer) -> Answer:
        entity = session.get(Entity, entity_id)
        if entity is None:
            return answer
        aliases = [a for a in session.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == entity_id))
                   if a != entity.name]
        mention_count, article_count = session.execute(
            select(func.count(), func.count(func.distinct(Mention.article_id))).where(Mention.entity_id == entity_id)
        ).one()
        # The newest mentions are read in full; counts cover all of them.
        newest = (select(Mention.id).where(Mention.entity_id == entity_id)
                  .order_by(Mention.article_id.desc(), Mention.sentence_id.desc()).limit(ENTITY_SAMPLE))
        rows = session.execute(
            select(Mention.sentence_id, Mention.start, Mention.end, Sentence.text, Sentence.start, Article)
            .join(Sentence, Sentence.id == Mention.sentence_id)
            .join(Article, Article.id == Mention.article_id)
            .where(Mention.id.in_(newest))
        ).all()
        articles = {r[5].id: _ref(r[5]) for r in rows}
        answer.kind = "entity"
        answer.entity = EntityCard(
            name=entity.name, type=entity.type, aliases=aliases, mention_count=int(mention_count),
            descriptions=self._descriptions(rows, articles), article_count=int(article_count),
            articles=sorted(articles.values(), key=lambda a: -(a.sort_date.toordinal() if a.sort_date else 0)),
        )
        sentence_ids = list({r[0] for r in rows})
        if sentence_ids:
            figures = self._load_figures(session, sentence_ids)
            for fig in figures:
                fig.score = (2.0 if fig.entity_id == entity_id else 0.0) - (1.0 if fig.conversion_of_id else 0.0)
                # Amounts with a currency, a counted unit and a period say more than a bare number.
                fig.score += 1.0 if fig.kind == "money" else 0.5 if fig.unit else 0.0
                fig.score += 0.25 if fig.period else 0.0
            converted = {c.id for f in figures for c in f.conversions}
            ordered = sorted((f for f in figures if f.id not in converted), key=lambda f: -f.score)
            claims = group_claims(ordered[:MAX_SCORED])
            claims.sort(key=lambda c: -(c.score + 0.4 * math.log1p(len(c.articles) - 1)))
            answer.claims = claims[:MAX_CLAIMS]
        return answer

    def _descriptions(self, rows: Sequence[Any], articles: dict[int, ArticleRef]) -> list[Passage]:
        scored: dict[str, Passage] = {}
        for _sid, m_start, m_end, sentence, s_start, article in rows:
            if sentence in scored:
                continue
            rel_start, rel_end = m_start - s_start, m_end - s_start
            window = sentence[max(0, rel_start - 60) : rel_end + 60]
            score = 2.0 * len(set(self._descriptor_re.findall(window)))
            if sentence[rel_end : rel_end + 2] == ", " or sentence[max(0, rel_start - 2) : rel_start] == ", ":
                score += 1.0
            words = len(sentence.split())
            score += 1.0 if words < 35 else 0.0
            score -= 0.02 * words
            scored[sentence] = Passage(sentence, articles[article.id], score)
        best = sorted(scored.values(), key=lambda p: -p.score)
        picked: list[Passage] = []
        per_article: Counter[int] = Counter()
        for passage in best:
            if per_article[passage.article.id] < 2:
                picked.append(passage)
                per_article[passage.article.id] += 1
            if len(picked) == 3:
                break
        return picked

    # -- passages and none ---------------------------------------------------------------------
    def _passages(self, session: Session, plan: Plan) -> list[Passage]:
        groups = list(plan.groups)
        names = self._names(session, plan.entity_id) if plan.entity_id is not None else None
        if names:  # about that name only; with nothing, the caller shows the name's card instead
            expressions = [match_expression([names, *groups], "AND"),
                           f"{group_expression(names)} AND ({match_expression(groups, 'OR')})"]
        else:
            expressions = [match_expression(groups, "AND"), match_expression(groups, "OR")]
        bm25: dict[int, float] = {}
        for expression in dict.fromkeys(expressions):
            if expression:
                for sid, rank in ranked_window(session, expression, limit=PASSAGE_WINDOW):
                    bm25.setdefault(sid, rank)
            if len(bm25) >= MAX_PASSAGES:
                break
        if not bm25:
            return []
        hits = list(bm25)
        best = min(bm25.values()) or -1.0
        rows = session.execute(
            select(Sentence.id, Sentence.text, Article.id, Article.title, Article.published, Article.source,
                   Article.url, Article.mentions_until).join(Article, Article.id == Sentence.article_id)
            .where(Sentence.id.in_(hits))
        ).all()
        passages: dict[str, Passage] = {}
        for sid, sentence, aid, title, published, source, url, until in rows:
            if sentence in passages:
                continue
            sentence_stems = set(stems(sentence))
            covered = sum(g.matched_by(sentence_stems) for g in groups) / len(groups)
            if covered < 0.5 or len(sentence.split()) < 4:
                continue
            score = 3.0 * covered + 1.5 * bm25[sid] / best  # FTS5's bm25, relative to the best in the window
            if names is not None and names.matched_by(sentence_stems):
                score += 1.0
            passages[sentence] = Passage(sentence, ArticleRef(aid, title, published, source, url, published or until),
                                         score)
        return sorted(passages.values(), key=lambda p: -p.score)[:MAX_PASSAGES]

    def _none(self, session: Session, answer: Answer, plan: Plan) -> Answer:
        answer.kind = "none"
        lexicon = self.lexicon(session)
        names = lexicon.names
        asks = [a for c in self.rules.concepts for a in c.ask]
        suggestions: list[str] = []
        for word in plan.unknown or [plan.query]:
            for pool, cutoff in ((names, 70), (asks, 75), (lexicon.term_list, 80)):
                for match in process.extract(word, pool, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff):
                    if match[0] not in suggestions and match[0].lower() != word.lower():
                        suggestions.append(str(match[0]))
        answer.suggestions = suggestions[:5]
        return answer


def _ref(article: Article) -> ArticleRef:
    return ArticleRef(article.id, article.title, article.published, article.source, article.url,
                      article.published or article.mentions_until)

