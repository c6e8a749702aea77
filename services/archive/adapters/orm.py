"""The archive's tables: every event ever published as it was read (with where it was read), the index of
the segments written to the object-locked bucket, the per-campaign data keys that seal personal data,
which campaign each nomination belongs to, and the purges done."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import inbox_table, outbox_table

metadata = sa.MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

event_log = sa.Table(
    "event_log",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("key", sa.String(200), nullable=False, index=True),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("envelope", JSONB, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("topic", sa.String(100)),
    sa.Column("partition", sa.Integer),
    sa.Column("offset", sa.BigInteger),
    sa.Column("campaign_id", sa.String(100), index=True),
    sa.Column("segment_seq", sa.BigInteger),
)

segments = sa.Table(
    "segments",
    metadata,
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
    # Kept only until both objects are in the bucket, so a sealer stopped half-way writes the same bytes.
    sa.Column("pending_segment", sa.LargeBinary),
    sa.Column("pending_manifest", sa.LargeBinary),
    sa.Column("written_at", sa.DateTime(timezone=True)),
)

campaign_keys = sa.Table(
    "campaign_keys",
    metadata,
    sa.Column("key_id", sa.Uuid, primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, unique=True),
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

nomination_campaigns = sa.Table(
    "nomination_campaigns",
    metadata,
    sa.Column("nomination_id", sa.String(100), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False),
)
