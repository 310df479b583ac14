"""Storing one analysed article: its sentences, mentions, figures, words and near-duplicate bands, as rows written
through the store in the caller's transaction. `figure_row` says where each figure stands in time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot.reading.catalog import resolve_entities
from bot.reading.reconcile import reconcile_periods
from bot.reading.similar import text_bands
from bot.store.article_writes import (
    add_article,
    count_terms,
    entity_ids_named,
    insert_figures,
    insert_mentions,
    insert_sentences,
    link_conversions,
)
from bot.store.stories import store_bands

if TYPE_CHECKING:  # spaCy loads with the pipeline, when an article is read, not when this module is imported
    from bot.reading.amounts import FoundFigure
    from bot.reading.analysis import Analysis
    from bot.reading.articles import PreparedArticle
    from bot.reading.records import Measure


@dataclass
class Stored:
    """What one stored article holds."""

    article_id: int
    title: str | None
    published: date | None
    entities: int = 0
    new_entities: list[str] = field(default_factory=list)
    figures: int = 0


def store_analysis(
    session: Session,
    prepared: PreparedArticle,
    analysis: Analysis,
    added_by: str | None,
    stamp: datetime,
    added_by_name: str | None = None,
) -> Stored:
    """Write the article and everything found in it; the caller's transaction makes it all or nothing."""
    article = add_article(
        session,
        title=prepared.title,
        published=prepared.published,
        mentions_until=prepared.published or analysis.today or prepared.mentions_until,
        source=prepared.source,
        url=prepared.url,
        filename=Path(prepared.filename).name[:500],
        text_hash=prepared.text_hash,
        added_by=added_by,
        added_by_name=added_by_name,
        added_at=stamp,
    )
    sentence_ids = insert_sentences(session, article.id, [(s.start, s.end, s.text) for s in analysis.sentences])
    entity_ids, new_names = resolve_entities(
        session, [m for s in analysis.sentences for m in s.mentions], stamp, article.id
    )
    insert_mentions(
        session,
        [
            {
                "entity_id": entity_ids[m.name],
                "sentence_id": sid,
                "article_id": article.id,
                "start": m.start,
                "end": m.end,
            }
            for sid, s in zip(sentence_ids, analysis.sentences, strict=True)
            for m in s.mentions
            if m.name in entity_ids
        ],
    )
    # A subject read from the catalog ("its cloud intelligence unit") may not be mentioned by name.
    unnamed = {
        m.subject for row in analysis.sentences for m in row.measures if m.subject and m.subject not in entity_ids
    }
    entity_ids.update(entity_ids_named(session, unnamed))
    figure_rows = [
        figure_row(article.id, sid, fig, measure, context, entity_ids, prepared.published, analysis.today)
        for sid, s in zip(sentence_ids, analysis.sentences, strict=True)
        for fig, measure, context in zip(s.figures, s.measures, s.contexts, strict=True)
    ]
    figure_ids = insert_figures(session, figure_rows)
    links = []
    offset = 0
    for s in analysis.sentences:
        for fig in s.figures:
            if fig.conversion_of is not None:
                links.append((figure_ids[offset + s.figures.index(fig)], figure_ids[offset + fig.conversion_of]))
        offset += len(s.figures)
    link_conversions(session, links)
    reconcile_periods(session, article.id)
    count_terms(session, analysis.terms)
    store_bands(session, article.id, text_bands(prepared.text)[1])  # its copies are recognised by these
    return Stored(
        article.id,
        article.title,
        article.published,
        entities=len(set(entity_ids.values())),
        new_entities=new_names,
        figures=len(figure_rows),
    )


def figure_row(
    article_id: int,
    sentence_id: int,
    fig: FoundFigure,
    measure: Measure,
    context: str,
    entity_ids: dict[str, int],
    published: date | None,
    estimated: date | None,
) -> dict[str, Any]:
    """The stored record of one figure; `placed_on` is where it stands in time, and `placed_by` says how."""
    period = measure.period
    placed: date | None
    basis: str | None
    as_of = (
        measure.as_of
        if measure.as_of is not None
        else (published if fig.kind == "count" and period is None and measure.status == "actual" else None)
    )
    if period is not None and period.end is not None:
        placed, basis = period.end, "period"
    elif as_of is not None:
        placed, basis = as_of, "as_of"
    elif measure.status in ("plan", "forecast") and (article_date := published or estimated) is not None:
        # A target with no date holds after the article's date: it follows what was the case then.
        placed, basis = article_date + timedelta(days=1), "after"
    elif published is not None:
        placed, basis = published, "published"
    else:
        placed, basis = estimated, "estimated" if estimated else None
    return {
        "article_id": article_id,
        "sentence_id": sentence_id,
        "entity_id": entity_ids.get(measure.subject) if measure.subject else None,
        "kind": fig.kind,
        "value": fig.value,
        "unit": fig.unit,
        "text": fig.text[:200],
        "qualifier": fig.qualifier,
        "period": (fig.period or None) and fig.period[:120],
        "as_of": as_of,
        "context": context,
        "start": fig.start,
        "end": fig.end,
        "metric": (measure.metric or None) and measure.metric[:120],
        "status": measure.status,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "period_kind": period.kind if period else None,
        "period_weak": bool(period and period.weak),
        "placed_on": placed,
        "placed_by": basis,
    }
