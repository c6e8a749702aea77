from datetime import datetime, timedelta, timezone

import pytest

from services.notify.domain.catalogue import TEMPLATE_VARIABLES
from services.notify.domain.model import CampaignInfo, Recipient
from services.notify.domain.preferences import Preferences
from services.notify.domain.reminders import (
    Draft,
    OrganisationQuota,
    ReviewerWork,
    days_left,
    draft_reminders,
    quota_reminders,
    reminder_window,
    reviewer_reminders,
)
from services.notify.domain.templates import render

pytestmark = pytest.mark.unit

CAMPAIGN = CampaignInfo("2022-zuimei-houqin", "全国教育后勤系统“2022年度最美后勤人”推举活动")
DEADLINE = datetime(2023, 2, 28, 15, 59, 59, tzinfo=timezone.utc)  # 2023-02-28 23:59:59 Beijing time


def before(**delta):
    return DEADLINE - timedelta(**delta)


def person(email="li@example.cn", prefs=Preferences(), phone="13911112222", kind="contact"):
    return Recipient(kind, "李红梅", email, phone, prefs=prefs)


def drafts_of(*people):
    return [Draft(p, f"草稿{i}", f"https://tuiju.example.cn/drafts/{i}") for i, p in enumerate(people)]


@pytest.mark.parametrize("now,window", [
    (before(days=10), None),
    (before(days=7, seconds=1), None),
    (before(days=7), 7),
    (before(days=5), 7),
    (before(days=3), 3),
    (before(days=2), 3),
    (before(hours=12), 1),
    (before(seconds=1), 1),
    (DEADLINE, None),
    (DEADLINE + timedelta(hours=1), None),
])
def test_reminder_window_at_7_3_and_1_days(now, window):
    assert reminder_window(DEADLINE, now) == window


def test_reminder_window_follows_the_campaign_windows():
    assert reminder_window(DEADLINE, before(days=10), windows=(14, 2)) == 14


def test_days_left_counts_a_part_day_as_one():
    assert days_left(DEADLINE, before(days=2, hours=1)) == 3
    assert days_left(DEADLINE, before(minutes=5)) == 1


def test_draft_reminder_lists_all_drafts_of_one_person_once():
    planned = draft_reminders(CAMPAIGN, DEADLINE, before(days=5), drafts_of(person(), person(), person("zhou@a.cn")))
    assert [(m.recipient.email, len(m.context["drafts"])) for m in planned] == [("li@example.cn", 2), ("zhou@a.cn", 1)]
    assert planned[0].dedup_key == "reminder:2022-zuimei-houqin:reminder_draft_unsubmitted:20230228T155959Z:7d:li@example.cn:email"
    assert (planned[0].event_id, planned[0].event_type) == (None, "reminder")


def test_draft_reminder_has_one_key_per_window():
    at = [before(days=6), before(days=4), before(days=2), before(hours=20)]
    keys = [draft_reminders(CAMPAIGN, DEADLINE, now, drafts_of(person()))[0].dedup_key for now in at]
    assert keys[0] == keys[1]
    assert len({keys[1], keys[2], keys[3]}) == 3


def test_no_reminder_after_the_deadline():
    assert draft_reminders(CAMPAIGN, DEADLINE, DEADLINE + timedelta(minutes=1), drafts_of(person())) == []


def test_no_reminder_before_the_first_window():
    assert draft_reminders(CAMPAIGN, DEADLINE, before(days=8), drafts_of(person())) == []


def test_no_reminder_to_someone_who_opted_out():
    opted_out = person("out@a.cn", Preferences(reminders=False))
    planned = draft_reminders(CAMPAIGN, DEADLINE, before(days=1), drafts_of(opted_out, person()))
    assert [m.recipient.email for m in planned] == ["li@example.cn"]


def test_reminder_goes_by_sms_too_when_opted_in():
    planned = draft_reminders(CAMPAIGN, DEADLINE, before(days=1), drafts_of(person(prefs=Preferences(sms=True))))
    assert [(m.channel, m.dedup_key.rsplit(":", 2)[1]) for m in planned] == [
        ("email", "li@example.cn"), ("sms", "13911112222")]


def test_reminder_context_has_the_deadline_in_beijing_time():
    context = draft_reminders(CAMPAIGN, DEADLINE, before(days=2, hours=1), drafts_of(person()))[0].context
    assert context["deadline_local"] == "2023年2月28日 23:59（北京时间）"
    assert context["days_left"] == 3


def test_quota_reminder_only_to_organisations_with_places_left():
    organisations = [
        OrganisationQuota(person("full@a.cn", kind="recommender"), used=3, quota=3, intake_url="https://t/i"),
        OrganisationQuota(person("half@a.cn", kind="recommender"), used=1, quota=3, intake_url="https://t/i"),
    ]
    planned = quota_reminders(CAMPAIGN, DEADLINE, before(days=3), organisations)
    assert [(m.recipient.email, m.context["remaining"]) for m in planned] == [("half@a.cn", 2)]
    assert ":3d:" in planned[0].dedup_key


def test_reviewer_reminder_only_to_reviewers_with_open_work():
    closes_at = datetime(2023, 3, 20, 15, 59, 59, tzinfo=timezone.utc)
    reviewers = [ReviewerWork(person("busy@a.cn", kind="reviewer"), 8, "https://t/r"),
                 ReviewerWork(person("done@a.cn", kind="reviewer"), 0, "https://t/r")]
    planned = reviewer_reminders(CAMPAIGN, "材料审核、信息确认与公示", closes_at, closes_at - timedelta(hours=5), reviewers)
    assert [(m.recipient.email, m.context["open_count"]) for m in planned] == [("busy@a.cn", 8)]
    assert planned[0].context["stage_label"] == "材料审核、信息确认与公示"


def test_every_reminder_context_matches_its_template_and_renders():
    now = before(days=1)
    planned = (
        draft_reminders(CAMPAIGN, DEADLINE, now, drafts_of(person()))
        + quota_reminders(CAMPAIGN, DEADLINE, now, [OrganisationQuota(person(), 0, 1, "https://t/i")])
        + reviewer_reminders(CAMPAIGN, "材料审核", DEADLINE, now, [ReviewerWork(person(), 2, "https://t/r")])
    )
    assert len(planned) == 3
    for message in planned:
        assert set(message.context) == TEMPLATE_VARIABLES[message.template]
        assert render(message.template, "zh", "email", message.context).subject.endswith("还有1天")
