"""Packed sentences: on SQLite each sentence's text is stored deflated against a dictionary of common English
words (bot/store/packed.py), and the full-text index keeps no link to the text (`content=''`): its triggers give
it the unpacked text through the SQL function `unpack`, which the bot registers on every SQLite connection.

The text is about 40% of the database; packed it takes about 55% of its bytes. Existing rows are packed here and
the index is filled again (about two minutes per five million sentences). PostgreSQL is unchanged: its search
column is generated from the text in the server.

Revision ID: f5a7d1c3b9e2
Revises: e3b9c2d4f6a1
Create Date: 2026-12-04 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

from bot.store.packed import register_functions

revision: str = "f5a7d1c3b9e2"
down_revision: str | None = "e3b9c2d4f6a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZER = "tokenize='porter unicode61 remove_diacritics 2'"
_OPTIONS = "detail=none, columnsize=0"
_BATCH = 50_000


def _triggers(value: str) -> tuple[str, ...]:
    old, new = value.format(row="old"), value.format(row="new")
    return (
        "CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN "
        f"INSERT INTO sentences_fts(rowid, text) VALUES (new.id, {new}); END",
        "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN "
        f"INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, {old}); END",
        "CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN "
        f"INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO sentences_fts(rowid, text) VALUES (new.id, {new}); END",
    )


def _drop_index() -> None:
    for name in ("sentences_au", "sentences_ad", "sentences_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS sentences_fts")


def _in_batches(statement: str) -> None:
    """Run `statement` (with :low and :high) over the sentence ids in batches, to bound the journal."""
    bind = op.get_bind()
    top = bind.execute(text("SELECT coalesce(max(id), 0) FROM sentences")).scalar_one()
    for low in range(0, top + 1, _BATCH):
        bind.execute(text(statement), {"low": low, "high": low + _BATCH})


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    register_functions(op.get_bind().connection.driver_connection)
    _drop_index()
    _in_batches("UPDATE sentences SET text = pack(text) WHERE id >= :low AND id < :high AND typeof(text) = 'text'")
    op.execute(f"CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='', {_TOKENIZER}, {_OPTIONS})")
    _in_batches(
        "INSERT INTO sentences_fts(rowid, text) SELECT id, unpack(text) FROM sentences WHERE id >= :low AND id < :high"
    )
    for trigger in _triggers("unpack({row}.text)"):
        op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    register_functions(op.get_bind().connection.driver_connection)
    _drop_index()
    _in_batches("UPDATE sentences SET text = unpack(text) WHERE id >= :low AND id < :high")
    op.execute(
        f"CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='id', "
        f"{_TOKENIZER}, {_OPTIONS})"
    )
    for trigger in _triggers("{row}.text"):
        op.execute(trigger)
    op.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild')")
