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
    sa.Index("event_log_unsealed", "topic", "partition", "offset", postgresql_where=sa.text("segment_seq IS NULL")),
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

# The registry of honourees across years: from honourees.confirmed, or imported for earlier campaigns.
honourees = sa.Table(
    "honourees",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("person_key", sa.String(300), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(300), nullable=False),
    sa.Column("domain", sa.String(50)),
    sa.Column("province", sa.String(50)),
    sa.Column("campaign_id", sa.String(100)),
    sa.Column("campaign_year", sa.Integer, nullable=False),
    sa.Column("campaign_name", sa.String(200), nullable=False),
    sa.Column("phone_hmac", sa.String(64)),
    sa.Column("nomination_id", sa.String(100)),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("person_key", "campaign_name", name="one_honour_per_campaign"),
)

# PIPL purges asked for, and each service's confirmation.
purges = sa.Table(
    "purges",
    metadata,
    sa.Column("campaign_id", sa.String(100), primary_key=True),
    sa.Column("request_event_id", sa.Uuid, nullable=False),
    sa.Column("fields", JSONB, nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("confirmations", JSONB, nullable=False, server_default="{}"),
    # When the archive did its own purge: from then on, what arrives of the campaign is kept without `fields`.
    sa.Column("purged_at", sa.DateTime(timezone=True)),
)

# Every nomination as the archive last knew it: for the reports, the search of past campaigns and dossiers.
nominations = sa.Table(
    "nominations",
    metadata,
    sa.Column("nomination_id", sa.String(100), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("campaign_name", sa.String(300), nullable=False),
    sa.Column("campaign_year", sa.Integer),
    sa.Column("nominee_kind", sa.String(10), nullable=False),
    sa.Column("nominee_name", sa.String(200), nullable=False, index=True),
    sa.Column("unit", sa.String(400), nullable=False, server_default=""),
    sa.Column("domain", sa.String(50), nullable=False, index=True),
    sa.Column("province", sa.String(50), nullable=False, server_default=""),
    sa.Column("channel", sa.String(50), nullable=False),
    sa.Column("recommender", sa.String(200), nullable=False, server_default=""),
    sa.Column("stage", sa.String(30), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("media_priority", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("files", JSONB, nullable=False, server_default="[]"),
    sa.Column("submitted_at", sa.String(40), nullable=False, server_default=""),
    sa.Column("dossier_due", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("rank", sa.Integer),  # its place in the published candidate list (公示)
    sa.Column("objections", JSONB, nullable=False, server_default="{}"),  # objection id -> pending/upheld/dismissed
)

dossiers = sa.Table(
    "dossiers",
    metadata,
    sa.Column("nomination_id", sa.String(100), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False),
    sa.Column("object_key", sa.String(300), nullable=False),
    sa.Column("version_id", sa.String(200)),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("reason", sa.String(30), nullable=False),
    sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# The public-record part of each honouree's dossier, sealed in clear at the announcement: it outlasts the purge.
public_records = sa.Table(
    "public_records",
    metadata,
    sa.Column("nomination_id", sa.String(100), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("object_key", sa.String(300), nullable=False),
    sa.Column("version_id", sa.String(200)),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("has_photo", sa.Boolean, nullable=False),
    sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
