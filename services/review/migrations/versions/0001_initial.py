"""the outbox, the inbox, the nominations read model and scan findings

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "nominations",
        sa.Column("nomination_id", sa.String(64), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
        sa.Column("nominee_name", sa.String(200), nullable=False),
        sa.Column("domain", sa.String(50), nullable=False, index=True),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("media_priority", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("snapshot", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "scan_findings",
        sa.Column("file_id", sa.String(64), primary_key=True),
        sa.Column("nomination_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("reasons", JSONB, nullable=False),
        sa.Column("findings", JSONB, nullable=False),
        sa.Column("duplicates", JSONB, nullable=False),
    )


def downgrade() -> None:
    for table in ("scan_findings", "nominations", "inbox", "outbox"):
        op.drop_table(table)
