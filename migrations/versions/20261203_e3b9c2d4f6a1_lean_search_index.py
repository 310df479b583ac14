"""Lean search index: the SQLite full-text index keeps which sentences hold each word, not where in them
(`detail=none`) and no per-sentence token counts (`columnsize=0`); the index of mentions by article goes.

Search never used the positions or the counts: phrases are searched as their words and checked on the sentence,
and ranking computes BM25 itself (`bot/store/search/`). Nothing reads mentions by article (an article's mentions
are reached through its sentences). Together about a tenth of the database at 100,000 articles. The full-text
index is rebuilt from `sentences` (about a minute per five million sentences). PostgreSQL's search column is
unchanged.

Revision ID: e3b9c2d4f6a1
Revises: d7c3a9e15f02
Create Date: 2026-12-03 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e3b9c2d4f6a1"
down_revision: str | None = "d7c3a9e15f02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZER = "tokenize='porter unicode61 remove_diacritics 2'"
_TRIGGERS = (
    "CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END",
)


def _rebuild_fts(options: str) -> None:
    for name in ("sentences_au", "sentences_ad", "sentences_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS sentences_fts")
    op.execute(
        f"CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='id', "
        f"{_TOKENIZER}{options})"
    )
    for trigger in _TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild')")


def upgrade() -> None:
    with op.batch_alter_table("mentions", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_mentions_article_id")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_fts(", detail=none, columnsize=0")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_fts("")
    with op.batch_alter_table("mentions", schema=None, recreate="never") as batch_op:
        batch_op.create_index("ix_mentions_article_id", ["article_id"], unique=False)
