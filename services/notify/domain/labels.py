"""Words for the codes that events carry (field names, file kinds, stages, outcomes), and times in Beijing time.

A code without a label is shown as it is, so a new field never breaks a message.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from shared.campaign.parts import TEAM_SELF_NOMINATION

BEIJING = ZoneInfo("Asia/Shanghai")

_FIELDS = {
    "recommender": ("推荐单位", "recommending organisation"),
    "channel": ("推荐渠道", "nomination channel"),
    "nominee_kind": ("申报类型（个人或团队）", "person or team"),
    "nominee_name": ("被推荐人姓名", "nominee's name"),
    "name": ("姓名", "name"),
    "gender": ("性别", "gender"),
    "ethnic_group": ("民族", "ethnic group"),
    "age": ("年龄", "age"),
    "political_status": ("政治面貌", "political status"),
    "phone": ("联系电话", "phone"),
    "email": ("邮箱", "e-mail"),
    "unit": ("单位名称", "unit"),
    "department": ("部门", "department"),
    "position": ("职务/职称", "position or title"),
    "address": ("通讯地址", "postal address"),
    "postcode": ("邮编", "postcode"),
    "team.name": ("团队名称", "team name"),
    "team.leader": ("团队负责人", "team leader"),
    "team.leader.name": ("团队负责人姓名", "team leader's name"),
    "team.leader.phone": ("团队负责人联系电话", "team leader's phone"),
    "team.leader.email": ("团队负责人邮箱", "team leader's e-mail"),
    "team.members": ("团队成员", "team members"),
    "team.unit": ("团队所在单位", "team's unit"),
    "domain": ("所属业务领域", "business domain"),
    "deeds": ("事迹材料", "deeds"),
    "media_honours": ("曾获各级各类媒体平台表彰与奖励情况", "media honours received"),
    "contact.name": ("联系人姓名", "contact's name"),
    "contact.email": ("联系人邮箱", "contact's e-mail"),
    "contact.phone": ("联系人电话", "contact's phone"),
}

_FILE_KINDS = {
    "photo": ("一寸免冠照", "passport photo"),
    "sealed_form": ("加盖公章的纸质报名表", "sealed paper form"),
    "certificate": ("最高荣誉证书扫描件", "honour certificate scan"),
    "media_proof": ("媒体平台表彰与奖励证明", "proof of media honour"),
}

_STAGES = {
    "submission": ("候选人征集申报", "nomination"),
    "submitted": ("申报", "submission"),
    "review": ("材料审核", "review"),
    "checked": ("材料审核", "review"),
    "shortlisted": ("入围推举", "shortlisting"),
    "candidate": ("候选人确定", "candidate selection"),
    "public_notice": ("公示", "public notice"),
    "honouree": ("结果确定", "final selection"),
    "announcement": ("通报及事迹宣讲", "announcement"),
}

_CHANNELS = {
    "self": ("个人自荐", "self-nomination"),
    "local_association": ("地方教育后勤社团组织推荐", "local association"),
    "council_unit": ("协会理事单位推荐", "council unit"),
    "member_unit": ("协会会员单位推荐", "member unit"),
    "branch": ("协会分支机构推荐", "branch"),
}

# A team nominating itself is 团队自荐, never 个人自荐 (shared.campaign.parts: the same on intake's pages and form).
_TEAM_SELF_NOMINATION = (TEAM_SELF_NOMINATION, "team self-nomination")

_OUTCOMES = {
    "upheld": ("异议成立", "objection upheld"),
    "dismissed": ("异议不成立", "objection dismissed"),
}

_RULES = {
    "R9": ("已获往届通报表扬的个人与集体不予参与", "past honourees may not take part"),
    "R11": ("弄虚作假、徇私舞弊的，一经查实，取消参与资格", "fraud or favouritism disqualifies"),
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _label(table: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    words = table.get(code)
    if words is None:
        return code
    return words[1] if lang == "en" else words[0]


def field_label(name: str, lang: str = "zh") -> str:
    """`person.phone` -> 联系电话; a dotted name is looked up whole, then by its last part."""
    for candidate in (name, name.split(".")[-1]):
        if candidate in _FIELDS:
            return _label(_FIELDS, candidate, lang)
    return name


def file_label(kind: str, lang: str = "zh") -> str:
    return _label(_FILE_KINDS, kind, lang)


def stage_label(code: str, lang: str = "zh") -> str:
    return _label(_STAGES, code, lang)


def channel_label(code: str, lang: str = "zh", nominee_kind: str = "person") -> str:
    """The channel as the nomination is put forward: 个人自荐 for a person, 团队自荐 for a team."""
    if code == "self" and nominee_kind == "team":
        return _label({code: _TEAM_SELF_NOMINATION}, code, lang)
    return _label(_CHANNELS, code, lang)


def outcome_label(code: str, lang: str = "zh") -> str:
    return _label(_OUTCOMES, code, lang)


def rule_label(code: str, lang: str = "zh") -> str:
    return _label(_RULES, code, lang)


def as_utc(value: str | datetime) -> datetime:
    """An ISO 8601 string or a datetime, as an aware UTC datetime (a naive one is taken as UTC)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def beijing_time(value: str | datetime | None, lang: str = "zh") -> str:
    """`2023-02-28T15:59:59Z` -> 2023年2月28日 23:59（北京时间）; empty for no time."""
    if not value:
        return ""
    local = as_utc(value).astimezone(BEIJING)
    if lang == "en":
        return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M} (Beijing time)"
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（北京时间）"


def short_campaign_name(name: str) -> str:
    """The title a campaign's name quotes (全国教育后勤系统“2022年度最美后勤人”推举活动 -> 2022年度最美后勤人),
    for texts that must be short; the whole name when it quotes none."""
    opening, closing = name.find("“"), name.find("”")
    if 0 <= opening < closing - 1:
        return name[opening + 1:closing]
    return name
