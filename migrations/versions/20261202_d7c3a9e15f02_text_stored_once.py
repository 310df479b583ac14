"""Text stored once: articles keep no copy of their text (their sentences hold it, with offsets), mentions keep no
copy of the name as written (the sentence has it between the mention's offsets), and the single-column index on
figures.entity_id goes (ix_figures_subject_metric starts with that column).

Columns are dropped in place (ALTER TABLE ... DROP COLUMN, which SQLite has since 3.35 and PostgreSQL has always
had), never by copying the table: copying `articles` would mean dropping it, and with foreign keys on that deletes
every sentence, mention and figure through their ON DELETE CASCADE. Space the old columns took is reused by new
rows; `VACUUM` returns it to the file system.

Revision ID: d7c3a9e15f02
Revises: c4e81b2a9d50
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7c3a9e15f02"
down_revision: str | None = "c4e81b2a9d50"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("figures", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_figures_entity_id")
    with op.batch_alter_table("mentions", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("text")
    with op.batch_alter_table("articles", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("text")


def downgrade() -> None:
    # The columns come back empty: the text is in `sentences`, and the names as written in the sentences.
    with op.batch_alter_table("articles", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("mentions", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("text", sa.String(length=300), nullable=False, server_default=""))
    with op.batch_alter_table("figures", schema=None, recreate="never") as batch_op:
        batch_op.create_index("ix_figures_entity_id", ["entity_id"], unique=False)
