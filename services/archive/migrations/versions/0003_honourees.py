"""the registry of honourees across years

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "honourees",
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


def downgrade() -> None:
    op.drop_table("honourees")
