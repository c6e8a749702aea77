"""A demo's campaign: a copy whose dates are moved so that submission is open now (or at `make run`'s
anchor), and the deployment's choice between it and the file's own."""
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.campaign.codes import SUBMISSION_STAGE
from shared.campaign.loading import load_campaign
from shared.campaign.model import Campaign
from shared.campaign.parts import Stage, require_aware

DEMO_SUBMISSION_DAYS_LEFT = 14


def configured_campaign(path: str | Path, *, demo: bool, now_utc: datetime, demo_anchor: str = "") -> Campaign:
    """A deployment's campaign: the file's, or in a demo its copy with the dates moved to the anchor
    (an ISO instant set once by `make run`, so every process and every later hour agree on the dates),
    or to now when there is no anchor."""
    campaign = load_campaign(path)
    if not demo:
        return campaign
    anchor = datetime.fromisoformat(demo_anchor) if demo_anchor else now_utc
    return demo_copy(campaign, anchor)


def demo_copy(campaign: Campaign, now_utc: datetime, days_left: int = DEMO_SUBMISSION_DAYS_LEFT) -> Campaign:
    """A copy, id `<id>-demo`, whose submission closes `days_left` days from now (at the same clock time
    as the original), every other stage moved by the same number of days, and submission open now."""
    now_local = require_aware(now_utc).astimezone(campaign.zone)
    shift_days = (now_local.date() + timedelta(days=days_left) - campaign.submission.closes_at.date()).days
    stages = tuple(_shift_stage(stage, shift_days, campaign.zone) for stage in campaign.stages)
    stages = tuple(_opened_by(stage, now_local) if stage.code == SUBMISSION_STAGE else stage for stage in stages)
    demo_id = campaign.id if campaign.id.endswith("-demo") else f"{campaign.id}-demo"
    return replace(campaign, id=demo_id, is_demo=True, stages=stages)


def _shift_stage(stage: Stage, days: int, zone: ZoneInfo) -> Stage:
    """Moved by whole days of wall-clock time, so 23:59:59 stays 23:59:59 whatever the zone's offsets."""
    def shift(moment: datetime) -> datetime:
        return (moment.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=zone)

    return replace(stage, opens_at=shift(stage.opens_at), closes_at=shift(stage.closes_at))


def _opened_by(stage: Stage, now_local: datetime) -> Stage:
    if stage.opens_at <= now_local:
        return stage
    start_of_today = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    return replace(stage, opens_at=start_of_today)
