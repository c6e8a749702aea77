"""reviewers are review's staff accounts: each keyed by its identity provider subject

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # IF NOT EXISTS: 0001 creates its tables from the models of the day, which already have the column.
    op.execute("ALTER TABLE reviewers ADD COLUMN IF NOT EXISTS subject VARCHAR(200)")
    op.execute("CREATE UNIQUE INDEX IF NOT EXISTS reviewers_subject_key ON reviewers (subject)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS reviewers_subject_key")
    op.execute("ALTER TABLE reviewers DROP CONSTRAINT IF EXISTS reviewers_subject_key")
    op.execute("ALTER TABLE reviewers DROP COLUMN IF EXISTS subject")
