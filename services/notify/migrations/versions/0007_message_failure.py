"""messages.failure: why a failed message failed for good (domain/failures.py), for the metric and the pages

Revision ID: 0007_message_failure
Revises: 0006_outbox_trace_context
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_message_failure"
down_revision = "0006_outbox_trace_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("failure", sa.String(20)))


def downgrade() -> None:
    op.drop_column("messages", "failure")
