from datetime import datetime, timedelta, timezone

import pytest

from services.notify.domain.model import CampaignInfo, Recipient
from services.notify.domain.preferences import Preferences
from services.notify.domain.stage_mail import Listener, StageNews, plan_stage_mail

pytestmark = pytest.mark.unit

CAMPAIGN = CampaignInfo("c-2022", "全国教育后勤系统“2022年度最美后勤人”推举活动")
CLOSED_AT = datetime(2023, 2, 28, 16, 0, tzinfo=timezone.utc)
NEWS = StageNews("submission", "closed", "候选人征集申报", CLOSED_AT, "event-1", next_label="材料审核",
                 next_opens_at=CLOSED_AT)


def organisation(who: str, **prefs) -> Listener:
    recipient = Recipient("recommender", f"{who}协会", f"{who}@example.com", "13812345678", org_id=who,
                          prefs=Preferences(sms=True, **prefs))
    return Listener(recipient, "organisations", "https://tuiju.example.cn/org/", used=1, quota=3)


def test_plan_stage_mail_mails_each_listener_once_and_never_by_sms():
    planned = plan_stage_mail(CAMPAIGN, NEWS, [organisation("a"), organisation("b")], CLOSED_AT + timedelta(minutes=5))
    assert [(m.recipient.org_id, m.channel, m.template) for m in planned] == [
        ("a", "email", "stage_announcement"), ("b", "email", "stage_announcement")]
    assert planned[0].dedup_key == "stage:c-2022:submission:closed:a@example.com:email"
    assert planned[0].context["used"] == 1 and planned[0].context["next_label"] == "材料审核"
    assert planned[0].event_type == "campaign.stage_closed"


def test_plan_stage_mail_is_silent_once_the_change_is_old_news():
    assert plan_stage_mail(CAMPAIGN, NEWS, [organisation("a")], CLOSED_AT + timedelta(days=1, seconds=1)) == []
    assert len(plan_stage_mail(CAMPAIGN, NEWS, [organisation("a")], CLOSED_AT + timedelta(days=1))) == 1


def test_plan_stage_mail_writes_the_time_in_the_listeners_language():
    english = organisation("en")
    english = Listener(Recipient("recommender", "EN", "en@example.com", lang="en"), "organisations", english.url)
    (mail,) = plan_stage_mail(CAMPAIGN, NEWS, [english], CLOSED_AT)
    assert mail.lang == "en" and "Beijing time" in mail.context["at_local"]
