"""The campaign as data, shared by every service: stages, channels and quotas, domains, uploads, rubric,
how the review runs and how the committee's scores are combined.

`load_campaign(path)` reads and validates a campaign YAML file; `configured_campaign(...)` gives a
deployment's campaign (in a demo, a copy with the dates moved to the anchor)."""
from shared.campaign.errors import CampaignError, Refusal, UnknownChannel
from shared.campaign.demo import configured_campaign, demo_copy
from shared.campaign.loading import campaign_from_data, load_campaign
from shared.campaign.model import Campaign
from shared.campaign.parts import (
    Channel, ExcludedCampaign, NomineeKind, ReviewSettings, RubricCriterion, Scoring, Stage, UploadRequirement,
)

__all__ = [
    "Campaign", "CampaignError", "Channel", "ExcludedCampaign", "NomineeKind", "Refusal", "ReviewSettings",
    "RubricCriterion", "Scoring", "Stage", "UnknownChannel", "UploadRequirement", "campaign_from_data",
    "configured_campaign", "demo_copy", "load_campaign",
]
