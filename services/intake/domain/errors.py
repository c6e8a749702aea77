"""Refusals of the intake rules. Each carries a Chinese message fit to show the user as it is."""
from shared.campaign.errors import Refusal, UnknownChannel  # noqa: F401 (UnknownChannel: one of intake's refusals)

IntakeRefusal = Refusal  # every refusal of the intake rules; the campaign's own are among them
