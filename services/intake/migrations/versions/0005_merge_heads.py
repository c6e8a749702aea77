"""join the two revisions that both followed 0003 (listed columns, parked outbox rows): one head again

Revision ID: 0005_merge_heads
Revises: 0004_listed_columns, 0004_outbox_parked
"""
revision = "0005_merge_heads"
down_revision = ("0004_listed_columns", "0004_outbox_parked")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
