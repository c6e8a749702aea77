"""Who the reminders go to: invited organisations with the places their nominations hold, and the
contacts of saved drafts (from the events intake publishes)."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from services.notify.domain.model import CampaignInfo
from services.notify.domain.preferences import Preferences
from services.notify.domain.recipients import draft_contact, invited_organisation
from services.notify.domain.reminders import invited_organisation_quotas, quota_reminders

pytestmark = pytest.mark.unit

CAMPAIGN = CampaignInfo("2022-zuimei-houqin", "全国教育后勤系统“2022年度最美后勤人”推举活动")
DEADLINE = datetime(2023, 2, 28, 15, 59, 59, tzinfo=timezone.utc)


def invitation(**changes):
    payload = {"organisation_id": "ORG-1", "campaign_id": CAMPAIGN.campaign_id, "campaign_name": CAMPAIGN.name,
               "name": "某省高校后勤协会", "type": "local_association", "email": "org@example.cn",
               "contact_name": "王秘书", "quota": 3, "invitation_url": "https://tuiju.example.cn/org/invite/x"}
    return {**payload, **changes}


def draft_saved(**contact):
    return {"nomination_id": "N-1", "campaign_id": CAMPAIGN.campaign_id, "campaign_name": CAMPAIGN.name,
            "nominee_name": "", "edit_url": "https://tuiju.example.cn/n/token",
            "contact": {"name": "李红梅", "email": "li@example.cn", "phone": None, **contact}}


def test_invited_organisation_is_reached_at_its_email_by_its_contact_name():
    organisation = invited_organisation(invitation())
    assert (organisation.kind, organisation.name, organisation.address("email"), organisation.org_id) == (
        "recommender", "王秘书", "org@example.cn", "ORG-1")


def test_invited_organisation_without_a_contact_is_named_by_its_own_name():
    assert invited_organisation(invitation(contact_name="")).name == "某省高校后勤协会"


def test_invited_organisation_with_no_submission_has_all_its_places_left():
    organisation = invited_organisation(invitation())
    [quota] = invited_organisation_quotas([(organisation, 3)], {}, "https://tuiju.example.cn/org/")
    assert (quota.used, quota.quota, quota.intake_url) == (0, 3, "https://tuiju.example.cn/org/")
    [reminder] = quota_reminders(CAMPAIGN, DEADLINE, DEADLINE - timedelta(days=2), [quota])
    assert reminder.context["remaining"] == 3 and reminder.recipient.address("email") == "org@example.cn"


def test_invited_organisation_places_used_are_its_own_nominations_only():
    first, second = invited_organisation(invitation()), invited_organisation(invitation(organisation_id="ORG-2"))
    quotas = invited_organisation_quotas([(first, 3), (second, 2)], {"ORG-2": 2, "ORG-9": 1}, "u")
    assert [(q.recipient.org_id, q.used) for q in quotas] == [("ORG-1", 0), ("ORG-2", 2)]
    assert [m.recipient.org_id for m in quota_reminders(CAMPAIGN, DEADLINE, DEADLINE - timedelta(days=2), quotas)] == [
        "ORG-1"]


def test_invited_organisation_that_opted_out_gets_no_quota_reminder():
    quiet = replace(invited_organisation(invitation()), prefs=Preferences(reminders=False))
    quotas = invited_organisation_quotas([(quiet, 3)], {}, "u")
    assert quota_reminders(CAMPAIGN, DEADLINE, DEADLINE - timedelta(days=2), quotas) == []


def test_draft_contact_is_the_contact_of_the_draft():
    contact = draft_contact(draft_saved(phone="139 1111 2222"))
    assert (contact.kind, contact.name, contact.address("email"), contact.address("sms"), contact.nomination_id) == (
        "contact", "李红梅", "li@example.cn", "13911112222", "N-1")


def test_draft_contact_that_cannot_be_reached_is_none():
    assert draft_contact(draft_saved(email="not an address", phone="12345")) is None
