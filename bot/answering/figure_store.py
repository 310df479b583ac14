"""Reading stored figures back as FigureHit objects, with their sentence, article and conversions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answering.model import ArticleRef, FigureHit
from bot.store.feedback import Correction, corrections_for
from bot.store.models import Article, Entity, Figure, Sentence
from bot.store.words import unit_words


def load_figures(session: Session, condition: Any, limit: int | None = None) -> list[FigureHit]:
    """Figures matching `condition` (a SQL expression on the figures table); conversions hang off the amount
    they convert. A figure's context holds the words around it and the name it is tied to."""
    rows = session.execute(
        select(
            Figure.id,
            Figure.kind,
            Figure.value,
            Figure.unit,
            Figure.text,
            Figure.qualifier,
            Figure.period,
            Figure.as_of,
            Figure.context,
            Figure.entity_id,
            Figure.sentence_id,
            Figure.conversion_of_id,
            Sentence.text,
            Entity.name,
            Article.id,
            Article.title,
            Article.published,
            Article.source,
            Article.url,
            Article.mentions_until,
            Figure.metric,
            Figure.status,
            Figure.period_start,
            Figure.period_end,
            Figure.period_kind,
            Figure.placed_on,
        )
        .join(Sentence, Sentence.id == Figure.sentence_id)
        .join(Article, Article.id == Figure.article_id)
        .outerjoin(Entity, Entity.id == Figure.entity_id)
        .where(condition)
        .order_by(Figure.id.desc())
        .limit(limit)
    ).all()
    refs: dict[int, ArticleRef] = {}
    by_id: dict[int, FigureHit] = {}
    for (
        fid,
        kind,
        value,
        unit,
        written,
        qualifier,
        period,
        as_of,
        context,
        entity_id,
        sentence_id,
        parent,
        sentence,
        entity_name,
        aid,
        title,
        published,
        source,
        url,
        mentions_until,
        metric,
        status,
        p_start,
        p_end,
        p_kind,
        placed_on,
    ) in rows:
        ref = refs.get(aid)
        if ref is None:
            ref = refs[aid] = ArticleRef(aid, title, published, source, url, published or mentions_until)
        about = frozenset(context.split()) | unit_words(entity_name)
        by_id[fid] = FigureHit(
            fid,
            kind,
            value,
            unit,
            written,
            qualifier,
            period,
            as_of,
            sentence,
            ref,
            entity_name,
            context=about,
            entity_id=entity_id,
            sentence_id=sentence_id,
            conversion_of_id=parent,
            metric=metric,
            status=status,
            period_start=p_start,
            period_end=p_end,
            period_kind=p_kind,
            placed_on=placed_on or published or mentions_until,
        )
    apply_corrections(by_id, corrections_for(session, list(by_id)))
    for hit in by_id.values():
        parent_hit = by_id.get(hit.conversion_of_id) if hit.conversion_of_id is not None else None
        if parent_hit is not None:
            parent_hit.conversions.append(hit)
    return list(by_id.values())


def amounts(session: Session, condition: Any, limit: int | None = None) -> list[FigureHit]:
    """Like load_figures, without the bracketed conversions (each amount once, as first reported)."""
    return [f for f in load_figures(session, condition, limit) if f.conversion_of_id is None]


def apply_corrections(by_id: dict[int, FigureHit], corrections: dict[int, Correction]) -> None:
    """Admins' corrections, applied where every answer, series, conflict and digest reads figures: a hidden
    figure (and its conversions) is gone; a corrected one takes each overridden field it has."""
    for fid, fix in corrections.items():
        hit = by_id.get(fid)
        if hit is None:
            continue
        if fix.hidden:
            del by_id[fid]
            for child in [c for c in by_id.values() if c.conversion_of_id == fid]:
                del by_id[child.id]
            continue
        for name, value in fix.overrides.items():
            if name == "subject" and not hasattr(hit, "subject"):
                name = "entity"  # the figure's subject is the name it is tied to
            if name == "value":
                value = float(value)
            if hasattr(hit, name):
                setattr(hit, name, value)
            if name == "entity" and isinstance(value, str):
                hit.context = hit.context | unit_words(value)
        hit.corrected = True
