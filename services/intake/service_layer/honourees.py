"""Past honourees kept by intake for R9: from the archive's honouree events, or imported by the
secretariat for campaigns held before this system (rows checked by domain/honourees.py). A phone is kept
only as its HMAC keyed with the deployment's phone-hash secret, as the archive's `honouree.recorded` v2
carries it."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.intake.adapters.orm import honourees
from services.intake.bootstrap import Intake
from services.intake.domain.eligibility import person_key, phone_hmac
from services.intake.domain.honourees import HonoureeRow


def import_rows(intake: Intake, rows: list[HonoureeRow]) -> int:
    """Records every row (one already on record for the same person and campaign is left as it is, but
    for a phone it lacks: the hashes dropped by revision 0008 come back by importing the list again);
    returns how many rows were new."""
    secret = intake.settings.phone_hash_secret
    with intake.sessions.begin() as session:
        written = [session.execute(_upsert(_record(row, secret))).first() for row in rows]
    return sum(1 for row in written if row is not None and row.inserted)


def _upsert(values: dict):
    statement = pg_insert(honourees).values(**values, source="import")
    return statement.on_conflict_do_update(
        constraint="one_record_per_campaign", set_={"phone_hash": statement.excluded.phone_hash},
        where=honourees.c.phone_hash.is_(None) & statement.excluded.phone_hash.is_not(None),
    ).returning(sa.literal_column("xmax = 0").label("inserted"))


def _record(row: HonoureeRow, phone_secret: str) -> dict:
    return dict(person_key=person_key(row.name, row.unit), kind=row.kind, name=row.name, unit=row.unit,
                phone_hash=phone_hmac(phone_secret, row.phone) if row.phone else None, campaign_year=row.year,
                campaign_name=row.campaign_name)
