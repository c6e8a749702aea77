"""Payloads of the archive topic (producer: archive)."""
from marshmallow import EXCLUDE, Schema, fields

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
