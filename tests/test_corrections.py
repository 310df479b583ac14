"""Admins' figure corrections: applied wherever figures are read (answers, changes, digests), kept across
re-ingest because they are keyed by the article's content hash and the figure's offset."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot.answering.answers import Answerer
from bot.answering.changes import figure_changes
from bot.digest.content import build_digest
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.feedback import correct_figure, figure_keys
from bot.store.models import Article, Figure
from tests.conftest import RULES, SEEDS


def lead_of(settings: Settings, query: str) -> tuple[int, str]:
    answer = Answerer(settings, RULES).ask(query)
    assert answer.kind == "figure"
    return answer.claims[0].lead.id, answer.claims[0].lead.text


def test_a_correction_applies_everywhere_and_survives_reingest(seeded_copy: Settings) -> None:
    fid, text = lead_of(seeded_copy, "qwen downloads")
    with session_scope(seeded_copy.database_url) as session:
        ((article_hash, start),) = figure_keys(session, [fid]).values()
        article_id = session.scalar(select(Figure.article_id).where(Figure.id == fid))
        filename = session.scalar(select(Article.filename).where(Article.id == article_id))
        correct_figure(
            session,
            article_hash,
            start,
            by="UADMIN0001",
            overrides={"text": "410 million downloads", "value": 410e6, "no_such_field": 1},
        )
    answer = Answerer(seeded_copy, RULES).ask("qwen downloads")
    assert answer.claims[0].lead.text == "410 million downloads" and answer.claims[0].lead.corrected
    assert text not in answer.text.splitlines()[1]

    # Re-ingest: the article is removed and added again; figure ids change, the correction stays.
    with session_scope(seeded_copy.database_url) as session:
        session.execute(delete(Article).where(Article.id == article_id))
    assert filename
    [result] = Ingestor(seeded_copy, RULES).ingest_paths([SEEDS / filename], progress=False)
    assert result.status == "new"
    new_id, new_text = lead_of(seeded_copy, "qwen downloads")
    assert new_id != fid and new_text == "410 million downloads"

    end = datetime.utcnow() + timedelta(minutes=1)
    with session_scope(seeded_copy.database_url) as session:
        digest = build_digest(session, end - timedelta(days=1), end)
        changes = figure_changes(session, [result.article_id or 0])
    shown = {f.text for f in digest.new_figures} | {c.new.text for c in digest.changed} | {c.old.text for c in changes}
    assert "410 million downloads" in shown and text not in {f.text for f in digest.new_figures}


def test_a_hidden_figure_is_gone_with_its_conversions(seeded_copy: Settings) -> None:
    answer = Answerer(seeded_copy, RULES).ask("capex")
    lead = answer.claims[0].lead
    with session_scope(seeded_copy.database_url) as session:
        ((article_hash, start),) = figure_keys(session, [lead.id]).values()
        correct_figure(session, article_hash, start, by="UADMIN0001", hidden=True)
        children = list(session.scalars(select(Figure.id).where(Figure.conversion_of_id == lead.id)))
    after = Answerer(seeded_copy, RULES).ask("capex")
    shown = {f.id for c in after.claims for f in c.figures} | {c.id for c in after.figures for c in c.conversions}
    assert lead.id not in shown and not (set(children) & shown)
