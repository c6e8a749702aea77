"""organisations.email as long as the import takes it (254 characters): a longer address than 200 answered
500 at the import's confirmation.

Revision ID: 0011_long_organisation_addresses
Revises: 0010_review_stage
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_long_organisation_addresses"
down_revision = "0010_review_stage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("organisations", "email", type_=sa.String(254), existing_type=sa.String(200))


def downgrade() -> None:
    op.alter_column("organisations", "email", type_=sa.String(200), existing_type=sa.String(254))
