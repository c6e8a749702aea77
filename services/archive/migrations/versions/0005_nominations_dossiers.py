"""the archive's view of every nomination (reports, search, dossiers) and the sealed dossiers

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nominations",
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
    )
    op.create_table(
        "dossiers",
        sa.Column("nomination_id", sa.String(100), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("object_key", sa.String(300), nullable=False),
        sa.Column("version_id", sa.String(200)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("dossiers")
    op.drop_table("nominations")
