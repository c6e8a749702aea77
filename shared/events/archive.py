"""Payloads of the archive topic (producer: archive)."""
from marshmallow import EXCLUDE, Schema, fields, validate

from shared.events.registry import register
from shared.events.topics import ARCHIVE


@register("honouree.recorded", 1, ARCHIVE)
class HonoureeRecorded(Schema):
    class Meta:
        unknown = EXCLUDE

    person_key = fields.String(required=True)
    kind = fields.String(load_default="person")
    name = fields.String(required=True)
    unit = fields.String(required=True)
    phone_hash = fields.String(allow_none=True, load_default=None)
    campaign_year = fields.Integer(required=True)
    campaign_name = fields.String(required=True)
    domain = fields.String(allow_none=True, load_default=None)


@register("honouree.recorded", 2, ARCHIVE)
class HonoureeRecordedV2(Schema):
    """v2: the phone is an HMAC keyed with the deployment's phone-hash secret (shared/nominees.py), never a
    bare hash a phone number can be recovered from. v1 is no longer published."""

    class Meta:
        unknown = EXCLUDE

    person_key = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("person", "team")))
    name = fields.String(required=True)
    unit = fields.String(required=True)
    phone_hmac = fields.String(allow_none=True, load_default=None)
    campaign_id = fields.String(allow_none=True, load_default=None)
    campaign_year = fields.Integer(required=True)
    campaign_name = fields.String(required=True)
    domain = fields.String(allow_none=True, load_default=None)
    source = fields.String(required=True, validate=validate.OneOf(("confirmed", "import")))
