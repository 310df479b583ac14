"""What the corpus knows, read for the answerer's lexicon: its version, the names the articles mention with their
alias keys, and the words the articles use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.store.models import Entity, EntityAlias, Mention


@dataclass(frozen=True)
class CorpusWords:
    aliases: dict[str, int]  # alias key -> entity id, for entities the articles mention
    terms: set[str]  # every word the articles use
    names: list[str]  # the mentioned entities' names
    focus_ids: set[int]  # the followed company's entity ids
    articles: int
    place_ids: set[int] = field(
        default_factory=set
    )  # mentioned places: "in India" narrows a question, never its subject


def corpus_version(session: Session) -> tuple[int, int]:
    """Changes when an article or an alias is added, without counting articles (a pass over an index)."""
    row = session.execute(
        text("SELECT (SELECT coalesce(max(id), 0) FROM articles), (SELECT count(*) FROM entity_aliases)")
    ).one()
    return int(row[0]), int(row[1])


def corpus_words(session: Session, focus_names: Iterable[str]) -> CorpusWords:
    articles = int(session.execute(text("SELECT count(*) FROM articles")).scalar_one())
    # Only names the articles mention: a catalog entry nobody wrote about is not an answer.
    mentioned = select(Mention.entity_id).distinct()
    aliases = {
        k: e
        for k, e in session.execute(
            select(EntityAlias.key, EntityAlias.entity_id).where(EntityAlias.entity_id.in_(mentioned))
        )
    }
    terms = set(session.scalars(text("SELECT term FROM terms")))
    names = list(session.scalars(select(Entity.name).where(Entity.id.in_(set(aliases.values())))))
    focus = set(session.scalars(select(Entity.id).where(Entity.name.in_(list(focus_names)))))
    ids = set(aliases.values())
    places = set(session.scalars(select(Entity.id).where(Entity.id.in_(ids), Entity.type == "place")))
    return CorpusWords(aliases, terms, names, focus, articles, places)
