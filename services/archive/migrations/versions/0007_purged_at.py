"""when the archive purged a campaign (events of it arriving later are kept redacted)

Revision ID: 0007_purged_at
Revises: 0006_outbox_parked
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_purged_at"
down_revision = "0006_outbox_parked"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("purges", sa.Column("purged_at", sa.DateTime(timezone=True)))
    # A purge confirmed by the archive before this revision was done when its confirmation was recorded.
    op.execute("UPDATE purges SET purged_at = (confirmations -> 'archive' ->> 'at')::timestamptz "
               "WHERE confirmations ? 'archive'")


def downgrade() -> None:
    op.drop_column("purges", "purged_at")
