"""Replacing a file its scan flagged or refused, once the nomination is sent: until when, and when not."""
from datetime import datetime, timedelta

from shared.campaign.model import Campaign
from shared.i18n import message
from services.intake.domain.nomination import NominationState as S
from services.intake.domain.upload_rules import UploadRefused

# Sent and not yet decided: a file its scan flagged or refused may still be replaced until the material
# check starts (the close of submissions), so that a submission is not stuck with it (its only other exit:
# withdrawing). A verdict that came late (a submission that went through while its files were still being
# checked, on the last evening) leaves the applicant `scan_wait.replace_hours` after it.
SENT_STATES = frozenset({S.SUBMITTED, S.RESUBMITTED})
NEEDS_REPLACING = ("flagged", "refused")


def replaceable_until(campaign: Campaign, verdict_at: datetime | None) -> datetime:
    """The first instant a flagged or refused file of a sent nomination may no longer be replaced."""
    close = campaign.submission.ends_before
    if verdict_at is None:
        return close
    return max(close, verdict_at + timedelta(hours=campaign.scan_wait.replace_hours))


def may_replace_flagged(campaign: Campaign, now: datetime, verdict_at: datetime | None,
                        closed_by_announcement: bool = False) -> bool:
    """`closed_by_announcement`: the scheduler announced the close of submissions, which then counts as come
    whatever this clock says (a late verdict's hours after it still run)."""
    if closed_by_announcement:
        now = max(now, campaign.submission.ends_before)
    return now < replaceable_until(campaign, verdict_at)


def check_may_replace_flagged(campaign: Campaign, now: datetime, verdict_at: datetime | None = None,
                              closed_by_announcement: bool = False, review_stage: str | None = None) -> None:
    if review_stage is not None:
        raise UploadRefused("intake.replacement_after_decision", stage=message(f"intake.review_stage.{review_stage}"))
    if not may_replace_flagged(campaign, now, verdict_at, closed_by_announcement):
        raise UploadRefused("intake.replacement_closed")
