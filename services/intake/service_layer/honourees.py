"""Past honourees kept by intake for R9: from the archive's honouree events, or imported by the
secretariat for campaigns held before this system (rows checked by domain/honourees.py)."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.intake.adapters.orm import honourees
from services.intake.bootstrap import Intake
from services.intake.domain.eligibility import person_key, phone_hash
from services.intake.domain.honourees import HonoureeRow


def import_rows(intake: Intake, rows: list[HonoureeRow]) -> int:
    """Records every row (one already on record for the same person and campaign is left as it is);
    returns how many rows were new."""
    with intake.sessions.begin() as session:
        inserted = [session.execute(pg_insert(honourees).values(**_record(row), source="import")
                                    .on_conflict_do_nothing().returning(honourees.c.id)).first()
                    for row in rows]
    return sum(1 for row in inserted if row is not None)


def _record(row: HonoureeRow) -> dict:
    return dict(person_key=person_key(row.name, row.unit), kind=row.kind, name=row.name, unit=row.unit,
                phone_hash=phone_hash(row.phone) if row.phone else None, campaign_year=row.year,
                campaign_name=row.campaign_name)
