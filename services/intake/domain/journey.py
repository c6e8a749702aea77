"""The steps a nomination passes, as its status page shows them: which are behind it, where it is now, what
comes, and when (from the campaign's stages). Intake knows a nomination's own state (draft, submitted,
returned, resubmitted, withdrawn, disqualified) and where review's decisions have taken it since
(`review_stage`, from nomination.advanced): approved and shortlisted wait for the committee, a candidate for
the notice, an honouree for the announcement; not shortlisted or not selected ends the way there."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from shared.campaign.model import Campaign
from services.intake.domain.nomination import NominationState as S

DONE, CURRENT, UPCOMING, STOPPED = "done", "current", "upcoming", "stopped"
# Sent, and the material check has not opened yet: the next step waits for its date (tester's I-4).
WAITING = "waiting"
# The step a review stage reaches, and the step at which a stage ends the way.
REVIEW_REACHED = {"approved": 2, "shortlisted": 2, "candidate": 3, "honouree": 4}
REVIEW_ENDED = {"not_shortlisted": 2, "not_selected": 3}


@dataclass(frozen=True)
class Step:
    name: str
    detail: str
    when: str
    status: str


def journey(campaign: Campaign, state: str, submitted: bool, when: Callable[[datetime], str],
            review_stage: str | None = None, now: datetime | None = None) -> list[Step]:
    """The steps, each with its status for a nomination in `state` (`submitted`: it was sent at least once;
    `review_stage`: where review's decisions took it) at `now`; `when` writes a date for people."""
    submission, review, announcement = (_stage(campaign, code) for code in ("submission", "review", "announcement"))
    steps = [
        ("填写并提交申报", "填写报名信息、上传盖章报名表和证书，确认提交", submission and f"{when(submission.closes_at)} 截止"),
        ("材料审核", "评审工作组按业务领域审核材料；如需修改，会退回并说明原因和修改期限",
         review and f"{when(review.opens_at)} 起"),
        ("推举入围与确定候选人", "各分支机构按业务领域推举入围人选，评审委员会确定候选人",
         review and f"{when(review.closes_at)} 前"),
        ("候选人公示", "公示期间可对候选人提出异议", review and f"{when(review.closes_at)} 前完成"),
        ("通报及事迹宣讲", "主办单位通报结果，组织事迹宣讲",
         announcement and f"{when(announcement.opens_at)} – {when(announcement.closes_at)}"),
    ]
    reached = {S.DRAFT: 0, S.SUBMITTED: 1, S.RESUBMITTED: 1, S.RETURNED: 1}.get(state)
    ended = None
    if reached == 1 and review_stage is not None:
        reached, ended = REVIEW_REACHED.get(review_stage), REVIEW_ENDED.get(review_stage)
    waiting = (state in (S.SUBMITTED, S.RESUBMITTED) and review_stage is None and review is not None
               and now is not None and now < review.opens_at)
    return [Step(name, detail, shown or "", WAITING if waiting and index == 1 else
                 _status(index, reached, submitted, ended))
            for index, (name, detail, shown) in enumerate(steps)]


def _status(index: int, reached: int | None, submitted: bool, ended: int | None = None) -> str:
    if ended is not None:  # not shortlisted, not selected: the steps before are behind it, the way ends there
        return DONE if index < ended else STOPPED
    if reached is None:  # withdrawn or disqualified: the way ends here
        return DONE if index == 0 and submitted else STOPPED
    if index < reached:
        return DONE
    return CURRENT if index == reached else UPCOMING


def _stage(campaign: Campaign, code: str):
    return next((stage for stage in campaign.stages if stage.code == code), None)
