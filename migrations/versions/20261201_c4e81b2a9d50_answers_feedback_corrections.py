"""Answers as shown (for Share, feedback and thread follow-ups), feedback on them, and admins' figure corrections.

Revision ID: c4e81b2a9d50
Revises: c41e8a1f5b2d
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e81b2a9d50"
down_revision: str | None = "c41e8a1f5b2d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_records",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("asked_by", sa.String(length=40), nullable=True),
        sa.Column("query", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("blocks", sa.Text(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("thread_ts", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_answer_records")),
    )
    with op.batch_alter_table("answer_records", schema=None) as batch_op:
        batch_op.create_index("ix_answer_records_channel_thread", ["channel", "thread_ts"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_records_created_at"), ["created_at"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_key", sa.String(length=32), nullable=True),
        sa.Column("user", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rating", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("query", sa.String(length=400), nullable=False),
        sa.Column("article_hash", sa.String(length=64), nullable=True),
        sa.Column("figure_start", sa.Integer(), nullable=True),
        sa.Column("figure_text", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("resolved_by", sa.String(length=40), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_status"), ["status"], unique=False)

    op.create_table(
        "figure_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_hash", sa.String(length=64), nullable=False),
        sa.Column("figure_start", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("overrides", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.String(length=40), nullable=True),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_corrections")),
        sa.UniqueConstraint("article_hash", "figure_start", name="uq_figure_corrections_figure"),
    )


def downgrade() -> None:
    op.drop_table("figure_corrections")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_status"))
    op.drop_table("feedback")
    with op.batch_alter_table("answer_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_records_created_at"))
        batch_op.drop_index("ix_answer_records_channel_thread")
    op.drop_table("answer_records")
