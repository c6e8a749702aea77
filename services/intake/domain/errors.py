"""Refusals of the intake rules. Each carries a Chinese message fit to show the user as it is."""
from shared.campaign.errors import CampaignError, Refusal, UnknownChannel  # noqa: F401

IntakeRefusal = Refusal  # every refusal of the intake rules; the campaign's own are among them
