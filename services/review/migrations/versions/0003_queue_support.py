"""the work queue in one table: each review row carries what the queue filters, sorts and searches on
(copied from the nomination's newest version), so a page is one indexed query without a join; and the
conflicts of interest the domain rule found, per staff member, for lists to leave out

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("nominations", sa.Column("scan_flags", JSONB, nullable=False, server_default="[]"))
    for column in (
        sa.Column("domain", sa.String(50), nullable=False, server_default=""),
        sa.Column("channel", sa.String(50), nullable=False, server_default=""),
        sa.Column("nominee_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("submitted_at", sa.String(40), nullable=False, server_default=""),
        sa.Column("media_priority", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("media_honours", sa.Integer, nullable=False, server_default="0"),
        sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.Column("search_terms", ARRAY(sa.Text), nullable=False, server_default="{}"),
    ):
        op.add_column("reviews", column)
    op.execute("DROP INDEX IF EXISTS nominations_search")
    op.create_index("reviews_submitted", "reviews", ["submitted_at", "nomination_id"])
    op.create_index("reviews_domain_state_submitted", "reviews", ["domain", "state", "submitted_at"])
    op.create_index("reviews_state_submitted", "reviews", ["state", "submitted_at"])
    op.create_index("reviews_priority", "reviews", ["media_priority", "media_honours", "submitted_at"])
    op.create_index("reviews_assignee_submitted", "reviews", ["assigned_to", "submitted_at"])
    op.execute("CREATE INDEX reviews_search_terms ON reviews USING gin (search_terms)")
    op.create_table(
        "staff_conflicts",
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("nomination_id", sa.String(64), primary_key=True),
        sa.Column("reason", sa.String(100), nullable=False),
    )
    op.create_index("staff_conflicts_nomination", "staff_conflicts", ["nomination_id"])


def downgrade() -> None:
    op.drop_table("staff_conflicts")
    for index in ("reviews_search_terms", "reviews_assignee_submitted", "reviews_priority", "reviews_state_submitted", "reviews_domain_state_submitted",
                  "reviews_submitted"):
        op.execute(f"DROP INDEX IF EXISTS {index}")
    for column in ("search_terms", "search_text", "flagged", "media_honours", "media_priority", "submitted_at",
                   "nominee_name", "channel", "domain"):
        op.drop_column("reviews", column)
    op.drop_column("nominations", "scan_flags")
    op.execute("CREATE INDEX nominations_search ON nominations USING gin ((nominee_name || ' ' || unit) gin_trgm_ops)")
