"""What a service keeps of the campaign's stage changes as review's scheduler announces them
(`campaign.stage_opened` / `campaign.stage_closed`, once per change): a table of its own with one row per
stage, the function that records an event in it, and the questions the services ask of it.

The campaign file's times decide what is open (every process reads the same calendar); an announcement is
the one moment at which a service does what happens once at a change (intake locks the drafts left at the
close of submissions, notify stops the draft reminders and mails who the campaign says), and a recorded
close also ends what the clock would still allow on a host whose clock runs a little late. An announcement
of a moment still to come by the service's own clock (beyond CLOCK_SKEW: a scheduler with another calendar,
a test's) is recorded and otherwise ignored."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared.events import Event

OPENED, CLOSED = "opened", "closed"
CLOCK_SKEW = timedelta(minutes=5)  # how far a service's clock may run behind the scheduler's


def campaign_stages_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "campaign_stages", metadata,
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("stage", sa.String(50), primary_key=True),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )


@dataclass(frozen=True)
class StageChange:
    campaign_id: str
    stage: str
    kind: str  # OPENED or CLOSED
    at: datetime
    at_local: str

    def is_(self, stage: str, kind: str) -> bool:
        return self.stage == stage and self.kind == kind

    def is_due(self, now: datetime) -> bool:
        """Whether the moment has come by a clock reading `now` (which may run CLOCK_SKEW late)."""
        return self.at <= now + CLOCK_SKEW


def stage_change_of(event: Event) -> StageChange:
    p = event.payload
    kind = OPENED if event.type == "campaign.stage_opened" else CLOSED
    return StageChange(p["campaign_id"], p["stage"], kind, datetime.fromisoformat(str(p["at_utc"])), p["at_local"])


def record_stage_change(session: Session, table: sa.Table, event: Event) -> StageChange:
    """Keeps the change in `table` (a repeated announcement writes the same time again) and returns it."""
    change = stage_change_of(event)
    column = "opened_at" if change.kind == OPENED else "closed_at"
    statement = pg_insert(table).values(campaign_id=change.campaign_id, stage=change.stage, **{column: change.at})
    session.execute(statement.on_conflict_do_update(index_elements=[table.c.campaign_id, table.c.stage],
                                                    set_={column: change.at}))
    return change


def announced(session: Session, table: sa.Table, campaign_id: str, stage: str, now: datetime) -> tuple[bool, bool]:
    """(opened, closed): whether the stage's opening and its close were announced, for moments that have
    come by `now`."""
    row = session.execute(sa.select(table.c.opened_at, table.c.closed_at)
                          .where(table.c.campaign_id == campaign_id, table.c.stage == stage)).first()
    if row is None:
        return False, False
    return has_come(row.opened_at, now), has_come(row.closed_at, now)


def closed_by_announcement(session: Session, table: sa.Table, campaign_id: str, stage: str, now: datetime) -> bool:
    return announced(session, table, campaign_id, stage, now)[1]


def has_come(moment: datetime | None, now: datetime) -> bool:
    """Whether an announced moment (None: never announced) has come by `now` (a clock up to CLOCK_SKEW late)."""
    return moment is not None and moment <= now + CLOCK_SKEW
