"""the committee's score sheets (one per member and nomination) and the scoring reminders sent

Revision ID: 0005_committee_scoring
Revises: 0004_outbox_parked
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_committee_scoring"
down_revision = "0004_outbox_parked"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_sheets",
        sa.Column("nomination_id", sa.String(64), primary_key=True),
        sa.Column("member", sa.String(200), primary_key=True),
        sa.Column("member_name", sa.String(200), nullable=False),
        sa.Column("scores", JSONB, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("score_sheets_member", "score_sheets", ["member"])
    op.create_table(
        "scoring_reminders",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scoring_reminders")
    op.drop_index("score_sheets_member", table_name="score_sheets")
    op.drop_table("score_sheets")
