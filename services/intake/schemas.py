"""The registration form (R6) as Marshmallow schemas, shared by the HTML form and the JSON API.

Build schemas for a campaign with the factories: `nomination_schema(campaign, draft=...)`,
`person_schema(campaign)`, `team_schema(campaign)`, `media_honour_schema(campaign)`. Every message names
its field in Chinese: `联系电话：请输入 11 位手机号码，如 13812345678`. Blank strings count as absent, so a
draft may hold empty inputs; the submit schema requires every field. Works on marshmallow 3.26 and 4.x.
"""
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import ClassVar
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates, validates_schema

from shared.campaign.model import Campaign
from services.intake.domain.priority import MEDIA_HONOUR_LEVELS
from shared.reference import ethnic_group_names, political_status_by_any_name

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")
POSTCODE = re.compile(r"^[0-9]{6}$")
PERSON_NAME = r"^[^\d<>@#$%^&*_=+|\\/{}\[\]~!?！？，,;；:：]+$"
MOBILE_HINT = "请输入 11 位手机号码，如 13812345678"
PHONE_HINT = f"{MOBILE_HINT}；固定电话请带区号，如 010-62512345"
NOMINEE_KIND_NAMES = {"person": "个人", "team": "团队"}


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


def _messages(label: str, invalid: str) -> dict[str, str]:
    return {"required": f"{label}：必填", "null": f"{label}：必填", "invalid": f"{label}：{invalid}"}


class Text(fields.String):
    """Text without its surrounding whitespace, `min_chars`–`max_chars` long."""

    def __init__(self, label: str, min_chars: int, max_chars: int, hint: str = "", rule=None, **kwargs):
        message = f"{label}：{hint or f'请填写 {min_chars}–{max_chars} 个字'}"
        rules = [validate.Length(min=min_chars, max=max_chars, error=message)]
        if rule is not None:
            rules.append(validate.Regexp(rule, error=message))
        super().__init__(validate=rules, error_messages=_messages(label, "请填写文字"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Choice(fields.String):
    def __init__(self, label: str, choices, hint: str, **kwargs):
        message = f"{label}：{hint}"
        super().__init__(
            validate=validate.OneOf(list(choices), error=message), error_messages=_messages(label, hint), **kwargs
        )

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class PhoneNumber(fields.String):
    """A mainland mobile number (spaces, hyphens and a +86 prefix removed), or, when `landline` is
    allowed, a landline with its area code (`010-62512345`)."""

    def __init__(self, label: str, landline: bool, **kwargs):
        self.landline = landline
        super().__init__(error_messages=_messages(label, PHONE_HINT if landline else MOBILE_HINT), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = unicodedata.normalize("NFKC", super()._deserialize(value, attr, data, **kwargs))
        text = re.sub(r"\s", "", text)
        mobile = re.sub(r"^(?:\+86|0086|86)(?=1\d{10}$)", "", text.replace("-", ""))
        if MOBILE.match(mobile):
            return mobile
        if self.landline and LANDLINE.match(text):
            return text
        raise self.make_error("invalid")


class EmailAddress(fields.Email):
    def __init__(self, label: str, **kwargs):
        messages = _messages(label, "请输入有效的电子邮箱地址，如 name@example.com")
        too_long = validate.Length(max=254, error=messages["invalid"])
        super().__init__(error_messages=messages, validate=too_long, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value.strip() if isinstance(value, str) else value, attr, data, **kwargs)


class WholeNumber(fields.Field):
    """An integer typed as a number or as digits (`"45"`, full-width `"４５"`); never a bool or 45.5."""

    def __init__(self, label: str, hint: str, **kwargs):
        super().__init__(error_messages=_messages(label, hint), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            digits = unicodedata.normalize("NFKC", value).strip()
            if digits.isascii() and digits.isdigit():
                return int(digits)
        raise self.make_error("invalid")


class PoliticalStatusField(fields.String):
    """A status from the GB/T 4762 list, by full or short name; loads the full name."""

    def __init__(self, label: str, **kwargs):
        super().__init__(error_messages=_messages(label, "请从列表中选择，如 中共党员、群众"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        status = political_status_by_any_name(super()._deserialize(value, attr, data, **kwargs))
        if status is None:
            raise self.make_error("invalid")
        return status.name


class _FormSchema(Schema):
    """Blank strings count as absent; unknown fields are refused."""

    rules: ClassVar["FormRules | None"] = None
    error_messages = {"unknown": "表单中没有这一项", "type": "格式不正确，应为一组字段"}

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


def _unit_field() -> Text:
    return Text("单位名称", 4, 100, hint="请填写单位全称，4–100 个字，如 中国人民大学", required=True)


def _department_field() -> Text:
    return Text("部门", 2, 50, hint="请填写所在部门（单位名称须填写至部门），如 后勤集团", required=True)


class Postcode(fields.String):
    """Six digits; full-width digits typed by a Chinese input method are taken as the same digits."""

    def __init__(self, **kwargs):
        super().__init__(error_messages=_messages("邮编", "请输入 6 位数字邮政编码，如 100872"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = unicodedata.normalize("NFKC", super()._deserialize(value, attr, data, **kwargs)).strip()
        if not POSTCODE.match(text):
            raise self.make_error("invalid")
        return text


def _postcode_field() -> Postcode:
    return Postcode(required=True)


def _list_messages(label: str) -> dict[str, str]:
    return _messages(label, "格式不正确，应为列表")


def _nested_messages(label: str) -> dict[str, str]:
    return {**_messages(label, "格式不正确"), "type": f"{label}：格式不正确"}


class PersonSchema(_FormSchema):
    name = Text("姓名", 2, 30, hint="请填写 2–30 个字，不含数字和符号", rule=PERSON_NAME, required=True)
    gender = Choice("性别", ("男", "女"), "请选择 男 或 女", required=True)
    ethnic_group = Choice("民族", ethnic_group_names(), "请从列表中选择，如 汉族", required=True)
    age = WholeNumber("年龄", "请填写整数，如 45", required=True)
    political_status = PoliticalStatusField("政治面貌", required=True)
    phone = PhoneNumber("联系电话", landline=True, required=True)
    email = EmailAddress("邮箱", required=True)
    unit = _unit_field()
    department = _department_field()
    position = Text("职务/职称", 1, 50, required=True)
    address = Text("通讯地址", 5, 200, required=True)
    postcode = _postcode_field()

    @validates("age")
    def age_in_campaign_range(self, value: int, **kwargs) -> None:
        rules = self.campaign_rules()
        if not rules.age_min <= value <= rules.age_max:
            raise ValidationError(f"年龄：请填写 {rules.age_min} 至 {rules.age_max} 之间的整数")


class TeamLeaderSchema(_FormSchema):
    name = Text("负责人姓名", 2, 30, hint="请填写 2–30 个字，不含数字和符号", rule=PERSON_NAME, required=True)
    position = Text("负责人职务/职称", 1, 50, required=True)
    phone = PhoneNumber("负责人联系电话", landline=True, required=True)
    email = EmailAddress("负责人邮箱", required=True)


class TeamMemberSchema(_FormSchema):
    name = Text("成员姓名", 2, 30, hint="请填写 2–30 个字，不含数字和符号", rule=PERSON_NAME, required=True)
    role = Text("成员分工", 1, 30, required=True)


class TeamSchema(_FormSchema):
    name = Text("团队名称", 2, 50, required=True)
    unit = _unit_field()
    department = _department_field()
    leader = fields.Nested(TeamLeaderSchema, required=True, error_messages=_nested_messages("团队负责人"))
    members = fields.List(
        fields.Nested(TeamMemberSchema, error_messages=_nested_messages("团队成员")),
        required=True,
        error_messages=_list_messages("团队成员"),
    )
    address = Text("通讯地址", 5, 200, required=True)
    postcode = _postcode_field()

    @validates("members")
    def members_within_limits(self, value: list, **kwargs) -> None:
        rules = self.campaign_rules()
        if not rules.team_members_min <= len(value) <= rules.team_members_max:
            raise ValidationError(
                f"团队成员：请填写 {rules.team_members_min} 至 {rules.team_members_max} 名成员（现 {len(value)} 名）"
            )


class MediaHonourSchema(_FormSchema):
    title = Text("表彰或奖励名称", 2, 100, required=True)
    level = Choice("级别", MEDIA_HONOUR_LEVELS, f"请选择 {'、'.join(MEDIA_HONOUR_LEVELS)} 之一", required=True)
    issuer = Text("颁发单位", 2, 100, required=True)
    date = fields.Date(required=True, error_messages=_messages("获得日期", "请按 2022-06-01 的格式填写"))

    @validates("date")
    def date_not_in_future(self, value: dt.date, **kwargs) -> None:
        today = dt.datetime.now(ZoneInfo(self.campaign_rules().time_zone)).date()
        if value > today:
            raise ValidationError("获得日期：不能晚于今天")


class ContactSchema(_FormSchema):
    """Who is told about the nomination's progress (by e-mail and SMS)."""

    name = Text("联系人姓名", 2, 30, hint="请填写 2–30 个字，不含数字和符号", rule=PERSON_NAME, required=True)
    email = EmailAddress("联系人邮箱", required=True)
    phone = PhoneNumber("联系人手机", landline=False, required=True)


class NominationSchema(_FormSchema):
    """The whole registration form; `person` or `team` as `nominee_kind` says."""

    campaign_id = fields.String(required=True, error_messages=_messages("活动", "不是本次活动"))
    channel = fields.String(required=True, error_messages=_messages("推荐渠道", "请选择推荐渠道"))
    recommender = Text("推荐单位", 2, 100)
    nominee_kind = Choice("推荐对象类型", tuple(NOMINEE_KIND_NAMES), "请选择 个人 或 团队", required=True)
    person = fields.Nested(PersonSchema, error_messages=_nested_messages("被推荐人信息"))
    team = fields.Nested(TeamSchema, error_messages=_nested_messages("团队信息"))
    domain = fields.String(required=True, error_messages=_messages("所属业务领域", "请选择一个业务领域"))
    deeds = fields.String(required=True, error_messages=_messages("事迹材料", "请填写文字"))
    media_honours = fields.List(
        fields.Nested(MediaHonourSchema, error_messages=_nested_messages("媒体平台表彰与奖励")),
        error_messages=_list_messages("曾获媒体平台表彰与奖励情况"),
    )
    contact = fields.Nested(ContactSchema, required=True, error_messages=_nested_messages("联系人"))

    @validates("campaign_id")
    def is_this_campaign(self, value: str, **kwargs) -> None:
        if value != self.campaign_rules().campaign_id:
            raise ValidationError("活动：不是本次活动，请从活动页面重新进入")

    @validates("channel")
    def channel_of_campaign(self, value: str, **kwargs) -> None:
        if value not in self.campaign_rules().channels:
            raise ValidationError("推荐渠道：请选择本次活动的推荐渠道")

    @validates("nominee_kind")
    def kind_of_campaign(self, value: str, **kwargs) -> None:
        if value not in self.campaign_rules().nominee_kinds:
            raise ValidationError("推荐对象类型：本次活动不接受这类推荐对象")

    @validates("domain")
    def domain_of_campaign(self, value: str, **kwargs) -> None:
        domains = self.campaign_rules().domains
        if value not in domains:
            raise ValidationError(f"所属业务领域：请从 {len(domains)} 个业务领域中选择一个")

    @validates("deeds")
    def deeds_length(self, value: str, **kwargs) -> None:
        rules, count = self.campaign_rules(), deeds_char_count(value)
        if not rules.deeds_min_chars <= count <= rules.deeds_max_chars:
            raise ValidationError(
                f"事迹材料：请填写 {rules.deeds_min_chars}–{rules.deeds_max_chars} 字（现 {count} 字，不计空白）"
            )

    @validates("media_honours")
    def honours_count(self, value: list, **kwargs) -> None:
        limit = self.campaign_rules().media_honours_max
        if len(value) > limit:
            raise ValidationError(f"曾获媒体平台表彰与奖励情况：最多填写 {limit} 项")

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def nominee_matches_kind(self, data: dict, original: object, **kwargs) -> None:
        """Checked on what was typed, so that these messages come with the fields' own at once."""
        typed = _filled_keys(original)
        kind = data.get("nominee_kind")
        if kind not in NOMINEE_KIND_NAMES:
            return
        other = "team" if kind == "person" else "person"
        errors = {}
        if other in typed:
            errors[other] = [f"{_SECTION_LABELS[other]}：推荐{NOMINEE_KIND_NAMES[kind]}时不填写此项"]
        if kind not in typed and not kwargs.get("partial"):
            errors[kind] = [f"{_SECTION_LABELS[kind]}：必填"]
        if errors:
            raise ValidationError(errors)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def recommender_unless_self(self, data: dict, original: object, **kwargs) -> None:
        channel = data.get("channel")
        if kwargs.get("partial") or channel is None or "recommender" in _filled_keys(original):
            return
        if channel not in self.campaign_rules().self_channels:
            raise ValidationError({"recommender": ["推荐单位：组织推荐须填写推荐单位名称"]})


def _filled_keys(original: object) -> set[str]:
    if not isinstance(original, dict):
        return set()
    return {key for key, value in original.items() if not (isinstance(value, str) and not value.strip())}


_SECTION_LABELS = {"person": "被推荐人信息", "team": "团队信息"}

FIELD_LABELS = {
    "campaign_id": "活动",
    "channel": "推荐渠道",
    "recommender": "推荐单位",
    "nominee_kind": "推荐对象类型",
    "person": "被推荐人信息",
    "person.name": "姓名",
    "person.gender": "性别",
    "person.ethnic_group": "民族",
    "person.age": "年龄",
    "person.political_status": "政治面貌",
    "person.phone": "联系电话",
    "person.email": "邮箱",
    "person.unit": "单位名称",
    "person.department": "部门",
    "person.position": "职务/职称",
    "person.address": "通讯地址",
    "person.postcode": "邮编",
    "team": "团队信息",
    "team.name": "团队名称",
    "team.unit": "单位名称",
    "team.department": "部门",
    "team.leader": "团队负责人",
    "team.leader.name": "负责人姓名",
    "team.leader.position": "负责人职务/职称",
    "team.leader.phone": "负责人联系电话",
    "team.leader.email": "负责人邮箱",
    "team.members": "团队成员",
    "team.address": "通讯地址",
    "team.postcode": "邮编",
    "domain": "所属业务领域",
    "deeds": "事迹材料",
    "media_honours": "曾获媒体平台表彰与奖励情况",
    "contact": "联系人",
    "contact.name": "联系人姓名",
    "contact.email": "联系人邮箱",
    "contact.phone": "联系人手机",
}


def deeds_char_count(text: str) -> int:
    """Characters counted as the form counts them: whitespace does not count."""
    return sum(1 for char in text if not char.isspace())


def flatten_errors(messages: dict, prefix: str = "") -> list[tuple[str, str]]:
    """`[("person.phone", "联系电话：…"), ("team.members.1.name", "成员姓名：必填")]` in the order of the
    fields on the pages, for an error summary that links to each field."""
    return sorted(_flat_errors(messages, prefix), key=lambda problem: page_position(problem[0]))


def _flat_errors(messages: dict, prefix: str) -> list[tuple[str, str]]:
    flat: list[tuple[str, str]] = []
    for key, value in messages.items():
        path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
        if isinstance(value, dict):
            flat += _flat_errors(value, path)
        else:
            flat += [(path, message) for message in value]
    return flat


HONOUR_ROW = re.compile(r"^media_honours\.(\d+)\.")


def named_rows(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Messages about one media honour name its row: `第 2 项表彰·颁发单位：必填`."""
    named = []
    for path, message in problems:
        row = HONOUR_ROW.match(path)
        named.append((path, f"第 {int(row.group(1)) + 1} 项表彰·{message}" if row else message))
    return named


def started_honour_problems(campaign: Campaign, honours) -> list[tuple[str, str]]:
    """A draft keeps a half-filled honour, but each row begun is checked whole as it is saved."""
    if not isinstance(honours, list):
        return []
    schema = media_honour_schema(campaign)
    problems = []
    for index, row in enumerate(honours):
        if isinstance(row, dict) and any(str(value).strip() for value in row.values() if value is not None):
            problems += flatten_errors(schema.validate(row), f"media_honours.{index}")
    return problems


# The fields as the pages show them, top to bottom (part_basic.html, then part_deeds.html).
PAGE_ORDER = (
    "person.name", "person.gender", "person.ethnic_group", "person.age", "person.political_status", "person.phone",
    "person.email", "person.unit", "person.department", "person.position", "person.address", "person.postcode",
    "person", "team.name", "team.unit", "team.department", "team.leader.name", "team.leader.position",
    "team.leader.phone", "team.leader.email", "team.leader", "team.address", "team.postcode", "team.members", "team",
    "domain", "contact.name", "contact.phone", "contact.email", "contact", "deeds", "media_honours",
)


def page_position(path: str) -> tuple[int, int]:
    """Where a field's error belongs in the summary: its field's place on the page, then its row
    (`media_honours.1.title` after `media_honours.0.date`); fields the pages do not show come last. Within
    a row the fields keep the form's own order (the sort is stable)."""
    parts = path.split(".")
    for length in range(len(parts), 0, -1):
        known = ".".join(parts[:length])
        if known in PAGE_ORDER:
            rest = parts[length:]
            return PAGE_ORDER.index(known), int(rest[0]) if rest and rest[0].isdigit() else -1
    return len(PAGE_ORDER), -1



def nomination_schema(campaign: Campaign, *, draft: bool = False) -> NominationSchema:
    """The form schema: `draft=True` accepts any part of the form (partial), else every field is required."""
    return _classes(FormRules.from_campaign(campaign))["nomination"](partial=draft)


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
        person = fields.Nested(CampaignPersonSchema, error_messages=_nested_messages("被推荐人信息"))
        team = fields.Nested(CampaignTeamSchema, error_messages=_nested_messages("团队信息"))
        media_honours = fields.List(
            fields.Nested(CampaignMediaHonourSchema, error_messages=_nested_messages("媒体平台表彰与奖励")),
            error_messages=_list_messages("曾获媒体平台表彰与奖励情况"),
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
