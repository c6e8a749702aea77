"""The campaign's stage changes that are due: each stage opens at its `opens_at` and closes at the end of
its `closes_at` second, once. The scheduler announces what is due and not yet announced, in time order."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from shared.campaign import Campaign

OPENED, CLOSED = "opened", "closed"


@dataclass(frozen=True)
class StageChange:
    stage: str
    kind: str  # opened or closed
    at: datetime

    @property
    def event_type(self) -> str:
        return f"campaign.stage_{self.kind}"


def stage_changes(campaign: Campaign) -> list[StageChange]:
    changes = []
    for stage in campaign.stages:
        changes += [StageChange(stage.code, OPENED, stage.opens_at), StageChange(stage.code, CLOSED, stage.ends_before)]
    return sorted(changes, key=lambda change: change.at)


def due_changes(campaign: Campaign, now: datetime, announced: Collection[tuple[str, str]]) -> list[StageChange]:
    """The changes whose time has come and that were not announced yet, earliest first."""
    return [change for change in stage_changes(campaign)
            if change.at <= now and (change.stage, change.kind) not in announced]


@dataclass(frozen=True)
class StageStatus:
    """A stage as the dashboard shows it: where the calendar puts it now, and whether the scheduler's
    announcement of that (campaign.stage_opened / _closed) is still to come."""

    label: str  # 未开始, 进行中 or 已结束
    announcement_pending: bool


def stage_status(opens_at: datetime, ends_before: datetime, now: datetime,
                 opened_at: datetime | None, closed_at: datetime | None) -> StageStatus:
    if now >= ends_before:
        return StageStatus("已结束", closed_at is None)
    if now >= opens_at:
        return StageStatus("进行中", opened_at is None)
    return StageStatus("未开始", False)
