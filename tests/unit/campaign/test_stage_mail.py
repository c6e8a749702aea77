import pytest

from shared.campaign.errors import CampaignError
from shared.campaign.loading import campaign_from_data

pytestmark = pytest.mark.unit


def problems_of(data) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        campaign_from_data(data, "broken.yaml")
    return list(caught.value.problems)


def test_stage_mail_audiences_are_read_from_the_file(campaign):
    assert campaign.stage_mail_audiences("submission", "closed") == ("organisations",)
    assert campaign.stage_mail_audiences("review", "opened") == ("reviewers",)
    assert campaign.stage_mail_audiences("submission", "opened") == ()


def test_stage_mail_is_optional(campaign_data):
    del campaign_data["stage_mail"]
    assert campaign_from_data(campaign_data).stage_mail == ()


def test_stage_mail_names_only_the_campaigns_stages(campaign_data):
    campaign_data["stage_mail"]["objections"] = {"opened": ["organisations"]}
    assert problems_of(campaign_data) == ["stage_mail.objections: 活动没有“objections”阶段 / the campaign has no stage objections"]


def test_stage_mail_knows_its_audiences_and_changes(campaign_data):
    campaign_data["stage_mail"]["review"] = {"opened": ["public"], "begun": ["reviewers"]}
    problems = problems_of(campaign_data)
    assert any(p.startswith("stage_mail.review.value.opened[0]: 必须是 organisations / reviewers") for p in problems), problems
    assert any(p.startswith("stage_mail.review.value.begun: 不认识的字段") for p in problems), problems
