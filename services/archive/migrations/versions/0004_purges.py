"""PIPL purges asked for and confirmed

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purges",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("request_event_id", sa.Uuid, nullable=False),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("confirmations", JSONB, nullable=False, server_default="{}"),
    )


def downgrade() -> None:
    op.drop_table("purges")
