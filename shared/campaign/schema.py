"""Validation of a campaign file's data: its shape (a Marshmallow schema) and the facts across fields.

`validate_campaign_data(raw)` returns the loaded data or raises CampaignError listing every problem as
`path: 中文 / English`, e.g. `channels[2].quota: 必须是正整数 / must be a positive integer`.
"""
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate

from shared.campaign.errors import CampaignError
from shared.campaign.retention import RetentionSchema, retention_problems
from shared.campaign.stage_mail import stage_mail_field, stage_mail_problems
from shared.reference import business_domains

NOMINEE_KINDS = ("person", "team")
CHANNEL_KINDS = ("organisation", "self")
SUBMISSION_STAGE = "submission"
REVIEW_STAGE = "review"
SEALED_FORM = "sealed_form"

REQUIRED = "必填 / is required"
NOT_NULL = "不能为空 / must not be empty"
UNKNOWN = "不认识的字段 / unknown field"
MAPPING = "必须是键值映射 / must be a mapping"
LIST = "必须是列表 / must be a list"
TEXT = "必须是非空文字 / must be non-empty text"
POSITIVE_INT = "必须是正整数 / must be a positive integer"
NON_NEGATIVE_INT = "必须是非负整数 / must be a non-negative integer"
BOOLEAN = "必须是 true 或 false / must be true or false"
CODE = "只能用小写字母、数字、下划线和连字符 / only lowercase letters, digits, _ and -"
DATETIME = "必须是日期和时刻，如 2023-02-28 23:59:59 / must be a date and time like 2023-02-28 23:59:59"
TIME_ZONE = "不是有效的时区名称，如 Asia/Shanghai / is not a valid time zone like Asia/Shanghai"


class LocalDateTime(fields.Field):
    """A date and time, as YAML gives it (datetime) or as text; naive means the campaign's time zone."""

    default_error_messages = {"invalid": DATETIME, "required": REQUIRED, "null": NOT_NULL}

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        if isinstance(value, datetime):
            return value
        if isinstance(value, date) or not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError as error:
            raise self.make_error("invalid") from error


def _text(**kwargs) -> fields.String:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": TEXT}
    return fields.String(validate=validate.Length(min=1, error=TEXT), error_messages=messages, **kwargs)


def _code(**kwargs) -> fields.String:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": CODE}
    rule = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,62}$", error=CODE)
    return fields.String(validate=rule, error_messages=messages, **kwargs)


def _int(minimum: int, **kwargs) -> fields.Integer:
    message = POSITIVE_INT if minimum >= 1 else NON_NEGATIVE_INT
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": message}
    return fields.Integer(
        strict=True, validate=validate.Range(min=minimum, error=message), error_messages=messages, **kwargs
    )


def _list(inner: fields.Field, **kwargs) -> fields.List:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": LIST}
    return fields.List(inner, error_messages=messages, **kwargs)


def _nested(schema: type[Schema], **kwargs) -> fields.Nested:
    return fields.Nested(schema, error_messages={"required": REQUIRED, "null": NOT_NULL, "type": MAPPING}, **kwargs)


def _one_of(choices: tuple[str, ...], **kwargs) -> fields.String:
    message = f"必须是 {' / '.join(choices)} 之一 / must be one of {', '.join(choices)}"
    return fields.String(
        validate=validate.OneOf(choices, error=message),
        error_messages={"required": REQUIRED, "null": NOT_NULL, "invalid": message},
        **kwargs,
    )


def _boolean(**kwargs) -> fields.Boolean:
    return fields.Boolean(error_messages={"invalid": BOOLEAN, "null": NOT_NULL}, **kwargs)


def _check_time_zone(name: str) -> None:
    if _zone(name) is None:
        raise ValidationError(TIME_ZONE)


class _Strict(Schema):
    error_messages = {"unknown": UNKNOWN, "type": MAPPING}


class StageSchema(_Strict):
    code = _code(required=True)
    name = _text(required=True)
    opens_at = LocalDateTime(required=True)
    closes_at = LocalDateTime(required=True)


class ChannelSchema(_Strict):
    code = _code(required=True)
    name = _text(required=True)
    organisation_type = _text(required=True)
    kind = _one_of(CHANNEL_KINDS, required=True)
    quota = _int(1, required=True, allow_none=True)
    advisory_min = _int(1, load_default=None, allow_none=True)
    nominees_from_member_units = _boolean(load_default=False)
    requires_unit_seal_for_validity = _boolean(load_default=False)


class NomineeKindSchema(_Strict):
    code = _one_of(NOMINEE_KINDS, required=True)
    name = _text(required=True)
    description = _text(load_default="")


class ExcludedCampaignSchema(_Strict):
    year = _int(1900, required=True)
    honour = _text(required=True)
    name = _text(required=True)


class UploadSchema(_Strict):
    kind = _code(required=True)
    name = _text(required=True)
    min = _int(0, required=True)
    max = _int(1, required=True)
    nominee_kinds = _list(_one_of(NOMINEE_KINDS), load_default=list(NOMINEE_KINDS))
    content_types = _list(_text(), required=True, validate=validate.Length(min=1, error=TEXT))
    max_size_mb = _int(1, required=True)
    max_pages = _int(1, load_default=None, allow_none=True)


class AgeRangeSchema(_Strict):
    min = _int(1, required=True)
    max = _int(1, required=True)


class FormLimitsSchema(_Strict):
    deeds_min_chars = _int(1, required=True)
    deeds_max_chars = _int(1, required=True)
    media_honours_max = _int(0, required=True)
    team_members_min = _int(1, required=True)
    team_members_max = _int(1, required=True)


class RubricCriterionSchema(_Strict):
    code = _code(required=True)
    name = _text(required=True)
    max_score = _int(1, required=True)
    description = _text(required=True)


class RubricSchema(_Strict):
    """The criteria for each nominee kind (keys as in NOMINEE_KINDS)."""

    person = _list(_nested(RubricCriterionSchema), validate=validate.Length(min=1, error=LIST))
    team = _list(_nested(RubricCriterionSchema), validate=validate.Length(min=1, error=LIST))


AGGREGATIONS = ("mean", "trimmed_mean", "median")
TIE_KEYS = ("media_priority", "media_honours", "criterion")


class ReviewSettingsSchema(_Strict):
    """How the review stage runs: the branches' places per domain and each reviewer's open-work cap."""

    shortlist_places_per_domain = _int(1, load_default=None, allow_none=True)
    reviewer_cap = _int(1, load_default=60)


class ScanWaitSchema(_Strict):
    """When submitting waits for the files' scans, and how long a file flagged late may be replaced."""

    max_lag_seconds = _int(0, load_default=60)
    hours_before_deadline = _int(0, load_default=24)
    replace_hours = _int(1, load_default=48)


def _check_tie_key(key: str) -> None:
    name, _, code = key.partition(":")
    if name not in TIE_KEYS or (name == "criterion") != bool(code):
        raise ValidationError(
            f"必须是 media_priority、media_honours 或 criterion:<评分项代码> / "
            f"must be media_priority, media_honours or criterion:<rubric code>")


class ScoringSchema(_Strict):
    """R14: how the committee's scores of a nomination make one score, and what breaks a tie."""

    aggregation = _one_of(AGGREGATIONS, load_default="trimmed_mean")
    trim = _int(0, load_default=1)
    min_scores = _int(1, load_default=3)
    tie_keys = _list(fields.String(validate=_check_tie_key), load_default=lambda: ["media_priority"])


class CampaignFileSchema(_Strict):
    id = _code(required=True)
    name = _text(required=True)
    short_name = _text(load_default="")
    organiser = _text(required=True)
    document_number = _text(load_default="")
    theme = _text(load_default="")
    year = _int(1900, required=True)
    time_zone = fields.String(
        required=True, validate=_check_time_zone, error_messages={"required": REQUIRED, "invalid": TIME_ZONE}
    )
    submission_channel_url = _text(load_default="")
    is_demo = _boolean(load_default=False)
    stages = _list(_nested(StageSchema), required=True, validate=validate.Length(min=1, error=LIST))
    domains = _list(_text(), required=True, validate=validate.Length(min=1, error=LIST))
    channels = _list(_nested(ChannelSchema), required=True, validate=validate.Length(min=1, error=LIST))
    nominee_kinds = _list(_nested(NomineeKindSchema), required=True, validate=validate.Length(min=1, error=LIST))
    candidates = _int(1, required=True)
    excluded_campaigns = _list(_nested(ExcludedCampaignSchema), load_default=list)
    uploads = _list(_nested(UploadSchema), required=True)
    age_range = _nested(AgeRangeSchema, required=True)
    form_limits = _nested(FormLimitsSchema, required=True)
    public_notice_days = _int(1, required=True)
    correction_window_days = _int(1, required=True)
    rubric = _nested(RubricSchema, required=True)
    review = _nested(ReviewSettingsSchema, load_default=lambda: ReviewSettingsSchema().load({}))
    scoring = _nested(ScoringSchema, load_default=lambda: ScoringSchema().load({}))
    scan_wait = _nested(ScanWaitSchema, load_default=lambda: ScanWaitSchema().load({}))
    retention = _nested(RetentionSchema, required=True)
    stage_mail = stage_mail_field()


def validate_campaign_data(raw: object, source: str = "") -> dict:
    """The campaign data loaded and checked, or CampaignError naming every problem with its path."""
    try:
        data, problems = CampaignFileSchema().load(raw), []
    except ValidationError as error:
        data = error.valid_data if isinstance(error.valid_data, dict) else {}
        problems = list(_flatten(error.messages))
    problems += [f"{path}: {message}" for path, message in _cross_field_problems(data)]
    if problems:
        raise CampaignError(problems, source)
    return data


def localise(moment: datetime, zone: tzinfo) -> datetime:
    """An aware datetime in `zone`; a naive one is taken as wall-clock time there."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _zone(name: object) -> ZoneInfo | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


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


def _cross_field_problems(data: dict) -> Iterator[tuple[str, str]]:
    yield from _stage_problems(data)
    yield from _domain_problems(data.get("domains") or [])
    yield from _channel_problems(data.get("channels") or [])
    yield from _duplicates("nominee_kinds", [kind.get("code") for kind in data.get("nominee_kinds") or []])
    yield from _excluded_campaign_problems(data)
    yield from _upload_problems(data)
    yield from _seal_problems(data)
    yield from _range_problems(data)
    yield from _rubric_problems(data)
    yield from _scoring_problems(data)
    yield from retention_problems(data)
    yield from stage_mail_problems(data)


def _duplicates(path: str, codes: list, label: str = "code") -> Iterator[tuple[str, str]]:
    counts = Counter(code for code in codes if code is not None)
    for index, code in enumerate(codes):
        if code is not None and counts[code] > 1:
            where = f"{path}[{index}].{label}" if label else f"{path}[{index}]"
            yield where, f"“{code}”重复 / “{code}” appears more than once"


def _stage_problems(data: dict) -> Iterator[tuple[str, str]]:
    stages = data.get("stages") or []
    codes = [stage.get("code") for stage in stages]
    yield from _duplicates("stages", codes)
    if "stages" in data and SUBMISSION_STAGE not in codes:
        yield "stages", f"缺少代码为 {SUBMISSION_STAGE} 的征集申报阶段 / a stage with code {SUBMISSION_STAGE} is required"
    zone = _zone(data.get("time_zone"))
    if zone is None:
        return
    previous_close = None
    for index, stage in enumerate(stages):
        opens, closes = stage.get("opens_at"), stage.get("closes_at")
        if opens is None or closes is None:
            previous_close = None
            continue
        opens, closes = localise(opens, zone), localise(closes, zone)
        if closes <= opens:
            yield f"stages[{index}].closes_at", "必须晚于 opens_at / must be later than opens_at"
        if previous_close is not None and opens <= previous_close:
            yield f"stages[{index}].opens_at", "必须晚于上一阶段的 closes_at / must be later than the previous stage's closes_at"
        previous_close = closes
    yield from _public_notice_problems(data, zone)


def _public_notice_problems(data: dict, zone: tzinfo) -> Iterator[tuple[str, str]]:
    review = next((stage for stage in data.get("stages") or [] if stage.get("code") == REVIEW_STAGE), None)
    days = data.get("public_notice_days")
    if review is None or days is None or not review.get("opens_at") or not review.get("closes_at"):
        return
    review_days = (localise(review["closes_at"], zone) - localise(review["opens_at"], zone)).days + 1
    if days > review_days:
        yield "public_notice_days", (
            f"公示期 {days} 天超出审核阶段的 {review_days} 天 / "
            f"the public notice of {days} days does not fit the review stage of {review_days} days"
        )


def _domain_problems(domains: list) -> Iterator[tuple[str, str]]:
    known = set(business_domains())
    for index, domain in enumerate(domains):
        if domain not in known:
            yield f"domains[{index}]", f"“{domain}”不在业务领域代码表中 / is not in the business-domain list"
    yield from _duplicates("domains", list(domains), label="")


def _channel_problems(channels: list) -> Iterator[tuple[str, str]]:
    yield from _duplicates("channels", [channel.get("code") for channel in channels])
    for index, channel in enumerate(channels):
        if "quota" not in channel:
            continue
        kind, quota = channel.get("kind"), channel["quota"]
        if kind == "organisation" and quota is None:
            yield f"channels[{index}].quota", f"组织推荐渠道必须有名额 / {POSITIVE_INT}"
        if kind == "self" and quota is not None:
            yield f"channels[{index}].quota", "个人自荐没有组织名额，应为 null / must be null for self-nomination"
        advisory = channel.get("advisory_min")
        if advisory is not None and quota is not None and advisory > quota:
            yield f"channels[{index}].advisory_min", "不能大于 quota / must not exceed quota"


def _excluded_campaign_problems(data: dict) -> Iterator[tuple[str, str]]:
    year = data.get("year")
    for index, excluded in enumerate(data.get("excluded_campaigns") or []):
        if year is not None and excluded.get("year") is not None and excluded["year"] >= year:
            yield f"excluded_campaigns[{index}].year", "必须早于本活动年度 / must be before the campaign's year"


def _upload_problems(data: dict) -> Iterator[tuple[str, str]]:
    uploads = data.get("uploads") or []
    yield from _duplicates("uploads", [upload.get("kind") for upload in uploads], label="kind")
    kinds = {kind.get("code") for kind in data.get("nominee_kinds") or []}
    for index, upload in enumerate(uploads):
        if upload.get("min") is not None and upload.get("max") is not None and upload["min"] > upload["max"]:
            yield f"uploads[{index}].min", "不能大于 max / must not exceed max"
        for position, kind in enumerate(upload.get("nominee_kinds") or []):
            if kinds and kind not in kinds:
                yield f"uploads[{index}].nominee_kinds[{position}]", _not_a_nominee_kind(kind)


def _seal_problems(data: dict) -> Iterator[tuple[str, str]]:
    """A channel whose validity rests on the unit's seal (R2c) needs the sealed form uploaded."""
    uploads = data.get("uploads")
    needs_seal = any(channel.get("requires_unit_seal_for_validity") for channel in data.get("channels") or [])
    if not needs_seal or uploads is None:
        return
    sealed = [upload for upload in uploads if upload.get("kind") == SEALED_FORM]
    if not sealed or not sealed[0].get("min"):
        yield "uploads", (
            f"有渠道要求单位公章，必须要求上传 {SEALED_FORM}（min ≥ 1） / "
            f"a channel requires the unit's seal, so {SEALED_FORM} must be required (min >= 1)"
        )


def _range_problems(data: dict) -> Iterator[tuple[str, str]]:
    pairs = [
        ("age_range", "min", "max"),
        ("form_limits", "deeds_min_chars", "deeds_max_chars"),
        ("form_limits", "team_members_min", "team_members_max"),
    ]
    for section, low, high in pairs:
        values = data.get(section) or {}
        if values.get(low) is not None and values.get(high) is not None and values[low] > values[high]:
            yield f"{section}.{low}", f"不能大于 {high} / must not exceed {high}"


def _rubric_problems(data: dict) -> Iterator[tuple[str, str]]:
    rubric = data.get("rubric") or {}
    kinds = [kind.get("code") for kind in data.get("nominee_kinds") or []]
    for kind in rubric:
        if kinds and kind not in kinds:
            yield f"rubric.{kind}", _not_a_nominee_kind(kind)
    for kind in kinds:
        if "rubric" in data and kind is not None and kind not in rubric:
            yield f"rubric.{kind}", f"缺少“{kind}”的评分标准 / a rubric for {kind} is required"
    for kind, criteria in rubric.items():
        yield from _duplicates(f"rubric.{kind}", [criterion.get("code") for criterion in criteria])
    scores = {kind: [criterion.get("max_score") for criterion in criteria] for kind, criteria in rubric.items()}
    if any(None in kind_scores for kind_scores in scores.values()):
        return
    totals = {kind: sum(kind_scores) for kind, kind_scores in scores.items()}
    if len(set(totals.values())) > 1:
        shown = ", ".join(f"{kind}={total}" for kind, total in totals.items())
        yield "rubric", f"各类对象的满分必须相同（{shown}） / every kind must total the same maximum ({shown})"


def _not_a_nominee_kind(kind: str) -> str:
    return f"“{kind}”不在 nominee_kinds 中 / “{kind}” is not one of nominee_kinds"


def _scoring_problems(data: dict) -> Iterator[tuple[str, str]]:
    scoring = data.get("scoring") or {}
    if scoring.get("aggregation") == "trimmed_mean" and scoring.get("trim") is not None \
            and scoring.get("min_scores") is not None and scoring["min_scores"] <= 2 * scoring["trim"]:
        yield "scoring.min_scores", "截尾平均须多于两端去掉的分数 / must exceed twice the trim for a trimmed mean"
    codes = {criterion.get("code") for criteria in (data.get("rubric") or {}).values() for criterion in criteria}
    for index, key in enumerate(scoring.get("tie_keys") or []):
        name, _, code = key.partition(":")
        if name == "criterion" and codes and code not in codes:
            yield f"scoring.tie_keys[{index}]", f"评分标准中没有“{code}” / the rubric has no {code}"
