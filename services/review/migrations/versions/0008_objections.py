"""objections filed on the public notice, with their attachment's check and their outcome

Revision ID: 0008_objections
Revises: 0007_candidate_lists
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008_objections"
down_revision = "0007_candidate_lists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "objections",
        sa.Column("number", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("reference", sa.String(30), nullable=False, unique=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("nomination_id", sa.String(64), nullable=False),
        sa.Column("objector_name", sa.String(100), nullable=False),
        sa.Column("objector_contact", sa.String(200), nullable=False),
        sa.Column("objector_email", sa.String(200)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("attachment", JSONB),
        sa.Column("client", sa.String(64), nullable=False, server_default=""),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(20), nullable=False, server_default="open"),
        sa.Column("outcome_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("resolved_by", sa.String(200)),
        sa.Column("resolved_by_name", sa.String(200)),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_objections_campaign_id", "objections", ["campaign_id"])
    op.create_index("ix_objections_nomination_id", "objections", ["nomination_id"])


def downgrade() -> None:
    op.drop_table("objections")
