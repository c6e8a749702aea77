"""The scans' lag behind intake, for the metrics and the secretariat's page. Apart from the scans' use
cases so that the web processes, which show it, do not load the image checks (OpenCV, PDFium)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from services.intake.adapters.orm import uploads
from services.intake.bootstrap import Intake
from shared.db import reading


@dataclass(frozen=True)
class ScanBacklog:
    pending: int
    oldest_seconds: float


def scan_backlog(intake: Intake, now) -> ScanBacklog:
    """Files waiting for their scan, and how long the oldest has waited: the scans' lag behind intake."""
    with reading(intake.sessions) as session:
        count, oldest = session.execute(sa.select(sa.func.count(), sa.func.min(uploads.c.created_at))
                                        .where(uploads.c.status == "pending")).one()
    return ScanBacklog(pending=count, oldest_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
