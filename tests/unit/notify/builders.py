"""Events and an in-memory directory for the notify unit tests."""
from __future__ import annotations

import copy
import uuid
from dataclasses import replace

from services.notify.domain.model import NominationInfo, Recipient
from services.notify.domain.preferences import Preferences
from services.notify.domain.recipients import nomination_from_submission, recipients_from_submission

CAMPAIGN_ID = "2022-zuimei-houqin"
CAMPAIGN_NAME = "全国教育后勤系统“2022年度最美后勤人”推举活动"
CONTACT_EMAIL = "lihm@shjyhq.org.cn"
NOMINEE_EMAIL = "wangxl@school.edu.cn"
RECOMMENDER_EMAIL = "office@shjyhq.org.cn"
CONTACT_PHONE = "13911112222"

_SUBMISSION = {
    "nomination_id": "N-1",
    "campaign_id": CAMPAIGN_ID,
    "campaign_name": CAMPAIGN_NAME,
    "is_demo": False,
    "version": 1,
    "channel": "local_association",
    "recommender": {"org_id": "ORG-7", "name": "上海市教育后勤协会", "type": "local_association",
                    "email": RECOMMENDER_EMAIL},
    "nominee_kind": "person",
    "nominee_name": "王秀兰",
    "person": {
        "name": "王秀兰", "gender": "女", "ethnic_group": "汉族", "age": 46, "political_status": "中共党员",
        "phone": "13800138000", "email": NOMINEE_EMAIL, "unit": "上海某大学后勤集团", "department": "饮食服务中心",
        "position": "主管", "address": "上海市某区某路1号", "postcode": "200000",
    },
    "team": None,
    "domain": "伙食管理",
    "deeds": "二十年如一日扎根食堂一线。",
    "media_honours": [],
    "media_priority": False,
    "contact": {"name": "李红梅", "email": CONTACT_EMAIL, "phone": CONTACT_PHONE},
    "status_url": "https://tuiju.example.cn/status/abc",
    "files": [
        {"file_id": "F-1", "kind": "sealed_form", "object_key": "u/F-1", "sha256": "0" * 64, "size": 1000,
         "content_type": "application/pdf", "filename": "报名表.pdf"},
    ],
    "submitted_at": "2023-02-20T02:30:00+00:00",
}


def submission(**changes) -> dict:
    payload = copy.deepcopy(_SUBMISSION)
    payload.update(changes)
    return payload


def team_submission(**changes) -> dict:
    team = {"name": "后勤保障服务团队", "leader": {"name": "赵刚", "phone": "13700001111", "email": "zhaog@school.edu.cn"},
            "members": [{"name": "钱伟", "role": "厨师"}, {"name": "孙丽", "role": "营养师"}]}
    return submission(nominee_kind="team", nominee_name=team["name"], person=None, team=team, **changes)


def envelope(event_type: str, payload: dict, event_id: str | None = None) -> dict:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "type": event_type,
        "version": 1,
        "occurred_at": "2023-03-01T00:00:00+00:00",
        "producer": "test",
        "key": payload.get("nomination_id") or payload.get("campaign_id"),
        "correlation_id": "c-1",
        "causation_id": None,
        "payload": payload,
    }


class InMemoryDirectory:
    """The Directory protocol over dicts: what the lead keeps in notify's database."""

    def __init__(self):
        self.nominations: dict[str, NominationInfo] = {}
        self.people: dict[str, list[Recipient]] = {}
        self.reviewers: dict[str, list[Recipient]] = {}

    def remember(self, payload: dict) -> InMemoryDirectory:
        self.nominations[payload["nomination_id"]] = nomination_from_submission(payload)
        self.people[payload["nomination_id"]] = recipients_from_submission(payload)
        return self

    def set_preferences(self, nomination_id: str, kind: str, prefs: Preferences, lang: str = "zh") -> None:
        self.people[nomination_id] = [
            replace(person, prefs=prefs, lang=lang) if person.kind == kind else person
            for person in self.people[nomination_id]
        ]

    def nomination(self, nomination_id: str) -> NominationInfo | None:
        return self.nominations.get(nomination_id)

    def contacts_for(self, nomination_id: str) -> list[Recipient]:
        return [p for p in self.people.get(nomination_id, []) if p.kind in ("contact", "nominee")]

    def recommender_for(self, nomination_id: str) -> Recipient | None:
        return next((p for p in self.people.get(nomination_id, []) if p.kind == "recommender"), None)

    def reviewers_for(self, domain: str) -> list[Recipient]:
        return self.reviewers.get(domain, [])
