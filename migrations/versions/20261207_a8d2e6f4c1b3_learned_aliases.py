"""Learned aliases: `entity_aliases.learned_from` holds the article that stated a name (an alias the article gives,
or a person's name in another order), so the catalog can tell the names it lists from the names learned.

Revision ID: a8d2e6f4c1b3
Revises: f5a7d1c3b9e2
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a8d2e6f4c1b3"
down_revision: str | None = "f5a7d1c3b9e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("entity_aliases", sa.Column("learned_from", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entity_aliases") as batch:
        batch.drop_column("learned_from")
