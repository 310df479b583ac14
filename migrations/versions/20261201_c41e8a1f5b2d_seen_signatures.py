"""Seen request signatures: a signed Slack request is answered once, across replicas on one database.

Revision ID: c41e8a1f5b2d
Revises: b81f2c6d9e04
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c41e8a1f5b2d"
down_revision: str | None = "b81f2c6d9e04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_signatures",
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_seen_signatures")),
    )
    with op.batch_alter_table("seen_signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seen_signatures_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("seen_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seen_signatures_expires_at"))
    op.drop_table("seen_signatures")
