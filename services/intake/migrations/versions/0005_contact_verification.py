"""the contact e-mail a draft's contact verified, and the verification mails asked for

Revision ID: 0005_contact_verification
Revises: 0004_listed_columns, 0004_outbox_parked (joins the two heads)

0001 builds its tables from the current ORM metadata, so on an empty database these columns exist
already when this runs: hence IF NOT EXISTS.
"""
from alembic import op

revision = "0005_contact_verification"
down_revision = ("0004_listed_columns", "0004_outbox_parked")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE nominations ADD COLUMN IF NOT EXISTS contact_verified_email VARCHAR(254)")
    op.execute("ALTER TABLE nominations ADD COLUMN IF NOT EXISTS verification_requests INTEGER NOT NULL DEFAULT 0")


def downgrade() -> None:
    op.execute("ALTER TABLE nominations DROP COLUMN IF EXISTS verification_requests")
    op.execute("ALTER TABLE nominations DROP COLUMN IF EXISTS contact_verified_email")
