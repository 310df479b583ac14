"""Entities in the database: the catalog kept in step with `entities.yml`, and names found in articles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.reading.entities import CORPORATE_SUFFIXES, FoundMention
from bot.reading.names import alias_key, name_forms
from bot.rules import Rules
from bot.store.models import Entity, EntityAlias, Figure, Mention


def sync_catalog(session: Session, rules: Rules) -> None:
    """Add catalog entities and aliases; an article-found entity that a catalog alias names is merged into it."""
    stamp = datetime.now()
    by_name = {e.name: e for e in session.scalars(select(Entity))}
    catalog_names = {entry.name for entry in rules.catalog}
    aliases = {a.key: a for a in session.scalars(select(EntityAlias))}
    for entry in rules.catalog:
        entity = by_name.get(entry.name)
        if entity is None:
            entity = Entity(name=entry.name, type=entry.type, from_catalog=True, first_seen_at=stamp)
            session.add(entity)
            session.flush()
            by_name[entry.name] = entity
        elif not entity.from_catalog or entity.type != entry.type:
            entity.from_catalog, entity.type = True, entry.type
        for alias in (entry.name, *entry.aliases):
            key = alias_key(alias)
            if not key:
                continue
            current = aliases.get(key)
            if current is None:
                row = EntityAlias(entity_id=entity.id, alias=alias, key=key)
                session.add(row)
                aliases[key] = row
            elif current.entity_id != entity.id:
                if current.learned_from is None:  # a learned name is moved; an entity found under it is merged
                    _merge(session, current.entity_id, entity.id, catalog_names)
                current.entity_id = entity.id
            if current is not None:
                current.learned_from = None  # the catalog lists it
    session.flush()


def _merge(session: Session, old_id: int, new_id: int, catalog_names: set[str]) -> None:
    """Fold an entity into the catalog entry that now names it (a name found in articles, or a catalog entry
    that became another's alias, as when two spellings of one person were listed apart)."""
    old = session.get(Entity, old_id)
    if old is None or (old.from_catalog and old.name in catalog_names):
        return
    session.execute(update(Mention).where(Mention.entity_id == old_id).values(entity_id=new_id))
    session.execute(update(Figure).where(Figure.entity_id == old_id).values(entity_id=new_id))
    session.execute(update(EntityAlias).where(EntityAlias.entity_id == old_id).values(entity_id=new_id))
    session.execute(delete(Entity).where(Entity.id == old_id))


def resolve_entities(
    session: Session, mentions: list[FoundMention], stamp: datetime, article_id: int | None = None
) -> tuple[dict[str, int], list[str]]:
    """Entity ids for the mentioned names, creating entities for names not seen before. A person's name in
    another order than a known person's ("Junyang Lin" for "Lin Junyang") is that person; the aliases the
    article states are added to their entity, marked as learned from `article_id`."""
    names = {m.name: m for m in mentions}
    keys = {alias_key(n): n for n in names}
    found: dict[str, int] = {}
    if keys:
        for key, entity_id in session.execute(
            select(EntityAlias.key, EntityAlias.entity_id).where(EntityAlias.key.in_(list(keys)))
        ):
            found[keys[key]] = entity_id
    new_names: list[str] = []
    for name, mention in names.items():
        if name in found:
            continue
        key = alias_key(name)
        if not key:
            continue
        known = (
            _same_person_known(session, name)
            if mention.type == "person"
            else _same_company_known(session, key)
            if mention.type in (*COMPANY_TYPES, "place")  # the parser takes many a company's bare name for a place
            else None
        )
        if known is not None:
            session.add(EntityAlias(entity_id=known, alias=name[:200], key=key, learned_from=article_id))
            found[name] = known
            continue
        entity = Entity(name=name[:200], type=mention.type, from_catalog=False, first_seen_at=stamp)
        session.add(entity)
        session.flush()
        session.add(EntityAlias(entity_id=entity.id, alias=name[:200], key=key))
        found[name] = entity.id
        new_names.append(name)
    learn_aliases(session, [(found[m.name], a) for m in mentions if m.name in found for a in m.aliases], article_id)
    # Mentions that were not resolvable keep out of the maps; only names with ids are returned.
    return found, new_names


COMPANY_TYPES = ("company", "organization")


def _same_company_known(session: Session, key: str) -> int | None:
    """The one company already known under this name with a corporate suffix ("Acme Group" when "Acme" is
    found), if there is exactly one. Not the other way: "Acme Corp." may be another company than the "Acme" known
    (a group and its listed unit share a name)."""
    if key.split()[-1] in CORPORATE_SUFFIXES:
        return None
    forms = {f"{key} {s}" for s in CORPORATE_SUFFIXES}
    ids = set(
        session.scalars(
            select(EntityAlias.entity_id)
            .join(Entity, Entity.id == EntityAlias.entity_id)
            .where(EntityAlias.key.in_(sorted(forms)), Entity.type.in_(COMPANY_TYPES))
        )
    )
    return ids.pop() if len(ids) == 1 else None


def _same_person_known(session: Session, name: str) -> int | None:
    """The one person already known under this name's parts in another order, if there is exactly one."""
    forms = name_forms(name)
    parts = alias_key(name).split()
    if not forms or len(parts) < 2:
        return None
    ends = {p for p in (parts[0], parts[-1]) if len(p) >= 2}
    rows = session.execute(
        select(EntityAlias.alias, EntityAlias.entity_id)
        .join(Entity, Entity.id == EntityAlias.entity_id)
        .where(
            Entity.type == "person",
            or_(*(EntityAlias.key.like(f"{e} %") for e in ends), *(EntityAlias.key.like(f"% {e}") for e in ends)),
        )
        .limit(200)
    ).all()
    ids = {entity_id for alias, entity_id in rows if forms & name_forms(alias)}
    return ids.pop() if len(ids) == 1 else None


def learn_aliases(session: Session, pairs: list[tuple[int, str]], article_id: int | None) -> None:
    """Add each stated name to its entity. A name already another entity's: an entity only the articles know
    under it is folded in (it was found before the article said whose name it is); a catalog name stays the
    catalog's."""
    for entity_id, alias in pairs:
        key = alias_key(alias)
        if not key:
            continue
        current = session.scalar(select(EntityAlias).where(EntityAlias.key == key))
        if current is None:
            session.add(EntityAlias(entity_id=entity_id, alias=alias[:200], key=key, learned_from=article_id))
            session.flush()
        elif current.entity_id != entity_id:
            other = session.get(Entity, current.entity_id)
            if other is not None and not other.from_catalog:
                _merge(session, other.id, entity_id, set())
