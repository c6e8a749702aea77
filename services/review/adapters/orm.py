"""The review service's tables. Two kinds, kept apart so that the first can be rebuilt from the topics:
- the read model, built only from intake's events: nominations (newest snapshot), nomination_versions
  (every version), scan_findings;
- review's own records: reviews (state and assignment of each nomination), staff, conflict declarations,
  decisions, the hash-chained audit_log, and the stage announcements of the scheduler."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from shared.db import inbox_table, outbox_table
from shared.purge import purged_campaigns_table

metadata = sa.MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
purged_campaigns = purged_campaigns_table(metadata)

nominations = sa.Table(
    "nominations",
    metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("nominee_name", sa.String(200), nullable=False),
    sa.Column("domain", sa.String(50), nullable=False, index=True),
    sa.Column("channel", sa.String(50), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),  # intake's: submitted, resubmitted, withdrawn
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("media_priority", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("snapshot", JSONB, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("nominee_kind", sa.String(10), nullable=False, server_default="person"),
    sa.Column("unit", sa.String(400), nullable=False, server_default=""),
    sa.Column("recommender_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("recommender_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("media_honours", sa.Integer, nullable=False, server_default="0"),
    sa.Column("submitted_at", sa.String(40), nullable=False, server_default=""),
    sa.Column("scan_flags", JSONB, nullable=False, server_default="[]"),  # of the current version's files
    sa.Index("nominations_domain_submitted", "domain", "submitted_at"),
    # and nominations_search: a trigram index on nominee_name || ' ' || unit (revision 0002)
)

nomination_versions = sa.Table(
    "nomination_versions",
    metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("event_type", sa.String(50), nullable=False),
    sa.Column("snapshot", JSONB, nullable=False),
    sa.Column("changed_fields", JSONB, nullable=False, server_default="[]"),
    sa.Column("changed_files", JSONB, nullable=False, server_default="[]"),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
)

scan_findings = sa.Table(
    "scan_findings",
    metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True, index=True),
    sa.Column("file_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("reasons", JSONB, nullable=False),
    sa.Column("findings", JSONB, nullable=False),
    sa.Column("duplicates", JSONB, nullable=False),
    sa.Column("filename", sa.String(300)),
    sa.Column("flag", sa.String(30)),  # duplicate_certificate, no_seal: shown in every list
)

# Flagged files the applicant replaced after submission (nomination.file_replaced): read model, rebuilt too.
file_replacements = sa.Table(
    "file_replacements",
    metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("replaced_file_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("replaced_filename", sa.String(300), nullable=False, server_default=""),
    sa.Column("file", JSONB, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(30), nullable=False),
    sa.Column("assigned_to", sa.String(200)),
    sa.Column("assigned_at", sa.DateTime(timezone=True)),
    sa.Column("version_seen", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    # Copied from the nomination's newest version, so the queue is one indexed table (see queue.py).
    sa.Column("domain", sa.String(50), nullable=False, server_default=""),
    sa.Column("channel", sa.String(50), nullable=False, server_default=""),
    sa.Column("nominee_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("submitted_at", sa.String(40), nullable=False, server_default=""),
    sa.Column("media_priority", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("media_honours", sa.Integer, nullable=False, server_default="0"),
    sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    sa.Column("search_terms", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Index("reviews_assigned_to", "assigned_to"),
    sa.Index("reviews_state", "state"),
    sa.Index("reviews_submitted", "submitted_at", "nomination_id"),
    sa.Index("reviews_domain_state_submitted", "domain", "state", "submitted_at"),
    sa.Index("reviews_state_submitted", "state", "submitted_at"),
    sa.Index("reviews_priority", "media_priority", "media_honours", "submitted_at"),
    sa.Index("reviews_assignee_submitted", "assigned_to", "submitted_at"),
    sa.Index("reviews_search_terms", "search_terms", postgresql_using="gin"),
)

staff = sa.Table(
    "staff",
    metadata,
    sa.Column("subject", sa.String(200), primary_key=True),
    sa.Column("username", sa.String(200), nullable=False, server_default=""),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(200), nullable=False, server_default=""),
    sa.Column("role", sa.String(30), nullable=False),
    sa.Column("domains", JSONB, nullable=False, server_default="[]"),
    sa.Column("unit", sa.String(200), nullable=False, server_default=""),
    sa.Column("organisation_id", sa.String(200), nullable=False, server_default=""),
    sa.Column("organisation_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("cap", sa.Integer),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

conflicts = sa.Table(
    "conflict_declarations",
    metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("subject", sa.String(200), primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
)

# Conflicts of interest the domain rule found (own unit, own organisation), kept so that lists can leave
# them out in SQL; declared ones live in conflict_declarations.
staff_conflicts = sa.Table(
    "staff_conflicts",
    metadata,
    sa.Column("subject", sa.String(200), primary_key=True),
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("reason", sa.String(100), nullable=False),
    sa.Index("staff_conflicts_nomination", "nomination_id"),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("nomination_id", sa.String(64), nullable=False, index=True),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("from_state", sa.String(30), nullable=False),
    sa.Column("to_state", sa.String(30), nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("by_name", sa.String(200), nullable=False),
    sa.Column("by_role", sa.String(30), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("rule", sa.String(10), nullable=False, server_default=""),
    sa.Column("fields", JSONB, nullable=False, server_default="[]"),
    sa.Column("files", JSONB, nullable=False, server_default="[]"),
    sa.Column("evidence", JSONB, nullable=False, server_default="[]"),
    sa.Column("correction_deadline", sa.DateTime(timezone=True)),
    sa.Column("override_reason", sa.Text, nullable=False, server_default=""),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("actor_role", sa.String(30), nullable=False),
    sa.Column("action", sa.String(50), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("details", JSONB, nullable=False),
    sa.Column("previous_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

stage_announcements = sa.Table(
    "stage_announcements",
    metadata,
    sa.Column("campaign_id", sa.String(100), primary_key=True),
    sa.Column("stage", sa.String(50), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

campaign_stages = sa.Table(
    "campaign_stages",
    metadata,
    sa.Column("campaign_id", sa.String(100), primary_key=True),
    sa.Column("stage", sa.String(50), primary_key=True),
    sa.Column("opened_at", sa.DateTime(timezone=True)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
)

# The committee's score sheets (R14): one per member and nomination, final once submitted.
score_sheets = sa.Table(
    "score_sheets",
    metadata,
    sa.Column("nomination_id", sa.String(64), primary_key=True),
    sa.Column("member", sa.String(200), primary_key=True),
    sa.Column("member_name", sa.String(200), nullable=False),
    sa.Column("scores", JSONB, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("score_sheets_member", "member"),
)

# Scoring reminders the secretariat sent (through notify), so that a second one an hour later is refused.
scoring_reminders = sa.Table(
    "scoring_reminders",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("members", sa.Integer, nullable=False),
)

# The committee's confirmed list of a campaign (R4c): the whole ranking as confirmed, its first `places`
# the candidates; then the public notice's window, and the announcement of the honourees. `version` grows
# with every change of what the public pages show (their caches key on it).
candidate_lists = sa.Table(
    "candidate_lists",
    metadata,
    sa.Column("campaign_id", sa.String(100), primary_key=True),
    sa.Column("places", sa.Integer, nullable=False),
    sa.Column("ranking", JSONB, nullable=False),
    sa.Column("confirmed_by", sa.String(200), nullable=False),
    sa.Column("confirmed_by_name", sa.String(200), nullable=False),
    sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_by", sa.String(200)),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("notice_opens_at", sa.DateTime(timezone=True)),
    sa.Column("notice_closes_at", sa.DateTime(timezone=True)),
    sa.Column("announced_by", sa.String(200)),
    sa.Column("announced_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)

# The committee's recorded order of nominations tied on every key (the secretariat records it, with why).
tie_decisions = sa.Table(
    "tie_decisions",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("ordered", JSONB, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("by_name", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# Each change of a confirmed list: a candidate who left (disqualified, withdrawn) and who took the place.
list_changes = sa.Table(
    "list_changes",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("left_id", sa.String(64), nullable=False),
    sa.Column("came_in_id", sa.String(64)),
    sa.Column("why", sa.String(30), nullable=False),  # disqualified | withdrawn
    sa.Column("objection_id", sa.String(30)),
)

# Objections filed on the public notice (R12): who filed (name, contact: for the secretariat only), about
# which candidate, the text and an attachment checked as intake checks uploads; then the outcome.
objections = sa.Table(
    "objections",
    metadata,
    sa.Column("number", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("reference", sa.String(30), nullable=False, unique=True),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("nomination_id", sa.String(64), nullable=False, index=True),
    sa.Column("objector_name", sa.String(100), nullable=False),
    sa.Column("objector_contact", sa.String(200), nullable=False),
    sa.Column("objector_email", sa.String(200)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("attachment", JSONB),  # filename, size, sha256, content type, verdict, reasons, object keys
    sa.Column("client", sa.String(64), nullable=False, server_default=""),  # keyed hash of the address
    sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(20), nullable=False, server_default="open"),  # open | dismissed | upheld
    sa.Column("outcome_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("resolved_by", sa.String(200)),
    sa.Column("resolved_by_name", sa.String(200)),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
)
