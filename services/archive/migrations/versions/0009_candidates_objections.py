"""the archive's view of each nomination keeps its place in the published candidate list and its objections

Revision ID: 0009_candidates_objections
Revises: 0008_public_records
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_candidates_objections"
down_revision = "0008_public_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("nominations", sa.Column("rank", sa.Integer))
    op.add_column("nominations", sa.Column("objections", JSONB, nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("nominations", "objections")
    op.drop_column("nominations", "rank")
