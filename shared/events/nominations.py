"""Payloads of the nominations topic (producer: intake)."""
from marshmallow import EXCLUDE, Schema, fields, validate

from shared.events.registry import register
from shared.events.topics import NOMINATIONS

CHANNELS = ("self", "local_association", "council_unit", "member_unit", "branch")
FILE_KINDS = ("photo", "sealed_form", "certificate", "media_proof")
# A nomination's short reference (申报编号, `2022-00042`), added to version 1 of every nomination event:
# optional, so events published before it existed still load (as "").
REFERENCE_MAX = 30


def reference_field():
    return fields.String(load_default="", validate=validate.Length(max=REFERENCE_MAX))


class _Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


class RecommenderSchema(_Lenient):
    org_id = fields.String(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True)
    email = fields.String(allow_none=True)


class PersonSchema(_Lenient):
    name = fields.String(required=True)
    gender = fields.String(allow_none=True)
    ethnic_group = fields.String(allow_none=True)
    age = fields.Integer(allow_none=True)
    political_status = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)


class TeamLeaderSchema(_Lenient):
    name = fields.String(required=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class TeamMemberSchema(_Lenient):
    name = fields.String(required=True)
    role = fields.String(allow_none=True)


class TeamSchema(_Lenient):
    name = fields.String(required=True)
    leader = fields.Nested(TeamLeaderSchema, required=True)
    members = fields.List(fields.Nested(TeamMemberSchema), required=True)
    unit = fields.String(allow_none=True)


class MediaHonourSchema(_Lenient):
    title = fields.String(required=True)
    level = fields.String(allow_none=True)
    issuer = fields.String(allow_none=True)
    date = fields.String(allow_none=True)


class ContactSchema(_Lenient):
    name = fields.String(required=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class FileRefSchema(_Lenient):
    file_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(FILE_KINDS))
    object_key = fields.String(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True)
    filename = fields.String(allow_none=True)
    verdict = fields.String(allow_none=True, load_default=None)
    reasons = fields.List(fields.String(), load_default=list)
    codes = fields.List(fields.String(), load_default=list)  # the scan's finding codes, beside its reasons
    seal_confirmed_by_applicant = fields.Boolean(load_default=False)


class NominationSnapshotSchema(_Lenient):
    nomination_id = fields.String(required=True)
    reference = reference_field()
    campaign_id = fields.String(required=True)
    campaign_name = fields.String(required=True)
    is_demo = fields.Boolean(load_default=False)
    version = fields.Integer(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    recommender = fields.Nested(RecommenderSchema, allow_none=True)
    nominee_kind = fields.String(required=True, validate=validate.OneOf(("person", "team")))
    nominee_name = fields.String(required=True)
    person = fields.Nested(PersonSchema, allow_none=True)
    team = fields.Nested(TeamSchema, allow_none=True)
    domain = fields.String(required=True)
    deeds = fields.String(required=True)
    media_honours = fields.List(fields.Nested(MediaHonourSchema), load_default=list)
    media_priority = fields.Boolean(required=True)
    contact = fields.Nested(ContactSchema, required=True)
    status_url = fields.String(required=True)
    files = fields.List(fields.Nested(FileRefSchema), required=True)
    submitted_at = fields.String(required=True)


@register("nomination.submitted", 1, NOMINATIONS)
class NominationSubmitted(NominationSnapshotSchema):
    pass


@register("nomination.resubmitted", 1, NOMINATIONS)
class NominationResubmitted(NominationSnapshotSchema):
    changed_fields = fields.List(fields.String(), load_default=list)
    changed_files = fields.List(fields.String(), load_default=list)


@register("nomination.withdrawn", 1, NOMINATIONS)
class NominationWithdrawn(_Lenient):
    nomination_id = fields.String(required=True)
    reference = reference_field()
    campaign_id = fields.String(required=True)
    by = fields.String(required=True)
    reason = fields.String(load_default="")


@register("upload.scanned", 1, NOMINATIONS)
class UploadScanned(_Lenient):
    nomination_id = fields.String(required=True)
    reference = reference_field()
    file_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(FILE_KINDS))
    filename = fields.String(allow_none=True)
    verdict = fields.String(required=True, validate=validate.OneOf(("ok", "flagged", "refused")))
    reasons = fields.List(fields.String(), load_default=list)  # in Chinese, as ever
    # Added to version 1, optional: findings["messages"], each reason as a message code with its parameters
    # (shared.i18n.messages.as_plain), in step with findings["codes"], to render in the reader's language.
    findings = fields.Dict(required=True)
    duplicates = fields.List(fields.Dict(), load_default=list)
    # Added to version 1, optional: the file of a nomination already submitted (its scan finished after the
    # submission, as on the last evening) flagged or refused: until when the applicant may replace it.
    replace_until = fields.String(load_default="")


@register("organisation.invited", 1, NOMINATIONS)
class OrganisationInvited(_Lenient):
    organisation_id = fields.String(required=True)
    campaign_id = fields.String(required=True)
    campaign_name = fields.String(required=True)
    is_demo = fields.Boolean(load_default=False)
    name = fields.String(required=True)
    type = fields.String(required=True)
    email = fields.String(required=True)
    contact_name = fields.String(load_default="")
    quota = fields.Integer(required=True)
    invitation_url = fields.String(required=True)
    deadline_local = fields.String(load_default="")
    # Added to version 1, optional: an invitation the secretariat sent again, and whether the account has a
    # password already (the link then sets a new one).
    resent = fields.Boolean(load_default=False)
    has_password = fields.Boolean(load_default=False)


@register("nomination.draft_saved", 1, NOMINATIONS)
class NominationDraftSaved(_Lenient):
    """A draft saved with a reachable contact, published when it is first so or when its contact e-mail or
    nominee name changes (not on every autosave): notify reminds the contact of it before the deadline."""

    nomination_id = fields.String(required=True)
    reference = reference_field()
    campaign_id = fields.String(required=True)
    campaign_name = fields.String(required=True)
    is_demo = fields.Boolean(load_default=False)
    nominee_name = fields.String(load_default="")
    contact = fields.Nested(ContactSchema, required=True)
    edit_url = fields.String(required=True)
    # Reminders go only to a verified contact: False tells notify to stop (the e-mail changed).
    contact_verified = fields.Boolean(load_default=False)


@register("nomination.file_replaced", 1, NOMINATIONS)
class NominationFileReplaced(_Lenient):
    """After submission and before the material check, the applicant replaced a file its scan flagged:
    the new file (its scan follows as upload.scanned); the replaced one stays on record."""

    nomination_id = fields.String(required=True)
    reference = reference_field()
    campaign_id = fields.String(required=True)
    replaced_file_id = fields.String(required=True)
    file = fields.Nested(FileRefSchema, required=True)


@register("nomination.contact_verified", 1, NOMINATIONS)
class NominationContactVerified(NominationDraftSaved):
    """The draft's contact opened the verification link mailed to it: notify mails the draft's private
    link, and may remind the contact from then on."""


@register("nomination.contact_verification_requested", 1, NOMINATIONS)
class ContactVerificationRequested(_Lenient):
    """The applicant asked for a link to verify the draft's contact e-mail (mailed to it, never by SMS)."""

    nomination_id = fields.String(required=True)
    reference = reference_field()
    campaign_id = fields.String(required=True)
    campaign_name = fields.String(required=True)
    is_demo = fields.Boolean(load_default=False)
    nominee_name = fields.String(load_default="")
    contact = fields.Nested(ContactSchema, required=True)
    verify_url = fields.String(required=True)
    valid_days = fields.Integer(required=True)


class LinkedNominationSchema(_Lenient):
    nomination_id = fields.String(required=True)
    reference = reference_field()
    nominee_name = fields.String(load_default="")
    state_name = fields.String(load_default="")
    edit_url = fields.String(required=True)


@register("nomination.links_requested", 1, NOMINATIONS)
class NominationLinksRequested(_Lenient):
    """Someone asked for the private links of the nominations whose verified contact is `email` (keyed by
    campaign): notify mails them to that address only."""

    campaign_id = fields.String(required=True)
    campaign_name = fields.String(required=True)
    is_demo = fields.Boolean(load_default=False)
    email = fields.String(required=True)
    nominations = fields.List(fields.Nested(LinkedNominationSchema), required=True)
