"""R3, R4d: which stage is open, and whether submitting or correcting is still allowed.

A deadline such as 2023-02-28 23:59:59 (Asia/Shanghai) is open for that whole second and closed from
2023-03-01 00:00:00 on. Instants may be in any zone but must be timezone-aware.
"""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from shared.campaign.model import Campaign
from shared.campaign.parts import ONE_SECOND, require_aware, Stage
from shared.campaign.codes import REVIEW_STAGE
from shared.i18n import LocalTime
from services.intake.domain.errors import IntakeRefusal

BEIJING_ZONES = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC")
LAST_SECOND_OF_DAY = time(23, 59, 59)


class DeadlinePassed(IntakeRefusal):
    def __init__(self, code: str, deadline: datetime, zone_name: str):
        super().__init__(code, when=LocalTime(deadline, zone_name))
        self.deadline = deadline


class StageNotOpen(IntakeRefusal):
    def __init__(self, opens_at: datetime, zone_name: str):
        super().__init__("intake.submission_not_open", when=LocalTime(opens_at, zone_name))
        self.opens_at = opens_at


def format_local(instant: datetime, zone_name: str) -> str:
    """`北京时间 2023年2月28日 23:59:59`, or the zone's name when it is not Beijing time."""
    local = require_aware(instant).astimezone(ZoneInfo(zone_name))
    shown = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}"
    return f"北京时间 {shown}" if zone_name in BEIJING_ZONES else f"{shown}（{zone_name}）"


def current_stage(campaign: Campaign, now_utc: datetime) -> Stage | None:
    """The stage open at `now_utc`, or None before, between and after the stages."""
    return campaign.stage_open_at(now_utc)


def submission_open(campaign: Campaign, now_utc: datetime) -> bool:
    return campaign.submission.is_open_at(now_utc)


def ensure_submission_open(campaign: Campaign, now_utc: datetime) -> None:
    """Refuses creating, changing or submitting a nomination outside the submission stage."""
    stage = campaign.submission
    if require_aware(now_utc) < stage.opens_at:
        raise StageNotOpen(stage.opens_at, campaign.time_zone)
    if not stage.is_open_at(now_utc):
        raise DeadlinePassed("intake.submission_closed", stage.closes_at, campaign.time_zone)


def correction_open(correction_deadline_utc: datetime, now_utc: datetime) -> bool:
    """True up to and including the deadline's second."""
    return require_aware(now_utc) < require_aware(correction_deadline_utc) + ONE_SECOND


def ensure_correction_open(correction_deadline_utc: datetime, now_utc: datetime, zone_name: str) -> None:
    if not correction_open(correction_deadline_utc, now_utc):
        raise DeadlinePassed("intake.correction_closed", correction_deadline_utc, zone_name)


def correction_deadline(campaign: Campaign, returned_at_utc: datetime) -> datetime:
    """The last second (UTC) to correct a returned nomination: the end of the local day
    `correction_window_days` after the return, but no later than the end of the review stage."""
    returned_local = require_aware(returned_at_utc).astimezone(campaign.zone)
    last_day = returned_local.date() + timedelta(days=campaign.correction_window_days)
    deadline = datetime.combine(last_day, LAST_SECOND_OF_DAY, tzinfo=campaign.zone)
    review_close = _review_close(campaign)
    if review_close is not None and returned_local < review_close < deadline:
        deadline = review_close
    return deadline.astimezone(timezone.utc)


def _review_close(campaign: Campaign) -> datetime | None:
    return next((stage.closes_at for stage in campaign.stages if stage.code == REVIEW_STAGE), None)
