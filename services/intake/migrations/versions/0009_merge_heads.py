"""join the two revisions that both followed 0007 (the honourees' keyed phone hashes, the outbox's trace
context): one head

Revision ID: 0009_merge_heads
Revises: 0008_honouree_phone_hmac, 0008_outbox_trace_context
"""
revision = "0009_merge_heads"
down_revision = ("0008_honouree_phone_hmac", "0008_outbox_trace_context")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
