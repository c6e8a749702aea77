"""purged campaigns remembered, so that a rebuild from offset 0 stays purged

Revision ID: 0006_purged_campaigns
Revises: 0005_committee_scoring
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006_purged_campaigns"
down_revision = "0005_committee_scoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purged_campaigns",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("purged_campaigns")
