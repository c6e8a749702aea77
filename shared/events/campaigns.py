"""Payloads of the campaigns topic (producer: intake's scheduler)."""
from marshmallow import EXCLUDE, Schema, fields

from shared.events.registry import register
from shared.events.topics import CAMPAIGNS


class StageChanged(Schema):
    class Meta:
        unknown = EXCLUDE

    campaign_id = fields.String(required=True)
    stage = fields.String(required=True)
    at_utc = fields.AwareDateTime(required=True)
    at_local = fields.String(required=True)


register("campaign.stage_opened", 1, CAMPAIGNS)(StageChanged)
register("campaign.stage_closed", 1, CAMPAIGNS)(StageChanged)
