"""Digest windows by article id, the uploader's name, and uploads held for review.

- `digest_runs.after_article_id` / `through_article_id`: the articles a posted digest covers, so consecutive
  digests neither lose nor repeat an article added in the second between them.
- `articles.added_by_name`: the Slack user's name at upload time, shown in digests without a mention.
- `pending_uploads`: an upload parsed and previewed but not yet published (REVIEW_UPLOADS).

Revision ID: b3f9d2a7c5e8
Revises: a8d2e6f4c1b3
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3f9d2a7c5e8"
down_revision: str | None = "a8d2e6f4c1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("added_by_name", sa.String(length=100), nullable=True))
    op.add_column("digest_runs", sa.Column("after_article_id", sa.Integer(), nullable=True))
    op.add_column("digest_runs", sa.Column("through_article_id", sa.Integer(), nullable=True))
    op.create_table(
        "pending_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("added_by", sa.String(length=100), nullable=True),
        sa.Column("added_by_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_uploads")),
    )


def downgrade() -> None:
    op.drop_table("pending_uploads")
    with op.batch_alter_table("digest_runs") as batch:
        batch.drop_column("through_article_id")
        batch.drop_column("after_article_id")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("added_by_name")
