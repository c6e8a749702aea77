"""outbox rows the broker refuses for good are parked (failed_at, failure) instead of blocking the relay

Revision ID: 0006_outbox_parked
Revises: 0005
"""
from alembic import op

from shared.db import park_outbox_rows, unpark_outbox_rows

revision = "0006_outbox_parked"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    park_outbox_rows(op)


def downgrade() -> None:
    unpark_outbox_rows(op)
