"""The catalogue of messages: the placeholders each may use, with an example value each.

The examples serve the secretariat's preview and the check of an edited template, which renders it with
them. Every message has these placeholders as well: campaign_name, campaign_short_name (the title in quotes,
for SMS), is_demo, recipient_name. A message about one nomination also has its reference (申报编号), "" when
the event came before references existed.
"""
from __future__ import annotations

import copy
from typing import Any

COMMON_SAMPLE: dict[str, Any] = {
    "campaign_name": "全国教育后勤系统“2022年度最美后勤人”推举活动",
    "campaign_short_name": "2022年度最美后勤人",
    "is_demo": False,
    "recipient_name": "李红梅",
}

_STATUS_URL = "https://tuiju.example.cn/status/7Hq2xK9"
_DEADLINE = "2023年2月28日 23:59（北京时间）"
_REFERENCE = "2022-00042"

SAMPLES: dict[str, dict[str, Any]] = {
    "submission_received": {"reference": _REFERENCE, 
        "nominee_name": "王秀兰", "domain": "伙食管理", "channel_label": "个人自荐",
        "status_url": _STATUS_URL, "submitted_at_local": "2023年2月20日 10:30（北京时间）",
    },
    "resubmission_received": {"reference": _REFERENCE, 
        "nominee_name": "王秀兰", "version": 2, "changed": ["联系电话", "事迹材料", "最高荣誉证书扫描件"],
        "status_url": _STATUS_URL, "submitted_at_local": "2023年3月6日 09:15（北京时间）",
    },
    "withdrawn": {"reference": _REFERENCE, "nominee_name": "王秀兰", "reason": "本人工作调动，不再参加本次推举。"},
    "scan_needs_action": {"reference": _REFERENCE, 
        "nominee_name": "王秀兰", "file_label": "加盖公章的纸质报名表", "filename": "报名表.pdf",
        "verdict": "flagged", "reasons": ["未在报名表上识别到红色公章，请确认盖章页已上传且清晰可见。"],
        "codes": ["seal_missing"], "replace_until": "", "submitted": False,
        "status_url": _STATUS_URL,
    },
    "returned_for_correction": {"reference": _REFERENCE, 
        "nominee_name": "王秀兰", "reason": "事迹材料中的获奖时间与证书不一致，请核对后修改。",
        "fields": ["事迹材料", "曾获各级各类媒体平台表彰与奖励情况"], "files": ["最高荣誉证书扫描件"],
        "deadline_local": "2023年3月10日 18:00（北京时间）", "status_url": _STATUS_URL,
    },
    "shortlisted": {"reference": _REFERENCE, "nominee_name": "王秀兰", "domain": "伙食管理", "status_url": _STATUS_URL},
    "not_shortlisted": {"reference": _REFERENCE, "nominee_name": "王秀兰", "domain": "伙食管理", "status_url": _STATUS_URL},
    "selected_for_public_notice": {"reference": _REFERENCE, 
        "nominee_name": "王秀兰", "domain": "伙食管理", "rank": 12,
        "notice_url": "https://tuiju.example.cn/notice/2022-zuimei-houqin",
        "opens_at_local": "2023年3月13日 09:00（北京时间）", "closes_at_local": "2023年3月19日 18:00（北京时间）",
    },
    "objection_received": {
        "nominee_name": "王秀兰", "objection_id": "OBJ-0007", "summary": "事迹材料所述获奖情况与实际不符。",
    },
    "objection_outcome": {
        "nominee_name": "王秀兰", "objection_id": "OBJ-0007", "is_objector": True, "outcome": "dismissed",
        "outcome_label": "异议不成立", "reason": "经核实，所述获奖情况有证书原件为证。",
        "summary": "事迹材料所述获奖情况与实际不符。",
    },
    "disqualified": {"reference": _REFERENCE, 
        "nominee_name": "王秀兰", "stage_label": "材料审核", "rule_label": "弄虚作假、徇私舞弊的，一经查实，取消参与资格",
        "reason": "所附荣誉证书与另一申报重复使用，经核实系伪造。", "status_url": _STATUS_URL,
    },
    "honouree_announced": {"reference": _REFERENCE, "nominee_name": "王秀兰", "domain": "伙食管理"},
    "recommender_update": {"reference": _REFERENCE, 
        "nominee_name": "王秀兰", "domain": "伙食管理", "update": "returned",
        "reason": "事迹材料中的获奖时间与证书不一致，请核对后修改。",
        "deadline_local": "2023年3月10日 18:00（北京时间）", "notice_url": "",
    },
    "reviewer_digest": {
        "items": [
            {"nominee_name": "王秀兰", "reference": _REFERENCE, "domain": "伙食管理", "kind_label": "新申报"},
            {"nominee_name": "后勤保障服务团队", "reference": "2022-00057", "domain": "伙食管理",
             "kind_label": "补正后重新提交"},
        ],
        "item_count": 2, "review_url": "https://tuiju.example.cn/review/queue",
    },
    "reminder_draft_unsubmitted": {
        "drafts": [{"nominee_name": "王秀兰", "reference": _REFERENCE, "edit_url": "https://tuiju.example.cn/drafts/3fA9"}],
        "days_left": 3, "deadline_local": _DEADLINE,
    },
    "reminder_unused_quota": {
        "used": 1, "quota": 3, "remaining": 2, "days_left": 7, "deadline_local": _DEADLINE,
        "intake_url": "https://tuiju.example.cn/intake",
    },
    "organisation_invited": {
        "organisation_name": "某省高校后勤协会", "organisation_type": "地方教育后勤社团组织", "quota": 3,
        "invitation_url": "https://tuiju.example.cn/org/invite/Ik9yZyI.x", "deadline_local": _DEADLINE,
        "resent": False, "has_password": False,
    },
    "contact_verification": {
        "nominee_name": "王秀兰", "verify_url": "https://tuiju.example.cn/verify/WyIzZkE5Il0.x", "valid_days": 7,
    },
    "nomination_links": {
        "nominations": [{"nominee_name": "王秀兰", "state_name": "草稿", "edit_url": "https://tuiju.example.cn/n/3fA9"}],
    },
    "reminder_committee_scoring": {
        "open_count": 12, "deadline_local": "2023年3月20日 23:59（北京时间）",
        "scoring_url": "https://tuiju.example.cn/review/scoring/",
    },
    "stage_announcement": {
        "stage": "submission", "stage_label": "候选人征集申报", "change": "closed", "at_local": "2023年3月1日 00:00（北京时间）",
        "audience": "organisations", "url": "https://tuiju.example.cn/org/", "used": 2, "quota": 3,
        "next_label": "材料审核、信息确认与公示", "next_opens_local": "2023年3月1日 00:00（北京时间）",
    },
    "reminder_reviewer_open_work": {
        "open_count": 8, "stage_label": "材料审核、信息确认与公示", "days_left": 1,
        "deadline_local": "2023年3月20日 23:59（北京时间）", "review_url": "https://tuiju.example.cn/review/queue",
    },
}

MESSAGES: tuple[str, ...] = tuple(SAMPLES)

TEMPLATE_VARIABLES: dict[str, frozenset[str]] = {
    name: frozenset(COMMON_SAMPLE) | frozenset(sample) for name, sample in SAMPLES.items()
}

# Messages that also have a short SMS text (`<name>.<lang>.sms`); the others go by e-mail only.
SMS_MESSAGES: frozenset[str] = frozenset({
    "submission_received", "scan_needs_action", "returned_for_correction", "shortlisted", "not_shortlisted",
    "selected_for_public_notice", "objection_outcome", "disqualified", "honouree_announced",
    "reminder_draft_unsubmitted", "reminder_unused_quota", "reminder_reviewer_open_work",
})

# What a recommender_update tells the recommending organisation (its `update` placeholder).
RECOMMENDER_UPDATES: tuple[str, ...] = (
    "submitted", "resubmitted", "withdrawn", "returned", "shortlisted", "not_shortlisted",
    "selected_for_public_notice", "disqualified", "honouree",
)


def sample_context(name: str) -> dict[str, Any]:
    """A complete example context for message `name` (a fresh copy: callers may change it)."""
    return copy.deepcopy({**COMMON_SAMPLE, **SAMPLES[name]})
