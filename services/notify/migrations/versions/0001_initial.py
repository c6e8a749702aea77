"""notify's first schema: the outbox and inbox, and every table of adapters/orm.py at 0001

Revision ID: 0001
Revises:
"""
from alembic import op

from shared.db import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("nominations", "recipients", "organisations", "drafts", "reviewers", "messages", "template_overrides")


def upgrade() -> None:
    from services.notify.adapters.orm import metadata

    create_messaging_tables(op)
    bind = op.get_bind()
    for name in TABLES:
        metadata.tables[name].create(bind)


def downgrade() -> None:
    for name in reversed(TABLES + ("inbox", "outbox")):
        op.drop_table(name)
