"""Intake's tables: nominations and their versions, uploads and their scan findings, recommending
organisations and their quotas, past honourees, and flags for the secretariat."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from shared.campaign_stages import campaign_stages_table
from shared.db import inbox_table, outbox_table

metadata = sa.MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
campaign_stages = campaign_stages_table(metadata)  # the stage changes review's scheduler announced


def _timestamps():
    return (
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


organisations = sa.Table(
    "organisations", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("campaign_id", sa.String(100), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("type", sa.String(30), nullable=False),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("contact_name", sa.String(100), nullable=False, server_default=""),
    sa.Column("phone", sa.String(30), nullable=False, server_default=""),
    sa.Column("member_units", JSONB, nullable=False, server_default="[]"),
    sa.Column("quota", sa.Integer, nullable=False),
    sa.Column("used", sa.Integer, nullable=False, server_default="0"),
    sa.Column("password_hash", sa.String(200)),
    *_timestamps(),
    sa.CheckConstraint("used >= 0 AND used <= quota", name="quota_respected"),
    sa.UniqueConstraint("campaign_id", "email", name="one_account_per_email"),
)

def _of_nominee(field: str) -> str:
    return f"CASE WHEN nominee_kind = 'team' THEN data #>> '{{team,{field}}}' ELSE data #>> '{{person,{field}}}' END"


LISTED_NAME = _of_nominee("name")
LISTED_UNIT = _of_nominee("unit")
SEARCHED_PATHS = ("person,name", "team,name", "person,unit", "team,unit", "person,department", "team,department",
                  "person,phone", "person,email", "team,leader,name", "team,leader,phone", "team,leader,email",
                  "contact,name", "contact,phone", "contact,email", "recommender")
SEARCH_TEXT = "lower(" + " || ' ' || ".join(f"coalesce(data #>> '{{{path}}}', '')" for path in SEARCHED_PATHS) + ")"

# The short reference number people quote (申报编号 2022-00042, shared/reference_numbers.py): given by the
# database when a nomination starts, never reused.
reference_numbers = sa.Sequence("nomination_reference_seq", metadata=metadata)

nominations = sa.Table(
    "nominations", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("reference_number", sa.BigInteger, reference_numbers, server_default=reference_numbers.next_value(),
              nullable=False),
    sa.Column("campaign_id", sa.String(100), nullable=False, index=True),
    sa.Column("channel", sa.String(30), nullable=False),
    sa.Column("organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), index=True),
    sa.Column("nominee_kind", sa.String(10), nullable=False),
    sa.Column("state", sa.String(20), nullable=False, index=True),
    sa.Column("data", JSONB, nullable=False, server_default="{}"),
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("holds_quota", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("submit_key", sa.String(100)),
    sa.Column("nominee_key", sa.String(300), index=True),
    sa.Column("submitted_at", sa.DateTime(timezone=True)),
    sa.Column("correction_deadline", sa.DateTime(timezone=True)),
    sa.Column("open_fields", JSONB, nullable=False, server_default="[]"),
    sa.Column("open_files", JSONB, nullable=False, server_default="[]"),
    sa.Column("return_reason", sa.Text),
    # Where review's decisions have taken a sent nomination (nomination.advanced: approved, shortlisted,
    # not_shortlisted, candidate, not_selected, honouree) and when; none while its material check runs.
    sa.Column("review_stage", sa.String(30)),
    sa.Column("review_stage_at", sa.DateTime(timezone=True)),
    # The contact e-mail its owner confirmed by the link mailed to it (nothing is sent to it before), and
    # how many verification mails were asked for (capped, so a draft cannot mail anyone at will).
    sa.Column("contact_verified_email", sa.String(254)),
    sa.Column("verification_requests", sa.Integer, nullable=False, server_default="0"),
    *_timestamps(),
    # What the secretariat's list shows, filters and searches, kept by PostgreSQL from `data` (migration 0004):
    # the list reads these short columns instead of every row's whole form.
    sa.Column("listed_name", sa.Text, sa.Computed(LISTED_NAME, persisted=True)),
    sa.Column("listed_unit", sa.Text, sa.Computed(LISTED_UNIT, persisted=True)),
    sa.Column("listed_domain", sa.Text, sa.Computed("data ->> 'domain'", persisted=True)),
    sa.Column("search_text", sa.Text, sa.Computed(SEARCH_TEXT, persisted=True)),
    sa.Index("nominations_listed", "campaign_id", sa.text("submitted_at DESC NULLS LAST"),
             sa.text("reference_number DESC")),
    sa.Index("nominations_reference_number_key", "reference_number", unique=True),
)

nomination_versions = sa.Table(
    "nomination_versions", metadata,
    sa.Column("nomination_id", sa.String(36), sa.ForeignKey("nominations.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("snapshot", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

uploads = sa.Table(
    "uploads", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("nomination_id", sa.String(36), sa.ForeignKey("nominations.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("object_key", sa.String(300), nullable=False, unique=True),
    sa.Column("content_type", sa.String(100), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
    sa.Column("verdict", sa.String(20)),
    sa.Column("findings", JSONB),
    sa.Column("phash", sa.String(16), index=True),
    sa.Column("derivatives", JSONB, nullable=False, server_default="{}"),
    sa.Column("replaced", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("scan_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("scanned_at", sa.DateTime(timezone=True)),
    # The perceptual hash cut in four 16-bit bands, each indexed (certificates and proofs only): the
    # near-duplicate search looks them up instead of comparing every stored hash (shared/scans/phash.py).
    *(sa.Column(f"phash_band{band}", sa.Integer) for band in range(4)),
    *_timestamps(),
    *(sa.Index(f"uploads_phash_band{band}", f"phash_band{band}", postgresql_where=sa.text(f"phash_band{band} IS NOT NULL"))
      for band in range(4)),
    sa.Index("uploads_pending", "created_at", postgresql_where=sa.text("status = 'pending'")),
)

honourees = sa.Table(
    "honourees", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("person_key", sa.String(300), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False, server_default="person"),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(300), nullable=False),
    sa.Column("phone_hash", sa.String(64)),
    sa.Column("campaign_year", sa.Integer, nullable=False),
    sa.Column("campaign_name", sa.String(200), nullable=False),
    sa.Column("domain", sa.String(50)),
    sa.Column("source", sa.String(20), nullable=False),
    sa.UniqueConstraint("person_key", "campaign_name", name="one_record_per_campaign"),
)

flags = sa.Table(
    "flags", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("nomination_id", sa.String(36), sa.ForeignKey("nominations.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("detail", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("nomination_id", "kind", name="one_flag_per_kind"),
)
