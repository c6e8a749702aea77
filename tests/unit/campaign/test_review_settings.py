"""The campaign's review and scoring sections: defaults when absent, every problem named with its path."""
from __future__ import annotations

import pytest

from shared.campaign import CampaignError, campaign_from_data

pytestmark = pytest.mark.unit


def test_review_and_scoring_of_the_2022_campaign(campaign):
    assert (campaign.review.shortlist_places_per_domain, campaign.scoring.aggregation, campaign.scoring.tie_keys[0]) == (
        35, "trimmed_mean", "media_priority")


def test_review_and_scoring_default_when_absent(campaign_data):
    del campaign_data["review"], campaign_data["scoring"]
    campaign = campaign_from_data(campaign_data)
    assert (campaign.review.shortlist_places_per_domain, campaign.review.reviewer_cap) == (None, 60)
    assert (campaign.scoring.aggregation, campaign.scoring.trim) == ("trimmed_mean", 1)


@pytest.mark.parametrize("change,problem", [
    (lambda d: d["scoring"].update(aggregation="max"), "scoring.aggregation: 必须是 mean / trimmed_mean / median 之一"),
    (lambda d: d["scoring"].update(min_scores=2), "scoring.min_scores: 截尾平均须多于两端去掉的分数"),
    (lambda d: d["scoring"].update(tie_keys=["criterion:nope"]), "scoring.tie_keys[0]: 评分标准中没有“nope”"),
    (lambda d: d["scoring"].update(tie_keys=["height"]), "scoring.tie_keys[0]: 必须是 media_priority"),
    (lambda d: d["review"].update(reviewer_cap=0), "review.reviewer_cap: 必须是正整数"),
])
def test_scoring_problems_are_named(change, problem, campaign_data):
    change(campaign_data)
    with pytest.raises(CampaignError) as error:
        campaign_from_data(campaign_data)
    assert any(p.startswith(problem) for p in error.value.problems), error.value.problems
