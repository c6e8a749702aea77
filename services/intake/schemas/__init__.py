"""The registration form (R6) as Marshmallow schemas, shared by the HTML form and the JSON API.

Build schemas for a campaign with the factories: `nomination_schema(campaign, draft=...)`,
`person_schema(campaign)`, `team_schema(campaign)`, `media_honour_schema(campaign)`. Every message names
its field: a Message (field_messages) that reads `联系电话：请输入 11 位手机号码，如 13812345678`. Blank strings count as absent, so a
draft may hold empty inputs; the submit schema requires every field. Works on marshmallow 3.26 and 4.x.

The package: field_types.py (the field types), base.py (FormRules, FormSchema), sections.py (person, team, media
honour, contact), nomination.py (the whole form, deeds_char_count), labels.py (FIELD_LABELS), problems.py
(flatten_errors, named_rows, started_honour_problems, page_position); the factories are here.
"""
from functools import cache

from marshmallow import Schema, fields

from services.intake.schemas.base import FormRules, list_messages, nested_messages
from services.intake.schemas.nomination import NominationSchema
from services.intake.schemas.sections import MediaHonourSchema, PersonSchema, TeamSchema
from shared.campaign.model import Campaign


def nomination_schema(campaign: Campaign, *, draft: bool = False) -> NominationSchema:
    """The form schema: `draft=True` accepts any part of the form (partial), else every field is required.
    One shared instance per campaign's rules (a load keeps no state on the schema; building one copied every
    field and nested schema, a third of a status request's time): use it, never change it."""
    return _nomination_schema(FormRules.from_campaign(campaign), draft)


@cache
def _nomination_schema(rules: "FormRules", draft: bool) -> NominationSchema:
    return _classes(rules)["nomination"](partial=draft)


def person_schema(campaign: Campaign, **kwargs) -> PersonSchema:
    return _classes(FormRules.from_campaign(campaign))["person"](**kwargs)


def team_schema(campaign: Campaign, **kwargs) -> TeamSchema:
    return _classes(FormRules.from_campaign(campaign))["team"](**kwargs)


def media_honour_schema(campaign: Campaign, **kwargs) -> MediaHonourSchema:
    return _classes(FormRules.from_campaign(campaign))["media_honour"](**kwargs)


@cache
def _classes(rules: FormRules) -> dict[str, type[Schema]]:
    """Schema classes bound to one campaign's rules (nested fields point at the bound classes)."""

    class CampaignPersonSchema(PersonSchema):
        pass

    class CampaignTeamSchema(TeamSchema):
        pass

    class CampaignMediaHonourSchema(MediaHonourSchema):
        pass

    class CampaignNominationSchema(NominationSchema):
        person = fields.Nested(CampaignPersonSchema, error_messages=nested_messages("person"))
        team = fields.Nested(CampaignTeamSchema, error_messages=nested_messages("team"))
        media_honours = fields.List(
            fields.Nested(CampaignMediaHonourSchema, error_messages=nested_messages("media_honours.item")),
            error_messages=list_messages("media_honours"),
        )

    bound = {
        "person": CampaignPersonSchema,
        "team": CampaignTeamSchema,
        "media_honour": CampaignMediaHonourSchema,
        "nomination": CampaignNominationSchema,
    }
    for schema_class in bound.values():
        schema_class.rules = rules
    return bound
