"""Payloads of the notifications topic (producer: notify)."""
from marshmallow import EXCLUDE, Schema, fields, validate

from shared.events.registry import register
from shared.events.topics import NOTIFICATIONS


class Delivery(Schema):
    class Meta:
        unknown = EXCLUDE

    message_id = fields.String(required=True)
    cause_event_id = fields.String(required=True)
    cause_event_type = fields.String(required=True)
    recipient = fields.String(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(("email", "sms")))
    template = fields.String(required=True)
    attempt = fields.Integer(required=True)
    provider_answer = fields.String(load_default="")


register("message.delivered", 1, NOTIFICATIONS)(Delivery)
register("message.failed", 1, NOTIFICATIONS)(Delivery)
