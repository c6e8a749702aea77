"""The committee's stages on the test servers: a review container whose campaign has an id of the test's
own (a confirmed list, a notice, an announcement are per campaign, and the test servers are shared),
committee members, and shortlisted nominations: each submission is published to the real Kafka (so the
topic holds what the read model holds, and a rebuild from offset 0 finds it) and applied at once through
review's own consumer handler (faster than waiting for a consumer), then shortlisted by decisions."""
from __future__ import annotations

import dataclasses
import uuid

from services.review.bootstrap import bootstrap, utc_now
from services.review.domain.people import Role, StaffMember
from services.review.domain.states import Action
from services.review.domain.transitions import Request
from services.review.service_layer.decisions import decide_nomination
from services.review.service_layer.handlers import nomination_received
from services.review.service_layer.staff import save_member
from shared.campaign import demo_copy, load_campaign
from shared.config import Settings
from shared.events import new_event
from tests.integration.review.conftest import publish
from tests.unit.notify.builders import submission


def own_campaign_review(env: dict, **changes):
    """Review with the demo campaign (open now) under an id of its own; `changes` replace campaign fields."""
    settings = Settings.from_env("review", env)
    campaign = demo_copy(load_campaign(settings.campaign_file), utc_now())
    campaign = dataclasses.replace(campaign, id=f"test-{uuid.uuid4().hex[:8]}", **changes)
    return bootstrap(settings, campaign=campaign)


def register(review, *people: StaffMember) -> None:
    with review.sessions.begin() as session:
        for member in people:
            save_member(session, member, by=None, at=review.clock())


def committee_member(tag: str, n: int, mail_domain: str, **details) -> StaffMember:
    return StaffMember(f"com-{tag}-{n}", f"委员{n}号{tag[:4]}", Role.COMMITTEE, email=f"member{n}@{mail_domain}",
                       unit=details.pop("unit", f"委员单位{tag}{n}"), **details)


ETHNIC_GROUPS = ("回族", "满族", "壮族", "蒙古族", "维吾尔族", "藏族", "苗族")
POLITICAL = ("中国国民党革命委员会会员", "中国民主同盟盟员", "九三学社社员", "中国致公党党员")


def personal_fields(i: int, tag: str) -> dict:
    """Personal fields of the i-th nominee, each a value no public page could show by chance."""
    return {"phone": f"139{i:04d}{int(tag[:6], 16) % 10 ** 4:04d}", "email": f"nominee{i}-{tag}@example.com",
            "address": f"示例市幸福区和平路{i + 100}号{tag[:4]}室", "postcode": f"{(int(tag[:5], 16) + i) % 900000 + 100000}",
            "ethnic_group": ETHNIC_GROUPS[i % len(ETHNIC_GROUPS)], "political_status": POLITICAL[i % len(POLITICAL)]}


def seed_shortlisted(review, secretariat: StaffMember, count: int, tag: str, *, domain_of=None, unit_of=None,
                     contact_of=None, kind_of=None, name_of=None, actions=(Action.APPROVE, Action.SHORTLIST),
                     photos: bool = False) -> list[str]:
    """`count` nominations of the review's campaign, received as the consumer receives them and shortlisted
    by the secretariat; returns their ids in order. The `*_of(i)` callables vary the nominations."""
    made, events = [], []
    domains = review.campaign.domains
    for i in range(count):
        nomination_id = str(uuid.uuid4())
        name = name_of(i) if name_of else f"候选{tag[:4]}{i:03d}"
        unit = unit_of(i) if unit_of else f"示例大学{tag}{i % 7}"
        person = personal_fields(i, tag)
        payload = submission(nomination_id=nomination_id, campaign_id=review.campaign.id, nominee_name=name,
                             domain=(domain_of(i) if domain_of else domains[i % len(domains)]),
                             person={**submission()["person"], **person, "name": name, "unit": unit},
                             deeds=f"{name}扎根后勤一线二十年，联系电话{person['phone']}，邮箱{person['email']}，"
                                   "保障师生一日三餐。" * 4,
                             contact={"name": f"联系人{i}", "phone": "137" + person["phone"][3:],
                                      "email": f"contact{i}-{tag}@example.com"},
                             media_priority=i % 5 == 0, submitted_at=f"2023-02-{1 + i % 27:02d}T02:00:00+00:00",
                             reference=f"2022-{int(tag[:5], 16) % 90000 + 10000:05d}{i:03d}")
        if photos:
            payload["files"] = [*payload["files"], {"file_id": f"P-{nomination_id[:8]}", "kind": "photo",
                                                    "object_key": "u/photo", "sha256": "1" * 64, "size": 1000,
                                                    "content_type": "image/jpeg", "filename": "照片.jpg"}]
        if contact_of:
            payload["contact"] = contact_of(i)
        if kind_of and kind_of(i) == "team":
            payload.update(nominee_kind="team", person=None, team={
                "name": name, "unit": unit, "leader": {"name": f"领队{i}", "phone": "136" + person["phone"][3:],
                                             "email": f"leader{i}-{tag}@example.com"},
                "members": [{"name": "钱伟", "role": "厨师"}, {"name": "孙丽", "role": "营养师"}]})
        event = new_event("nomination.submitted", nomination_id, payload, producer="intake")
        with review.sessions.begin() as session:
            nomination_received(review, session, event)
        events.append(event)
        for action in actions:
            decide_nomination(review, nomination_id, secretariat, Request(action))
        made.append(nomination_id)
    publish(review.settings.kafka_bootstrap, *events)
    return made


def split(total: int, kind: str = "person") -> dict:
    """A sheet with this total (a team's 最美服务团队 full, the three 匠 criteria alike, the rest 事迹感召力)."""
    team = kind == "team"
    rest = total - 30 if team else total
    each = min(20 if team else 30, rest // 3)
    return {"jiangren": each, "jiangxin": each, "jiangpin": each, "shiji": rest - 3 * each,
            **({"zuimei_tuandui": 30} if team else {})}


def ranked_sheet(i: int, kind: str = "person") -> dict:
    """The sheet that ranks the i-th nomination i-th: two share each total, the second with one point moved
    from 匠人觉悟 to 事迹感召力 (so the campaign's tie keys part them)."""
    sheet = split(95 - i // 2, kind)
    if i % 2:
        sheet["jiangren"] -= 1
        sheet["shiji"] += 1
    return sheet


def standing_committee(review) -> tuple[StaffMember, list[StaffMember]]:
    """A secretariat member and three committee members the same in every test (registered again, not
    added: the shared test servers' staff stays small)."""
    secretariat = StaffMember("sec-standing", "秘书处常设测试", Role.SECRETARIAT, unit="中国教育后勤协会")
    members = [StaffMember(f"com-standing-{n}", f"常设委员{n}", Role.COMMITTEE, unit=f"常设委员单位{n}")
               for n in (1, 2, 3)]
    register(review, secretariat, *members)
    return secretariat, members


def published_list(review, count: int, comment_of=None, **seed) -> dict:
    """`count` nominations shortlisted and scored by three members, distinct totals falling with their
    order (each member's comment `comment_of(i)`); the campaign's number confirmed and the notice published. Returns the ids in ranking order (R10's
media priority parts equal totals first)."""
    from services.review.service_layer.candidates import confirm_list, publish_notice
    from services.review.service_layer.ranking import ranking_of
    from services.review.service_layer.scoring import submit_sheet

    tag = uuid.uuid4().hex[:8]
    secretariat, members = standing_committee(review)
    ids = seed_shortlisted(review, secretariat, count, tag, **seed)
    kinds = {i: (seed["kind_of"](i) if seed.get("kind_of") else "person") for i in range(count)}
    for i, nomination_id in enumerate(ids):
        for member in members:
            submit_sheet(review, nomination_id, member, ranked_sheet(i, kinds[i]), comment_of(i) if comment_of else "事迹扎实")
    confirm_list(review, secretariat)
    publish_notice(review, secretariat)
    with review.sessions() as session:
        ranked = [row.nomination_id for row in ranking_of(session, review.campaign).rows]
    return {"ids": ranked, "secretariat": secretariat, "members": members, "tag": tag}
