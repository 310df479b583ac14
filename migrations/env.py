"""Alembic environment: the URL comes from the bot's settings, SQLite uses batch mode."""

from __future__ import annotations

from alembic import context

from bot.settings import Settings
from bot.store.db import engine_for, is_unmodelled
from bot.store.models import Base

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
            context.run_migrations()


run_migrations_online()
