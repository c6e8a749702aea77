"""intake's first schema: the outbox and inbox, organisations, nominations and their versions,
uploads, past honourees and flags

Written out table by table (it first built them from the models of the day, which later revisions then
had to tolerate); the schema is the one it always produced.

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

TABLES = ("organisations", "nominations", "nomination_versions", "uploads", "honourees", "flags")


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "honourees",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("person_key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(10), server_default="person", nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(300), nullable=False),
        sa.Column("phone_hash", sa.String(64)),
        sa.Column("campaign_year", sa.Integer, nullable=False),
        sa.Column("campaign_name", sa.String(200), nullable=False),
        sa.Column("domain", sa.String(50)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_key", "campaign_name", name="one_record_per_campaign")
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(100), server_default="", nullable=False),
        sa.Column("phone", sa.String(30), server_default="", nullable=False),
        sa.Column("member_units", JSONB, server_default="[]", nullable=False),
        sa.Column("quota", sa.Integer, nullable=False),
        sa.Column("used", sa.Integer, server_default="0", nullable=False),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("used >= 0 AND used <= quota", name="quota_respected"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "email", name="one_account_per_email")
    )
    op.create_table(
        "nominations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(30), nullable=False),
        sa.Column("organisation_id", sa.String(36)),
        sa.Column("nominee_kind", sa.String(10), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("data", JSONB, server_default="{}", nullable=False),
        sa.Column("version", sa.Integer, server_default="0", nullable=False),
        sa.Column("holds_quota", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("submit_key", sa.String(100)),
        sa.Column("nominee_key", sa.String(300)),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("correction_deadline", sa.DateTime(timezone=True)),
        sa.Column("open_fields", JSONB, server_default="[]", nullable=False),
        sa.Column("open_files", JSONB, server_default="[]", nullable=False),
        sa.Column("return_reason", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_nominations_campaign_id", "nominations", ["campaign_id"])
    op.create_index("ix_nominations_nominee_key", "nominations", ["nominee_key"])
    op.create_index("ix_nominations_organisation_id", "nominations", ["organisation_id"])
    op.create_index("ix_nominations_state", "nominations", ["state"])
    op.create_table(
        "flags",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("nomination_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("detail", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["nomination_id"], ["nominations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nomination_id", "kind", name="one_flag_per_kind")
    )
    op.create_index("ix_flags_nomination_id", "flags", ["nomination_id"])
    op.create_table(
        "nomination_versions",
        sa.Column("nomination_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("snapshot", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["nomination_id"], ["nominations.id"]),
        sa.PrimaryKeyConstraint("nomination_id", "version")
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("nomination_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("object_key", sa.String(300), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), server_default="pending", nullable=False),
        sa.Column("verdict", sa.String(20)),
        sa.Column("findings", JSONB),
        sa.Column("phash", sa.String(16)),
        sa.Column("derivatives", JSONB, server_default="{}", nullable=False),
        sa.Column("replaced", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("scan_attempts", sa.Integer, server_default="0", nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["nomination_id"], ["nominations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("object_key")
    )
    op.create_index("ix_uploads_nomination_id", "uploads", ["nomination_id"])
    op.create_index("ix_uploads_phash", "uploads", ["phash"])
    op.create_index("ix_uploads_sha256", "uploads", ["sha256"])


def downgrade() -> None:
    for name in reversed(TABLES + ("inbox", "outbox")):
        op.drop_table(name)
