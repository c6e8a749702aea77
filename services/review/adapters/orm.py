"""The review service's tables: its own read model of the nominations it reviews."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import inbox_table, outbox_table

metadata = sa.MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

nominations = sa.Table(
    "nominations",
    metadata,
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

scan_findings = sa.Table(
    "scan_findings",
    metadata,
    sa.Column("file_id", sa.String(64), primary_key=True),
    sa.Column("nomination_id", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("reasons", JSONB, nullable=False),
    sa.Column("findings", JSONB, nullable=False),
    sa.Column("duplicates", JSONB, nullable=False),
)
