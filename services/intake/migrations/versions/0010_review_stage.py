"""where review's decisions have taken a sent nomination (nominations.review_stage, review_stage_at)

Revision ID: 0010_review_stage
Revises: 0009_merge_heads
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_review_stage"
down_revision = "0009_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("nominations", sa.Column("review_stage", sa.String(30)))
    op.add_column("nominations", sa.Column("review_stage_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("nominations", "review_stage_at")
    op.drop_column("nominations", "review_stage")
