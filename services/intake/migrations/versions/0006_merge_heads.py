"""join the two revisions that both joined 0004's heads (the empty merge, the contact verification): one head

Revision ID: 0006_merge_heads
Revises: 0005_merge_heads, 0005_contact_verification
"""
revision = "0006_merge_heads"
down_revision = ("0005_merge_heads", "0005_contact_verification")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
