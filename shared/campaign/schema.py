"""Validation of a campaign file's data: its shape (a Marshmallow schema) and the facts across fields.

`validate_campaign_data(raw)` returns the loaded data or raises CampaignError listing every problem as
`path: 中文 / English`, e.g. `channels[2].quota: 必须是正整数 / must be a positive integer`.
"""
from collections.abc import Iterator

from marshmallow import ValidationError, fields, validate

from shared.campaign.codes import AGGREGATIONS, CHANNEL_KINDS, NOMINEE_KINDS, TIE_KEYS
from shared.campaign.cross_checks import cross_field_problems
from shared.campaign.errors import CampaignError
from shared.campaign.file_fields import (LIST, REQUIRED, TEXT, TIME_ZONE, LocalDateTime, StrictSchema, boolean,
                                         check_time_zone, code_field, list_of, nested, one_of, text_field,
                                         whole_number)
from shared.campaign.retention import RetentionSchema
from shared.campaign.stage_mail import stage_mail_field


class StageSchema(StrictSchema):
    code = code_field(required=True)
    name = text_field(required=True)
    opens_at = LocalDateTime(required=True)
    closes_at = LocalDateTime(required=True)


class ChannelSchema(StrictSchema):
    code = code_field(required=True)
    name = text_field(required=True)
    organisation_type = text_field(required=True)
    kind = one_of(CHANNEL_KINDS, required=True)
    quota = whole_number(1, required=True, allow_none=True)
    advisory_min = whole_number(1, load_default=None, allow_none=True)
    nominees_from_member_units = boolean(load_default=False)
    requires_unit_seal_for_validity = boolean(load_default=False)


class NomineeKindSchema(StrictSchema):
    code = one_of(NOMINEE_KINDS, required=True)
    name = text_field(required=True)
    description = text_field(load_default="")


class ExcludedCampaignSchema(StrictSchema):
    year = whole_number(1900, required=True)
    honour = text_field(required=True)
    name = text_field(required=True)


class UploadSchema(StrictSchema):
    kind = code_field(required=True)
    name = text_field(required=True)
    min = whole_number(0, required=True)
    max = whole_number(1, required=True)
    nominee_kinds = list_of(one_of(NOMINEE_KINDS), load_default=list(NOMINEE_KINDS))
    content_types = list_of(text_field(), required=True, validate=validate.Length(min=1, error=TEXT))
    max_size_mb = whole_number(1, required=True)
    max_pages = whole_number(1, load_default=None, allow_none=True)


class AgeRangeSchema(StrictSchema):
    min = whole_number(1, required=True)
    max = whole_number(1, required=True)


class FormLimitsSchema(StrictSchema):
    deeds_min_chars = whole_number(1, required=True)
    deeds_max_chars = whole_number(1, required=True)
    media_honours_max = whole_number(0, required=True)
    team_members_min = whole_number(1, required=True)
    team_members_max = whole_number(1, required=True)


class RubricCriterionSchema(StrictSchema):
    code = code_field(required=True)
    name = text_field(required=True)
    max_score = whole_number(1, required=True)
    description = text_field(required=True)


class RubricSchema(StrictSchema):
    """The criteria for each nominee kind (keys as in NOMINEE_KINDS)."""

    person = list_of(nested(RubricCriterionSchema), validate=validate.Length(min=1, error=LIST))
    team = list_of(nested(RubricCriterionSchema), validate=validate.Length(min=1, error=LIST))


class ReviewSettingsSchema(StrictSchema):
    """How the review stage runs: the branches' places per domain and each reviewer's open-work cap."""

    shortlist_places_per_domain = whole_number(1, load_default=None, allow_none=True)
    reviewer_cap = whole_number(1, load_default=60)


class ScanWaitSchema(StrictSchema):
    """When submitting waits for the files' scans, and how long a file flagged late may be replaced."""

    max_lag_seconds = whole_number(0, load_default=60)
    hours_before_deadline = whole_number(0, load_default=24)
    replace_hours = whole_number(1, load_default=48)


def _check_tie_key(key: str) -> None:
    name, _, code = key.partition(":")
    if name not in TIE_KEYS or (name == "criterion") != bool(code):
        raise ValidationError(
            "必须是 media_priority、media_honours 或 criterion:<评分项代码> / "
            "must be media_priority, media_honours or criterion:<rubric code>")


class ScoringSchema(StrictSchema):
    """R14: how the committee's scores of a nomination make one score, and what breaks a tie."""

    aggregation = one_of(AGGREGATIONS, load_default="trimmed_mean")
    trim = whole_number(0, load_default=1)
    min_scores = whole_number(1, load_default=3)
    tie_keys = list_of(fields.String(validate=_check_tie_key), load_default=lambda: ["media_priority"])


class CampaignFileSchema(StrictSchema):
    id = code_field(required=True)
    name = text_field(required=True)
    short_name = text_field(load_default="")
    organiser = text_field(required=True)
    document_number = text_field(load_default="")
    theme = text_field(load_default="")
    year = whole_number(1900, required=True)
    time_zone = fields.String(
        required=True, validate=check_time_zone, error_messages={"required": REQUIRED, "invalid": TIME_ZONE}
    )
    submission_channel_url = text_field(load_default="")
    is_demo = boolean(load_default=False)
    stages = list_of(nested(StageSchema), required=True, validate=validate.Length(min=1, error=LIST))
    domains = list_of(text_field(), required=True, validate=validate.Length(min=1, error=LIST))
    channels = list_of(nested(ChannelSchema), required=True, validate=validate.Length(min=1, error=LIST))
    nominee_kinds = list_of(nested(NomineeKindSchema), required=True, validate=validate.Length(min=1, error=LIST))
    candidates = whole_number(1, required=True)
    excluded_campaigns = list_of(nested(ExcludedCampaignSchema), load_default=list)
    uploads = list_of(nested(UploadSchema), required=True)
    age_range = nested(AgeRangeSchema, required=True)
    form_limits = nested(FormLimitsSchema, required=True)
    public_notice_days = whole_number(1, required=True)
    correction_window_days = whole_number(1, required=True)
    rubric = nested(RubricSchema, required=True)
    review = nested(ReviewSettingsSchema, load_default=lambda: ReviewSettingsSchema().load({}))
    scoring = nested(ScoringSchema, load_default=lambda: ScoringSchema().load({}))
    scan_wait = nested(ScanWaitSchema, load_default=lambda: ScanWaitSchema().load({}))
    retention = nested(RetentionSchema, required=True)
    stage_mail = stage_mail_field()


def validate_campaign_data(raw: object, source: str = "") -> dict:
    """The campaign data loaded and checked, or CampaignError naming every problem with its path."""
    try:
        data, problems = CampaignFileSchema().load(raw), []
    except ValidationError as error:
        data = error.valid_data if isinstance(error.valid_data, dict) else {}
        problems = list(_flatten(error.messages))
    problems += [f"{path}: {message}" for path, message in cross_field_problems(data)]
    if problems:
        raise CampaignError(problems, source)
    return data


def _flatten(messages: object, path: str = "") -> Iterator[str]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(value, _join(path, key))
    elif isinstance(messages, list) and all(isinstance(item, str) for item in messages):
        for message in messages:
            yield f"{path or '(文件 / file)'}: {message}"
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            yield from _flatten(value, _join(path, index))
    else:
        yield f"{path or '(文件 / file)'}: {messages}"


def _join(path: str, key: object) -> str:
    if key == "_schema":
        return path
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)
