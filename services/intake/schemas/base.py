"""What every part of the form shares: the campaign's rules (FormRules) and the schema they bind to
(FormSchema: blank strings count as absent, unknown fields are refused)."""
from dataclasses import dataclass
from typing import ClassVar

from marshmallow import Schema, pre_load

from services.intake.field_messages import field_messages
from shared.campaign.model import Campaign
from shared.i18n import message


@dataclass(frozen=True)
class FormRules:
    """What the form needs of a campaign."""

    campaign_id: str
    channels: tuple[str, ...]
    self_channels: tuple[str, ...]
    nominee_kinds: tuple[str, ...]
    domains: tuple[str, ...]
    age_min: int
    age_max: int
    deeds_min_chars: int
    deeds_max_chars: int
    media_honours_max: int
    team_members_min: int
    team_members_max: int
    time_zone: str

    @classmethod
    def from_campaign(cls, campaign: Campaign) -> "FormRules":
        limits = campaign.form_limits
        return cls(
            campaign_id=campaign.id,
            channels=campaign.channel_codes,
            self_channels=tuple(c.code for c in campaign.channels if c.is_self_nomination),
            nominee_kinds=campaign.nominee_kind_codes,
            domains=campaign.domains,
            age_min=campaign.age_range.min,
            age_max=campaign.age_range.max,
            deeds_min_chars=limits.deeds_min_chars,
            deeds_max_chars=limits.deeds_max_chars,
            media_honours_max=limits.media_honours_max,
            team_members_min=limits.team_members_min,
            team_members_max=limits.team_members_max,
            time_zone=campaign.time_zone,
        )


class FormSchema(Schema):
    """Blank strings count as absent; unknown fields are refused."""

    rules: ClassVar["FormRules | None"] = None
    error_messages = {"unknown": message("intake.hint.not_in_form"), "type": message("intake.hint.not_a_group")}

    class Meta:
        register = False

    @pre_load
    def drop_blank_strings(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        return {key: value for key, value in data.items() if not (isinstance(value, str) and not value.strip())}

    def campaign_rules(self) -> FormRules:
        if self.rules is None:
            raise TypeError("build this schema for a campaign, e.g. nomination_schema(campaign)")
        return self.rules


def list_messages(path: str) -> dict:
    return field_messages(path, "intake.hint.not_a_list")


def nested_messages(path: str) -> dict:
    messages = field_messages(path, "intake.hint.format")
    return {**messages, "type": messages["invalid"]}
