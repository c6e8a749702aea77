"""Notify's tables: who hears about each nomination, every message (recorded before it is sent),
and the secretariat's edits of the templates."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import inbox_table, outbox_table

metadata = sa.MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

recipients = sa.Table(
    "recipients", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("nomination_id", sa.String(36), nullable=False, index=True),
    sa.Column("campaign_id", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(200)),
    sa.Column("phone", sa.String(30)),
    sa.Column("lang", sa.String(10), nullable=False, server_default="zh"),
    sa.Column("org_id", sa.String(36)),
    sa.Column("prefs", JSONB, nullable=False, server_default="{}"),
    sa.Column("context", JSONB, nullable=False, server_default="{}"),
    sa.UniqueConstraint("nomination_id", "kind", "email", name="one_recipient_per_role"),
)

messages = sa.Table(
    "messages", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("dedup_key", sa.String(300), nullable=False, unique=True),
    sa.Column("cause_event_id", sa.String(36), nullable=False),
    sa.Column("cause_event_type", sa.String(100), nullable=False),
    sa.Column("nomination_id", sa.String(36), index=True),
    sa.Column("campaign_id", sa.String(100)),
    sa.Column("recipient_kind", sa.String(20), nullable=False),
    sa.Column("recipient_name", sa.String(200), nullable=False),
    sa.Column("address", sa.String(200), nullable=False),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("template", sa.String(60), nullable=False),
    sa.Column("lang", sa.String(10), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("state", sa.String(20), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("provider_answer", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
)

template_overrides = sa.Table(
    "template_overrides", metadata,
    sa.Column("name", sa.String(60), primary_key=True),
    sa.Column("lang", sa.String(10), primary_key=True),
    sa.Column("channel", sa.String(10), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

reminders_sent = sa.Table(
    "reminders_sent", metadata,
    sa.Column("dedup_key", sa.String(300), primary_key=True),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
