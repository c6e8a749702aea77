"""The registration form's fields (R6) by their dotted paths in a nomination's snapshot, with the labels
the form shows: what a review may return for correction, and how a change between versions is named."""
from __future__ import annotations

PERSON_FIELDS = {
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
}
TEAM_FIELDS = {
    "team.name": "团队名称",
    "team.unit": "单位名称",
    "team.leader": "团队负责人",
    "team.members": "团队成员",
}
COMMON_FIELDS = {
    "domain": "所属业务领域",
    "deeds": "事迹材料",
    "media_honours": "曾获媒体平台表彰与奖励情况",
    "contact.name": "联系人姓名",
    "contact.email": "联系人邮箱",
    "contact.phone": "联系人手机",
}
FIELD_LABELS = {**PERSON_FIELDS, **TEAM_FIELDS, **COMMON_FIELDS}


def returnable_fields(nominee_kind: str) -> dict[str, str]:
    """The fields of a person's or a team's form, in the form's order, with their labels."""
    own = PERSON_FIELDS if nominee_kind == "person" else TEAM_FIELDS
    return {**own, **COMMON_FIELDS}


def field_label(path: str) -> str:
    """`person.phone` -> 联系电话; a path below a known field takes that field's label; unknown: itself."""
    probe = path
    while probe:
        if probe in FIELD_LABELS:
            return FIELD_LABELS[probe]
        probe = probe.rpartition(".")[0]
    return path
