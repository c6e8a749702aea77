from datetime import datetime, timezone

import pytest

from shared.campaign.errors import CampaignError
from shared.campaign.loading import campaign_from_data

pytestmark = pytest.mark.unit


def problems_of(data) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        campaign_from_data(data, "broken.yaml")
    return list(caught.value.problems)


def test_campaign_retention_is_read_from_the_file(campaign):
    assert (campaign.retention.archive_lock_years, campaign.retention.personal_data_days) == (30, 365)
    assert "phone" in campaign.retention.personal_fields


def test_campaign_retention_lock_lasts_the_years_asked(campaign):
    now = datetime(2023, 4, 30, tzinfo=timezone.utc)
    assert campaign.retention.lock_until(now).year == 2053


def test_campaign_retention_is_required(campaign_data):
    del campaign_data["retention"]
    assert problems_of(campaign_data) == ["retention: 必填 / is required"]


@pytest.mark.parametrize("years", [0, 101, "30", None])
def test_campaign_retention_lock_years_must_be_a_whole_number_in_range(campaign_data, years):
    campaign_data["retention"]["archive_lock_years"] = years
    (problem,) = problems_of(campaign_data)
    assert problem.startswith("retention.archive_lock_years: ")


def test_campaign_retention_personal_fields_must_be_known_names(campaign_data):
    campaign_data["retention"]["personal_fields"] = ["phone", "salary"]
    assert problems_of(campaign_data)[0].startswith("retention.personal_fields[1]: 必须是")


def test_campaign_retention_personal_data_cannot_outlast_the_lock(campaign_data):
    campaign_data["retention"].update(archive_lock_years=1, personal_data_days=400)
    assert problems_of(campaign_data) == ["retention.personal_data_days: 不能长于档案锁定期 / must not be longer than archive_lock_years"]


def test_campaign_retention_refuses_an_unknown_key(campaign_data):
    campaign_data["retention"]["keep_forever"] = True
    assert problems_of(campaign_data) == ["retention.keep_forever: 不认识的字段 / unknown field"]
