"""the immutable archive: where each event was read, segments and their chain, per-campaign data keys

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("event_log", sa.Column("topic", sa.String(100)))
    op.add_column("event_log", sa.Column("partition", sa.Integer))
    op.add_column("event_log", sa.Column("offset", sa.BigInteger))
    op.add_column("event_log", sa.Column("campaign_id", sa.String(100)))
    op.add_column("event_log", sa.Column("segment_seq", sa.BigInteger))
    op.create_index("ix_event_log_campaign_id", "event_log", ["campaign_id"])
    op.create_index("event_log_unsealed", "event_log", ["topic", "partition", "offset"],
                    postgresql_where=sa.text("segment_seq IS NULL"))
    op.create_table(
        "segments",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("first_offset", sa.BigInteger, nullable=False),
        sa.Column("last_offset", sa.BigInteger, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("first_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("campaign_ids", JSONB, nullable=False),
        sa.Column("segment_key", sa.String(300), nullable=False, unique=True),
        sa.Column("segment_sha256", sa.String(64), nullable=False),
        sa.Column("segment_version", sa.String(200)),
        sa.Column("manifest_key", sa.String(300), nullable=False, unique=True),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("manifest_version", sa.String(200)),
        sa.Column("retain_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pending_segment", sa.LargeBinary),
        sa.Column("pending_manifest", sa.LargeBinary),
        sa.Column("written_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "campaign_keys",
        sa.Column("key_id", sa.Uuid, primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False, unique=True),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "nomination_campaigns",
        sa.Column("nomination_id", sa.String(100), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("nomination_campaigns")
    op.drop_table("campaign_keys")
    op.drop_table("segments")
    op.drop_index("event_log_unsealed", "event_log")
    op.drop_index("ix_event_log_campaign_id", "event_log")
    for column in ("segment_seq", "campaign_id", "offset", "partition", "topic"):
        op.drop_column("event_log", column)
