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
