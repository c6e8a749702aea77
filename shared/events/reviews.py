"""Payloads of the reviews topic (producer: review)."""
from marshmallow import EXCLUDE, Schema, fields, validate

from shared.events.registry import register
from shared.events.topics import REVIEWS


class _Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


@register("nomination.returned", 1, REVIEWS)
class NominationReturned(_Lenient):
    nomination_id = fields.String(required=True)
    campaign_id = fields.String(required=True)
    fields_to_correct = fields.List(fields.String(), data_key="fields", load_default=list)
    files = fields.List(fields.String(), load_default=list)
    reason = fields.String(required=True, validate=validate.Length(min=1))
    correction_deadline = fields.AwareDateTime(required=True)
    returned_by = fields.String(required=True)


@register("nomination.advanced", 1, REVIEWS)
class NominationAdvanced(_Lenient):
    nomination_id = fields.String(required=True)
    campaign_id = fields.String(required=True)
    from_stage = fields.String(required=True)
    to_stage = fields.String(required=True)
    decided_by = fields.String(required=True)
    scores = fields.Dict(allow_none=True, load_default=None)


@register("nomination.disqualified", 1, REVIEWS)
class NominationDisqualified(_Lenient):
    nomination_id = fields.String(required=True)
    campaign_id = fields.String(required=True)
    stage = fields.String(required=True)
    rule = fields.String(required=True)
    reason = fields.String(required=True)
    replacement_nomination_id = fields.String(allow_none=True, load_default=None)


class CandidateSchema(_Lenient):
    nomination_id = fields.String(required=True)
    rank = fields.Integer(required=True)
    nominee_name = fields.String(required=True)
    unit = fields.String(allow_none=True)
    domain = fields.String(required=True)
    # set when the candidate takes the place of one who left the published list (disqualified, withdrawn):
    # that event names only the newcomer
    replaces = fields.String(allow_none=True, load_default=None)


@register("candidates.published", 1, REVIEWS)
class CandidatesPublished(_Lenient):
    campaign_id = fields.String(required=True)
    candidates = fields.List(fields.Nested(CandidateSchema), required=True)
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    notice_url = fields.String(allow_none=True)


@register("objection.filed", 1, REVIEWS)
class ObjectionFiled(_Lenient):
    nomination_id = fields.String(required=True)
    objection_id = fields.String(required=True)
    objector_email = fields.String(allow_none=True)
    summary = fields.String(required=True)


@register("objection.resolved", 1, REVIEWS)
class ObjectionResolved(ObjectionFiled):
    outcome = fields.String(required=True, validate=validate.OneOf(("upheld", "dismissed")))
    reason = fields.String(required=True)


class HonoureeSchema(_Lenient):
    nomination_id = fields.String(required=True)
    nominee_name = fields.String(required=True)
    unit = fields.String(allow_none=True)
    domain = fields.String(required=True)
    media_priority = fields.Boolean(load_default=False)


@register("honourees.confirmed", 1, REVIEWS)
class HonoureesConfirmed(_Lenient):
    campaign_id = fields.String(required=True)
    honourees = fields.List(fields.Nested(HonoureeSchema), required=True)


@register("staff.updated", 1, REVIEWS)
class StaffUpdated(_Lenient):
    """A staff member's account in review was added or changed (key: their identity provider subject):
    notify keeps its directory of reviewers from these."""

    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name = fields.String(required=True)
    email = fields.String(load_default="")
    role = fields.String(required=True, validate=validate.OneOf(
        ("secretariat", "working_group", "branch", "committee", "auditor")))
    domains = fields.List(fields.String(), load_default=list)
    active = fields.Boolean(required=True)


class MemberToRemind(_Lenient):
    subject = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True, validate=validate.Length(min=3, max=200))
    open_count = fields.Integer(required=True, validate=validate.Range(min=1))


@register("scoring.reminder_requested", 1, REVIEWS)
class ScoringReminderRequested(_Lenient):
    """The secretariat asks notify to remind the committee members who still have nominations to score
    (key: the campaign id); each member named hears once per event."""

    campaign_id = fields.String(required=True)
    campaign_name = fields.String(required=True)
    is_demo = fields.Boolean(load_default=False)
    closes_at = fields.AwareDateTime(required=True)
    scoring_url = fields.String(required=True)
    members = fields.List(fields.Nested(MemberToRemind), required=True, validate=validate.Length(min=1))
