"""the read model's search columns and versions; review's own records: reviews, staff, conflict
declarations, decisions, the append-only audit log, stage announcements and the stages seen

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

APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""


def upgrade() -> None:
    _nomination_columns()
    op.create_table(
        "nomination_versions",
        sa.Column("nomination_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("event_type", sa.String(50), nullable=False),
        sa.Column("snapshot", JSONB, nullable=False),
        sa.Column("changed_fields", JSONB, nullable=False, server_default="[]"),
        sa.Column("changed_files", JSONB, nullable=False, server_default="[]"),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("scan_findings", sa.Column("filename", sa.String(300)))
    op.add_column("scan_findings", sa.Column("flag", sa.String(30)))
    # A file belongs to one nomination: keyed by both, so a reused file id never crosses nominations.
    op.drop_constraint("scan_findings_pkey", "scan_findings", type_="primary")
    op.create_primary_key("scan_findings_pkey", "scan_findings", ["nomination_id", "file_id"])
    _review_tables()
    _record_tables()
    op.execute(APPEND_ONLY)


def _nomination_columns() -> None:
    for column in (
        sa.Column("nominee_kind", sa.String(10), nullable=False, server_default="person"),
        sa.Column("unit", sa.String(400), nullable=False, server_default=""),
        sa.Column("recommender_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("recommender_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("media_honours", sa.Integer, nullable=False, server_default="0"),
        sa.Column("submitted_at", sa.String(40), nullable=False, server_default=""),
    ):
        op.add_column("nominations", column)
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX nominations_search ON nominations USING gin ((nominee_name || ' ' || unit) gin_trgm_ops)")
    op.create_index("nominations_domain_submitted", "nominations", ["domain", "submitted_at"])


def _review_tables() -> None:
    op.create_table(
        "reviews",
        sa.Column("nomination_id", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("assigned_to", sa.String(200)),
        sa.Column("assigned_at", sa.DateTime(timezone=True)),
        sa.Column("version_seen", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("reviews_assigned_to", "reviews", ["assigned_to"])
    op.create_index("reviews_state", "reviews", ["state"])
    op.create_table(
        "staff",
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("username", sa.String(200), nullable=False, server_default=""),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("domains", JSONB, nullable=False, server_default="[]"),
        sa.Column("unit", sa.String(200), nullable=False, server_default=""),
        sa.Column("organisation_id", sa.String(200), nullable=False, server_default=""),
        sa.Column("organisation_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("cap", sa.Integer),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "conflict_declarations",
        sa.Column("nomination_id", sa.String(64), primary_key=True),
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
    )


def _record_tables() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("nomination_id", sa.String(64), nullable=False, index=True),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_state", sa.String(30), nullable=False),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("by_name", sa.String(200), nullable=False),
        sa.Column("by_role", sa.String(30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("rule", sa.String(10), nullable=False, server_default=""),
        sa.Column("fields", JSONB, nullable=False, server_default="[]"),
        sa.Column("files", JSONB, nullable=False, server_default="[]"),
        sa.Column("evidence", JSONB, nullable=False, server_default="[]"),
        sa.Column("correction_deadline", sa.DateTime(timezone=True)),
        sa.Column("override_reason", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(30), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("details", JSONB, nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "stage_announcements",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("stage", sa.String(50), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "campaign_stages",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("stage", sa.String(50), primary_key=True),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in ("campaign_stages", "stage_announcements", "audit_log", "decisions", "conflict_declarations",
                  "staff", "reviews", "nomination_versions"):
        op.drop_table(table)
    op.drop_constraint("scan_findings_pkey", "scan_findings", type_="primary")
    op.create_primary_key("scan_findings_pkey", "scan_findings", ["file_id"])
    op.drop_column("scan_findings", "flag")
    op.drop_column("scan_findings", "filename")
    op.drop_index("nominations_domain_submitted", "nominations")
    op.execute("DROP INDEX IF EXISTS nominations_search")
    for column in ("submitted_at", "media_honours", "recommender_name", "recommender_id", "unit", "nominee_kind"):
        op.drop_column("nominations", column)
