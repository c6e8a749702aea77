"""Review's decisions read before the nomination's submission (another topic, not ordered with review's) are
kept until the submission arrives, instead of mailing no one.

Revision ID: 0009_early_events
Revises: 0008_long_addresses
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_early_events"
down_revision = "0008_long_addresses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "early_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("nomination_id", sa.String(64), nullable=False),
        sa.Column("event", JSONB, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_early_events_nomination_id", "early_events", ["nomination_id"])
    op.create_index("ix_early_events_received_at", "early_events", ["received_at"])


def downgrade() -> None:
    op.drop_table("early_events")
