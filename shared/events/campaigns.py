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


@register("campaign.purge_requested", 1, CAMPAIGNS)
class PurgeRequested(Schema):
    """PIPL: the campaign's retention period is over; every service removes `fields` from what it keeps of
    the campaign (and intake the photos of the nominees who were not honoured), then confirms."""

    class Meta:
        unknown = EXCLUDE

    campaign_id = fields.String(required=True)
    personal_fields = fields.List(fields.String(), required=True, data_key="fields")
    keep_photos_of = fields.List(fields.String(), load_default=list)  # the honourees' nomination ids
    retention_rule = fields.String(required=True)
    due_at = fields.AwareDateTime(required=True)


@register("campaign.purged", 1, CAMPAIGNS)
class Purged(Schema):
    """One service's confirmation that it purged the campaign's personal data."""

    class Meta:
        unknown = EXCLUDE

    campaign_id = fields.String(required=True)
    service = fields.String(required=True)
    request_event_id = fields.String(required=True)
    purged = fields.Dict(keys=fields.String(), values=fields.Integer(), load_default=dict)
