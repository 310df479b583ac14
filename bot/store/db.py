"""Engine, sessions and migrations: SQLite in WAL mode with a busy timeout and foreign keys on, or a pooled
PostgreSQL server (`postgresql+psycopg://…`) that several replicas share."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import PROJECT_ROOT, bundled
from bot.store.packed import register_functions

log = logging.getLogger(__name__)

# Tables that live in the database but not in the models: the FTS5 index and its shadow tables,
# and APScheduler's job store. Alembic's drift check skips them.
UNMODELLED_TABLES = ("sentences_fts", "apscheduler_jobs")
# Columns a migration adds on one backend only (PostgreSQL's generated tsvector); the drift check skips them.
UNMODELLED_COLUMNS = ("search_vector",)
UNMODELLED_INDEXES = ("ix_sentences_search_vector",)
# A PostgreSQL pool per process: enough for the listener threads that touch the database at once (sessions
# are short), small enough that two or three replicas stay under the server's default 100 connections.
POOL_SIZE = 8
MAX_OVERFLOW = 24
POOL_TIMEOUT_SECONDS = 30
POOL_RECYCLE_SECONDS = 1800
RANDOM_PAGE_COST = 1.1


def is_unmodelled(name: str | None, type_: str = "table") -> bool:
    if not name:
        return False
    if type_ == "column":
        return name in UNMODELLED_COLUMNS
    if type_ == "index":
        return name in UNMODELLED_INDEXES
    return any(str(name).startswith(prefix) for prefix in UNMODELLED_TABLES)


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql:", "postgresql+", "postgres:"))


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` (as hosting providers write them) mean the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    register_functions(dbapi_connection)


def _postgres_costs(dbapi_connection: Any, _record: Any) -> None:
    """The planner's price of a random page read, where the server was left at its default (4, for spinning disks):
    the bot's tables are read from the server's cache, where a random read costs about what a sequential one does.
    At the default, an entity card's few hundred figures are joined to their articles by scanning every article
    (tens of milliseconds at 100,000 articles) rather than through the primary key. A value the operator set (in
    the server's configuration, for the database or the role, or in PGOPTIONS) is kept."""
    cursor = dbapi_connection.cursor()
    cursor.execute(
        "SELECT set_config('random_page_cost', %s, false) FROM pg_settings "
        "WHERE name = 'random_page_cost' AND source = 'default'",
        (str(RANDOM_PAGE_COST),),
    )
    cursor.close()
    dbapi_connection.commit()


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if is_postgres(url):
        # pool_pre_ping: a connection the server or a proxy dropped is replaced at checkout, not raised.
        engine = create_engine(
            url,
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
            pool_timeout=POOL_TIMEOUT_SECONDS,
            pool_recycle=POOL_RECYCLE_SECONDS,
            pool_pre_ping=True,
        )
        event.listen(engine, "connect", _postgres_costs)
        return engine
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False} if url.startswith("sqlite") else {})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


@lru_cache(maxsize=8)
def _factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=engine_for(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = _factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    # The migrations the package carries (the build copies the project's migrations/ into it), else the source
    # checkout's; alembic.ini is the checkout's, for `alembic revision` and the like, and not needed to upgrade.
    ini = PROJECT_ROOT / "alembic.ini"
    cfg = Config(str(ini) if ini.is_file() else None)
    cfg.set_main_option("script_location", str(bundled("migrations")))
    cfg.attributes["database_url"] = url
    return cfg


def migrate(url: str) -> None:
    """Bring the schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def insert_ignore(session: Session, model: type[Any], values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect: True when the row is new, False when a row with
    the same key exists (written by this process or another replica). Unlike catching IntegrityError, a conflict
    leaves the transaction usable and logs nothing on the server."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(model).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(**values).on_conflict_do_nothing()
    else:
        raise RuntimeError(f"unsupported database: {dialect}")
    # The key comes back only for a row actually inserted (rowcount is not reliable across drivers here).
    key = list(model.__table__.primary_key.columns)
    return session.execute(statement.returning(*key)).first() is not None


def article_count(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM articles")).scalar_one())
