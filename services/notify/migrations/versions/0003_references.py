"""the nominations' short reference (申报编号) kept with each nomination, draft and message, searchable

Revision ID: 0003_references
Revises: 0002

0001 builds its tables from the current ORM metadata, so on an empty database these columns and the index
exist already when this runs: hence IF NOT EXISTS.
"""
from alembic import op

revision = "0003_references"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("nominations", "drafts"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS reference VARCHAR(30) NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE messages ADD COLUMN IF NOT EXISTS reference VARCHAR(30)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_messages_reference ON messages (reference)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_messages_reference")
    for table in ("messages", "drafts", "nominations"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS reference")
