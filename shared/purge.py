"""Purging a campaign's personal data (PIPL), the parts every service does the same way: blanking the named
fields wherever they appear in a JSON value, in a table's JSON column, and confirming with `campaign.purged`.
Each service's own purge (services/<svc>/service_layer/purge.py) says which of its tables hold what."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.events import Event, new_event
from shared.messaging.outbox import add_to_outbox

PURGED = ""  # a purged value stays a string, so what is left still reads under its schema


def redact(value, fields: Iterable[str]):
    """`value` with every non-empty value under a key of `fields`, at any depth, replaced by PURGED."""
    names = frozenset(fields)

    def without(item):
        if isinstance(item, dict):
            return {key: (PURGED if key in names and inner not in (None, PURGED) else without(inner))
                    for key, inner in item.items()}
        if isinstance(item, list):
            return [without(inner) for inner in item]
        return item

    return without(value)


def redact_json_column(session: Session, table: sa.Table, column: str, where, fields: Iterable[str]) -> int:
    """Blank `fields` in `table.column` of the rows matching `where`; returns how many rows changed."""
    fields = tuple(fields)
    keys = list(table.primary_key.columns)
    changed = 0
    for row in session.execute(sa.select(*keys, table.c[column]).where(where).with_for_update()).all():
        value = row._mapping[column]
        cleaned = redact(value, fields)
        if cleaned != value:
            session.execute(sa.update(table).where(*[key == row._mapping[key.name] for key in keys])
                            .values({column: cleaned}))
            changed += 1
    return changed


def blank_columns(session: Session, table: sa.Table, columns: Iterable[str], where) -> int:
    """Blank plain text columns (an e-mail address, a phone) of the rows matching `where`."""
    values = {name: PURGED for name in columns if name in table.c}
    if not values:
        return 0
    return session.execute(sa.update(table).where(where).values(values)).rowcount


def outbox_of_campaign(outbox: sa.Table, campaign_id: str, keys: Iterable[str] = ()):
    """The outbox rows whose event names the campaign, or is keyed by one of its nominations."""
    return sa.or_(outbox.c.envelope["payload"]["campaign_id"].astext == campaign_id,
                  outbox.c.key == campaign_id, outbox.c.key.in_(list(keys)))


def confirm(session: Session, service: str, request: Event, purged: dict[str, int]) -> None:
    """`campaign.purged`, through the service's outbox in the purge's own transaction."""
    add_to_outbox(session, new_event("campaign.purged", request.payload["campaign_id"], {
        "campaign_id": request.payload["campaign_id"], "service": service, "request_event_id": request.event_id,
        "purged": purged}, producer=service, caused_by=request))


def purged_campaigns_table(metadata: sa.MetaData) -> sa.Table:
    """The campaigns a service has purged, with the fields purged: an event of such a campaign that arrives
    later (a replay, a rebuild of a read model from offset 0) is stored without those fields."""
    return sa.Table(
        "purged_campaigns",
        metadata,
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def remember_purge(session: Session, table: sa.Table, campaign_id: str, fields: Iterable[str]) -> None:
    statement = pg_insert(table).values(campaign_id=campaign_id, fields=sorted(set(fields)))
    session.execute(statement.on_conflict_do_update(index_elements=[table.c.campaign_id],
                                                    set_={"fields": statement.excluded.fields}))


def without_purged_fields(session: Session, table: sa.Table, campaign_id: str, value):
    """`value` as it may be stored now: redacted when its campaign was purged, unchanged otherwise."""
    fields = session.execute(sa.select(table.c.fields).where(table.c.campaign_id == campaign_id)).scalar()
    return value if fields is None else redact(value, fields)
