"""the public-record part of each honouree's dossier, sealed in clear so that it outlasts the purge

Revision ID: 0008_public_records
Revises: 0007_purged_at
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_public_records"
down_revision = "0007_purged_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_records",
        sa.Column("nomination_id", sa.String(100), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("object_key", sa.String(300), nullable=False),
        sa.Column("version_id", sa.String(200)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("has_photo", sa.Boolean, nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_public_records_campaign_id", "public_records", ["campaign_id"])


def downgrade() -> None:
    op.drop_table("public_records")
