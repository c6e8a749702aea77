"""E-mail addresses as long as intake takes them (254 characters, RFC 5321's path limit): a contact with a
201-character address had its nomination.submitted dead-lettered here, and no mail.

Revision ID: 0008_long_addresses
Revises: 0007_message_failure
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_long_addresses"
down_revision = "0007_message_failure"
branch_labels = None
depends_on = None

COLUMNS = (("recipients", "email"), ("organisations", "email"), ("drafts", "email"), ("reviewers", "email"),
           ("messages", "address"))


def upgrade() -> None:
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.String(254), existing_type=sa.String(200))


def downgrade() -> None:
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.String(200), existing_type=sa.String(254))
