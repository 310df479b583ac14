"""Figure records: metric, status, period dates and the date a figure is placed at; index on subject and metric.

Revision ID: b81f2c6d9e04
Revises: 7a3d790f8f6c
Create Date: 2026-12-01 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b81f2c6d9e04"
down_revision: str | None = "7a3d790f8f6c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metric", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=12), nullable=False, server_default="actual"))
        batch_op.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("period_kind", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("period_weak", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("placed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("placed_by", sa.String(length=12), nullable=True))
        batch_op.create_index("ix_figures_subject_metric", ["entity_id", "metric"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.drop_index("ix_figures_subject_metric")
        for column in (
            "placed_by",
            "placed_on",
            "period_weak",
            "period_kind",
            "period_end",
            "period_start",
            "status",
            "metric",
        ):
            batch_op.drop_column(column)
