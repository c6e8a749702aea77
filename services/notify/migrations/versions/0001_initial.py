"""notify's first schema: the outbox and inbox, nominations, recipients, organisations, drafts,
reviewers, messages and template overrides

Written out table by table (it first built them from the models of the day, which later revisions then
had to tolerate); the schema is the one it always produced.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("nominations", "recipients", "organisations", "drafts", "reviewers", "messages", "template_overrides")


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "drafts",
        sa.Column("nomination_id", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("campaign_name", sa.String(300), nullable=False),
        sa.Column("is_demo", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("nominee_name", sa.String(200), server_default="", nullable=False),
        sa.Column("contact_name", sa.String(200), server_default="", nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("phone", sa.String(30)),
        sa.Column("edit_url", sa.Text, nullable=False),
        sa.Column("lang", sa.String(10), server_default="zh", nullable=False),
        sa.Column("prefs", JSONB, server_default="{}", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("nomination_id")
    )
    op.create_index("ix_drafts_campaign_id", "drafts", ["campaign_id"])
    op.create_table(
        "messages",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("dedup_key", sa.String(300), nullable=False),
        sa.Column("cause_event_id", sa.String(36)),
        sa.Column("cause_event_type", sa.String(100), nullable=False),
        sa.Column("nomination_id", sa.String(64)),
        sa.Column("campaign_id", sa.String(100)),
        sa.Column("recipient_kind", sa.String(20), nullable=False),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("template", sa.String(60), nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("context", JSONB, server_default="{}", nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, server_default="0", nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("provider_answer", sa.Text),
        sa.Column("resend_of", sa.String(36)),
        sa.Column("released_by", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedup_key")
    )
    op.create_index("ix_messages_address", "messages", ["address"])
    op.create_index("ix_messages_cause_event_id", "messages", ["cause_event_id"])
    op.create_index("ix_messages_created_at", "messages", ["created_at"])
    op.create_index("ix_messages_nomination_id", "messages", ["nomination_id"])
    op.create_index("ix_messages_resend_of", "messages", ["resend_of"])
    op.create_index("ix_messages_state", "messages", ["state"])
    op.create_index("messages_due", "messages", ["next_attempt_at"], postgresql_where=sa.text("state = 'pending'"))
    op.create_table(
        "nominations",
        sa.Column("nomination_id", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("campaign_name", sa.String(300), nullable=False),
        sa.Column("is_demo", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("nominee_name", sa.String(200), nullable=False),
        sa.Column("domain", sa.String(50), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("status_url", sa.Text, nullable=False),
        sa.Column("org_id", sa.String(64)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("withdrawn", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("in_review_queue", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True)),
        sa.Column("queued_after_correction", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("nomination_id")
    )
    op.create_index("ix_nominations_campaign_id", "nominations", ["campaign_id"])
    op.create_index("ix_nominations_org_id", "nominations", ["org_id"])
    op.create_index("nominations_in_review_queue", "nominations", ["campaign_id", "domain"], postgresql_where=sa.text("in_review_queue"))
    op.create_table(
        "organisations",
        sa.Column("organisation_id", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("campaign_name", sa.String(300), nullable=False),
        sa.Column("is_demo", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(50), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(200), server_default="", nullable=False),
        sa.Column("quota", sa.Integer, nullable=False),
        sa.Column("lang", sa.String(10), server_default="zh", nullable=False),
        sa.Column("prefs", JSONB, server_default="{}", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id")
    )
    op.create_index("ix_organisations_campaign_id", "organisations", ["campaign_id"])
    op.create_table(
        "recipients",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("nomination_id", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("phone", sa.String(30)),
        sa.Column("lang", sa.String(10), server_default="zh", nullable=False),
        sa.Column("org_id", sa.String(64)),
        sa.Column("prefs", JSONB, server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nomination_id", "kind", name="one_recipient_per_role")
    )
    op.create_index("ix_recipients_nomination_id", "recipients", ["nomination_id"])
    op.create_index("ix_recipients_org_id", "recipients", ["org_id"])
    op.create_table(
        "reviewers",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(30)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("domains", JSONB, server_default="[]", nullable=False),
        sa.Column("reminders", sa.Boolean, server_default=sa.true(), nullable=False),
        sa.Column("sms", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("lang", sa.String(10), server_default="zh", nullable=False),
        sa.Column("active", sa.Boolean, server_default=sa.true(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email")
    )
    op.create_table(
        "template_overrides",
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("name", "lang", "channel")
    )


def downgrade() -> None:
    for name in reversed(TABLES + ("inbox", "outbox")):
        op.drop_table(name)
