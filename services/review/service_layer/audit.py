"""The audit trail: every decision, assignment and account change appended in the transaction that makes
it, each entry chained to the one before by its hash (the table refuses updates and deletes). `verify`
walks the chain; `export_csv` writes it for the auditors."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import IO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import audit_log
from services.review.domain.audit import GENESIS, ChainedEntry, Verdict, entry_hash, verify
from shared.db import advisory_xact_lock, transaction_memo

# One writer at a time takes the next number and the last hash (held until its transaction ends).
AUDIT_LOCK_ID = 7_420_201
SYSTEM = "system"
CSV_COLUMNS = ("seq", "at", "actor", "actor_role", "action", "target", "details", "previous_hash", "hash")


def record(session: Session, *, actor: str, actor_role: str, action: str, target: str, details: dict,
           at: datetime) -> int:
    """Append one entry in the caller's transaction; returns its number."""
    last_seq, previous = _tail(session)
    seq = last_seq + 1
    at_utc = at.astimezone(timezone.utc)
    entry = _entry(seq, at_utc, actor, actor_role, action, target, details)
    digest = entry_hash(previous, entry)
    session.execute(sa.insert(audit_log).values(
        seq=seq, at=at_utc, actor=actor, actor_role=actor_role, action=action, target=target,
        details=entry["details"], previous_hash=previous, hash=digest))
    transaction_memo(session)["audit_tail"] = (seq, digest)
    return seq


def _tail(session: Session) -> tuple[int, str]:
    """The last entry's number and hash, under the lock that makes this transaction the only writer until
    it ends (so a transaction appending several entries reads them once)."""
    memo = transaction_memo(session)
    if "audit_tail" not in memo:
        advisory_xact_lock(session, AUDIT_LOCK_ID)
        last = session.execute(sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
        memo["audit_tail"] = (last.seq, last.hash) if last else (0, GENESIS)
    return memo["audit_tail"]


def _entry(seq: int, at: datetime, actor: str, actor_role: str, action: str, target: str, details: dict) -> dict:
    return {"seq": seq, "at": at.astimezone(timezone.utc).isoformat(), "actor": actor, "actor_role": actor_role,
            "action": action, "target": target, "details": json.loads(json.dumps(details, default=str))}


def chained_entries(connection: sa.Connection, batch: int = 5000) -> Iterator[ChainedEntry]:
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(
        sa.select(audit_log).order_by(audit_log.c.seq))
    for row in result:
        entry = _entry(row.seq, row.at, row.actor, row.actor_role, row.action, row.target, row.details)
        yield ChainedEntry(row.seq, entry, row.previous_hash, row.hash)


def verify_trail(engine: sa.Engine) -> Verdict:
    with engine.connect() as connection:
        return verify(chained_entries(connection))


def export_csv(engine: sa.Engine, out: IO[str]) -> int:
    """The whole trail as CSV (UTF-8; details as JSON); returns the number of entries written."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    with engine.connect() as connection:
        for item in chained_entries(connection):
            e = item.entry
            writer.writerow([e["seq"], e["at"], e["actor"], e["actor_role"], e["action"], e["target"],
                             json.dumps(e["details"], ensure_ascii=False, sort_keys=True), item.previous_hash, item.hash])
            count += 1
    return count
