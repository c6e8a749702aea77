"""the outbox keeps the trace context of the span that wrote each row (shared/tracing)

Revision ID: 0008_outbox_trace_context
Revises: 0007_campaign_stages
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_outbox_trace_context"
down_revision = "0007_campaign_stages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("trace_context", sa.String(100)))


def downgrade() -> None:
    op.drop_column("outbox", "trace_context")
