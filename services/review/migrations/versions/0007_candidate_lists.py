"""the committee's confirmed candidate list per campaign (ranking, notice window, announcement), its
recorded tie decisions and the changes of the list (who left, who took the place)

Revision ID: 0007_candidate_lists
Revises: 0006_purged_campaigns
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007_candidate_lists"
down_revision = "0006_purged_campaigns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "candidate_lists",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("places", sa.Integer, nullable=False),
        sa.Column("ranking", JSONB, nullable=False),
        sa.Column("confirmed_by", sa.String(200), nullable=False),
        sa.Column("confirmed_by_name", sa.String(200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(200)),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("notice_opens_at", sa.DateTime(timezone=True)),
        sa.Column("notice_closes_at", sa.DateTime(timezone=True)),
        sa.Column("announced_by", sa.String(200)),
        sa.Column("announced_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_table(
        "tie_decisions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("ordered", JSONB, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("by_name", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_tie_decisions_campaign_id", "tie_decisions", ["campaign_id"])
    op.create_table(
        "list_changes",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("left_id", sa.String(64), nullable=False),
        sa.Column("came_in_id", sa.String(64)),
        sa.Column("why", sa.String(30), nullable=False),
        sa.Column("objection_id", sa.String(30)),
    )
    op.create_index("ix_list_changes_campaign_id", "list_changes", ["campaign_id"])


def downgrade() -> None:
    op.drop_table("list_changes")
    op.drop_table("tie_decisions")
    op.drop_table("candidate_lists")
