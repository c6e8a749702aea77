"""the campaign's stage changes as review's scheduler announces them (campaign_stages)

Revision ID: 0005_campaign_stages
Revises: 0004_outbox_parked
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_campaign_stages"
down_revision = "0004_outbox_parked"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_stages",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("stage", sa.String(50), primary_key=True),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("campaign_stages")
