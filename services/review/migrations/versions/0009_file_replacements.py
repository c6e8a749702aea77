"""flagged files the applicant replaced after submission (file_replacements), part of the read model

Revision ID: 0009_file_replacements
Revises: 0008_objections
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_file_replacements"
down_revision = "0008_objections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_replacements",
        sa.Column("nomination_id", sa.String(64), primary_key=True),
        sa.Column("replaced_file_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("replaced_filename", sa.String(300), nullable=False, server_default=""),
        sa.Column("file", JSONB, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("file_replacements")
