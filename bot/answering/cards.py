"""Entity cards: who or what a name is, how often the articles mention it, and the figures tied to it."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.answering.claims import group_claims
from bot.answering.figure_select import MAX_CLAIMS, MAX_SCORED, figures_in
from bot.answering.model import Answer, ArticleRef, EntityCard, Passage
from bot.store.models import Article, Entity, EntityAlias, Mention, Sentence

ENTITY_SAMPLE = 300  # newest mentions read for an entity card
_counts: dict[tuple[str, int, int, int], tuple[int, int]] = {}  # (database, version..., entity) -> counts
_counts_lock = threading.Lock()


def mention_counts(session: Session, entity_id: int) -> tuple[int, int]:
    """How often the articles mention an entity, and in how many articles. Counting reads every mention of a
    common name, so they are kept until the corpus changes: an article added, or names merged in the catalog."""
    newest, aliases = session.execute(
        select(
            select(func.max(Article.id)).scalar_subquery(),
            select(func.count()).select_from(EntityAlias).scalar_subquery(),
        )
    ).one()
    key = (str(session.connection().engine.url), int(newest or 0), int(aliases), entity_id)
    with _counts_lock:
        if key in _counts:
            return _counts[key]
    mentions, articles = session.execute(
        select(func.count(), func.count(func.distinct(Mention.article_id))).where(Mention.entity_id == entity_id)
    ).one()
    with _counts_lock:
        for old in [k for k in _counts if k[:3] != key[:3]]:  # another version: those counts are stale
            del _counts[old]
        _counts[key] = (int(mentions), int(articles))
    return _counts[key]


def entity_answer(session: Session, entity_id: int, answer: Answer, descriptor_re: re.Pattern[str]) -> Answer:
    """The card for one entity: names, counts, how the articles describe it, and its figures."""
    entity = session.get(Entity, entity_id)
    if entity is None:
        return answer
    aliases = [
        a
        for a in session.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == entity_id))
        if a != entity.name
    ]
    mention_count, article_count = mention_counts(session, entity_id)
    # The newest mentions are read in full; counts cover all of them.
    newest = (
        select(Mention.id)
        .where(Mention.entity_id == entity_id)
        .order_by(Mention.article_id.desc(), Mention.sentence_id.desc())
        .limit(ENTITY_SAMPLE)
    )
    rows = session.execute(
        select(Mention.sentence_id, Mention.start, Mention.end, Sentence.text, Sentence.start, Article)
        .join(Sentence, Sentence.id == Mention.sentence_id)
        .join(Article, Article.id == Mention.article_id)
        .where(Mention.id.in_(newest))
    ).all()
    articles = {r[5].id: article_ref(r[5]) for r in rows}
    answer.kind = "entity"
    answer.entity = EntityCard(
        name=entity.name,
        type=entity.type,
        aliases=aliases,
        mention_count=int(mention_count),
        descriptions=descriptions(rows, articles, descriptor_re),
        article_count=int(article_count),
        articles=sorted(articles.values(), key=lambda a: -(a.sort_date.toordinal() if a.sort_date else 0)),
    )
    sentence_ids = list({r[0] for r in rows})
    if sentence_ids:
        figures = figures_in(session, sentence_ids)
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


def descriptions(rows: Sequence[Any], articles: dict[int, ArticleRef], descriptor_re: re.Pattern[str]) -> list[Passage]:
    scored: dict[str, Passage] = {}
    for _sid, m_start, m_end, sentence, s_start, article in rows:
        if sentence in scored:
            continue
        rel_start, rel_end = m_start - s_start, m_end - s_start
        window = sentence[max(0, rel_start - 60) : rel_end + 60]
        score = 2.0 * len(set(descriptor_re.findall(window)))
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


def article_ref(article: Article) -> ArticleRef:
    return ArticleRef(
        article.id,
        article.title,
        article.published,
        article.source,
        article.url,
        article.published or article.mentions_until,
    )
