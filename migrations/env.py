"""Alembic environment: the URL comes from the bot's settings, SQLite uses batch mode."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from bot.settings import Settings
from bot.store.db import engine_for, is_unmodelled
from bot.store.models import Base

MIGRATION_LOCK = 7_310_412_913  # any constant: the advisory lock every replica's `migrate` takes
config = context.config
url = config.attributes.get("database_url") or Settings.from_env().database_url


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not is_unmodelled(name, type_)


def run_migrations_online() -> None:
    with engine_for(url).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            include_name=include_name,
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Replicas starting together migrate one at a time; the later ones find the schema at head.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            context.run_migrations()


run_migrations_online()
