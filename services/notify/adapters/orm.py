"""Notify's tables: the nominations it has heard of and who hears about each, the recommending
organisations invited and the drafts not yet submitted (for the reminders), the reviewers the secretariat
registered and the nominations open in their queue, every message (recorded before
it is sent), and the secretariat's edits of the templates."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from shared.campaign_stages import campaign_stages_table
from shared.db import inbox_table, outbox_table

metadata = sa.MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
campaign_stages = campaign_stages_table(metadata)  # the stage changes review's scheduler announced

# Message states: held (a large send waiting for the secretariat's release) -> pending -> sent | failed.
HELD, PENDING, SENT, FAILED = "held", "pending", "sent", "failed"
MESSAGE_STATES = (HELD, PENDING, SENT, FAILED)

nominations = sa.Table(
    "nominations", metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("campaign_name", sa.String(300), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("nominee_name", sa.String(200), nullable=False),
    sa.Column("reference", sa.String(30), nullable=False, server_default=""),  # the 申报编号 people quote
    sa.Column("domain", sa.String(50), nullable=False),
    sa.Column("channel", sa.String(50), nullable=False),
    sa.Column("status_url", sa.Text, nullable=False),
    sa.Column("org_id", sa.String(64), index=True),  # the recommending organisation, whose quota place it takes
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.false()),
    # The review queue: open from a submission or resubmission until returned, advanced, disqualified or
    # withdrawn; `queued_at` is when notify learnt it became open (the reviewers' digest lists it once).
    sa.Column("in_review_queue", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("queued_at", sa.DateTime(timezone=True)),
    sa.Column("queued_after_correction", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("nominations_in_review_queue", "campaign_id", "domain", postgresql_where=sa.text("in_review_queue")),
)

recipients = sa.Table(
    "recipients", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("nomination_id", sa.String(64), nullable=False, index=True),
    sa.Column("campaign_id", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("phone", sa.String(30)),
    sa.Column("lang", sa.String(10), nullable=False, server_default="zh"),
    sa.Column("org_id", sa.String(64), index=True),
    sa.Column("prefs", JSONB, nullable=False, server_default="{}"),
    # A submission names one contact, one nominee and one recommender; a resubmission replaces them.
    sa.UniqueConstraint("nomination_id", "kind", name="one_recipient_per_role"),
)

# The recommending organisations the secretariat invited (organisation.invited), reminded of unused places.
organisations = sa.Table(
    "organisations", metadata,
    sa.Column("organisation_id", sa.String(64), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("campaign_name", sa.String(300), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("type", sa.String(50), nullable=False),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("contact_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("quota", sa.Integer, nullable=False),
    sa.Column("lang", sa.String(10), nullable=False, server_default="zh"),
    sa.Column("prefs", JSONB, nullable=False, server_default="{}"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# Drafts saved with a reachable contact (nomination.draft_saved), until submitted or withdrawn.
drafts = sa.Table(
    "drafts", metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("campaign_name", sa.String(300), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("nominee_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("reference", sa.String(30), nullable=False, server_default=""),
    sa.Column("contact_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("email", sa.String(254)),
    sa.Column("phone", sa.String(30)),
    sa.Column("edit_url", sa.Text, nullable=False),
    sa.Column("lang", sa.String(10), nullable=False, server_default="zh"),
    sa.Column("prefs", JSONB, nullable=False, server_default="{}"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# The reviewers the secretariat registers on the admin pages (review publishes no reviewer accounts):
# the digest of new work and the reminders before the review stage closes go to them.
reviewers = sa.Table(
    "reviewers", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254), nullable=False, unique=True),  # lower case
    sa.Column("phone", sa.String(30)),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("domains", JSONB, nullable=False, server_default="[]"),  # none: every business domain
    sa.Column("reminders", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("sms", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("lang", sa.String(10), nullable=False, server_default="zh"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("subject", sa.String(200)),  # review's account (identity provider subject)
    sa.Index("reviewers_subject_key", "subject", unique=True),
)

messages = sa.Table(
    "messages", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("dedup_key", sa.String(300), nullable=False, unique=True),
    sa.Column("cause_event_id", sa.String(36), index=True),  # none for a reminder
    sa.Column("cause_event_type", sa.String(100), nullable=False),
    sa.Column("nomination_id", sa.String(64), index=True),
    sa.Column("campaign_id", sa.String(100)),
    sa.Column("recipient_kind", sa.String(20), nullable=False),
    sa.Column("recipient_name", sa.String(200), nullable=False),
    sa.Column("address", sa.String(254), nullable=False, index=True),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("template", sa.String(60), nullable=False),
    sa.Column("reference", sa.String(30), index=True),  # the nomination's 申报编号, for the secretariat's search
    sa.Column("lang", sa.String(10), nullable=False),
    sa.Column("context", JSONB, nullable=False, server_default="{}"),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("state", sa.String(20), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("failure", sa.String(20)),  # why a failed message failed for good (domain/failures.py)
    sa.Column("provider_answer", sa.Text),
    sa.Column("resend_of", sa.String(36), index=True),
    sa.Column("released_by", sa.String(100)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now(), index=True),
    # When the delivery task is due (queued, or retrying after a back-off): the sweeper re-queues a
    # pending message whose task is overdue, i.e. lost with a worker.
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Index("messages_due", "next_attempt_at", postgresql_where=sa.text("state = 'pending'")),
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

# Review's decisions about a nomination notify has not yet heard was submitted (two topics, not ordered between
# them): kept until the submission arrives, then handled (services/notify/domain/early_events.py).
early_events = sa.Table(
    "early_events", metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("nomination_id", sa.String(64), nullable=False, index=True),
    sa.Column("event", JSONB, nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now(), index=True),
)
