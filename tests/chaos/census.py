"""Counts of what one run's nominations left in every service, read from each service's own database and
from Mailpit: nominations, events, scan results, review records, archived events, messages and mails."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import requests
import sqlalchemy as sa

from shared.config import Settings

SERVICES = ("intake", "review", "notify", "archive")


def engine(service: str, env: dict) -> sa.Engine:
    return sa.create_engine(Settings.from_env(service, env).database_url, poolclass=sa.pool.NullPool)


def rows(service: str, env: dict, sql: str, **params) -> list:
    database = engine(service, env)
    try:
        with database.connect() as conn:
            return conn.execute(sa.text(sql), params).all()
    finally:
        database.dispose()


@dataclass
class Census:
    submitted: set[str] = field(default_factory=set)           # intake: nominations submitted
    submitted_events: Counter = field(default_factory=Counter)  # intake: nomination.submitted per nomination
    events: set[str] = field(default_factory=set)               # every service's outbox: the run's event ids
    unsent: int = 0                                              # outbox rows not yet confirmed by the broker
    parked: int = 0
    uploads: int = 0                                             # files of the submitted nominations
    unscanned: int = 0
    archived: set[str] = field(default_factory=set)             # archive's event log: event ids
    reviewed: Counter = field(default_factory=Counter)          # review: versions per submitted nomination
    review_findings: int = 0                                     # review: scan results of their files
    messages: Counter = field(default_factory=Counter)          # notify: (nomination, template, address) -> count
    unsent_messages: int = 0
    confirmed: set[str] = field(default_factory=set)            # nominations with a message recorded
    mails: Counter = field(default_factory=Counter)             # Mailpit: (address, subject) -> distinct Message-IDs
    mail_copies: int = 0                                         # Mailpit: mails again with a Message-ID seen
    sent_mails: Counter = field(default_factory=Counter)        # notify: (address, subject) -> count, sent

    def problems(self) -> list[str]:
        """Every difference from "nothing lost, nothing doubled"; empty when the counts agree."""
        found = []
        doubled = {n: c for n, c in self.submitted_events.items() if c != 1}
        if doubled or set(self.submitted_events) != self.submitted:
            found.append(f"nomination.submitted per nomination not once: {doubled or 'missing'}")
        if self.unsent or self.parked:
            found.append(f"outbox: {self.unsent} unsent, {self.parked} parked")
        if self.unscanned:
            found.append(f"{self.unscanned} of {self.uploads} files unscanned")
        if self.events != self.archived:
            found.append(f"archive: {len(self.events - self.archived)} events missing, "
                         f"{len(self.archived - self.events)} unknown")
        if set(self.reviewed) != self.submitted or any(c != 1 for c in self.reviewed.values()):
            found.append(f"review: {len(self.submitted - set(self.reviewed))} missing, "
                         f"{sum(1 for c in self.reviewed.values() if c != 1)} not once")
        if self.review_findings != self.uploads:
            found.append(f"review: {self.review_findings} scan results for {self.uploads} files")
        if self.submitted - self.confirmed:
            found.append(f"notify: {len(self.submitted - self.confirmed)} submitted without a message")
        if any(c != 1 for c in self.messages.values()):
            found.append(f"notify: messages doubled {[k for k, c in self.messages.items() if c != 1][:3]}")
        if self.unsent_messages:
            found.append(f"notify: {self.unsent_messages} messages not sent")
        if self.mails != self.sent_mails:
            found.append(f"Mailpit: {sum((self.sent_mails - self.mails).values())} mails missing, "
                         f"{sum((self.mails - self.sent_mails).values())} extra or doubled")
        return found

    def summary(self) -> str:
        return (f"{len(self.submitted)} nominations, {len(self.events)} events, {self.uploads} scan results, "
                f"{sum(self.reviewed.values())} review records, {len(self.archived)} archived events, "
                f"{sum(self.messages.values())} messages, {sum(self.mails.values())} mails")


def take(env: dict, nomination_ids: list[str], run: str) -> Census:
    census = Census()
    ids = list(nomination_ids)
    census.submitted = {r[0] for r in rows("intake", env, "SELECT id FROM nominations WHERE id = ANY(:ids) "
                                            "AND submitted_at IS NOT NULL", ids=ids)}
    submitted = list(census.submitted)
    census.submitted_events = Counter(r[0] for r in rows(
        "intake", env, "SELECT key FROM outbox WHERE key = ANY(:ids) AND event_type = 'nomination.submitted'", ids=ids))
    for service in SERVICES:
        for event_id, sent, failed in rows(service, env, "SELECT event_id::text, sent_at IS NOT NULL, "
                                           "failed_at IS NOT NULL FROM outbox WHERE key = ANY(:ids)", ids=ids):
            census.events.add(event_id)
            census.parked += failed
            census.unsent += not sent and not failed
    census.uploads, census.unscanned = rows("intake", env, "SELECT count(*), count(*) FILTER (WHERE verdict IS NULL) "
                                            "FROM uploads WHERE nomination_id = ANY(:ids)", ids=submitted)[0]
    census.archived = {r[0] for r in rows("archive", env, "SELECT event_id::text FROM event_log WHERE key = ANY(:ids)",
                                          ids=ids)}
    census.reviewed = Counter(r[0] for r in rows("review", env, "SELECT nomination_id FROM nomination_versions "
                                                  "WHERE nomination_id = ANY(:ids)", ids=ids))
    census.review_findings = rows("review", env, "SELECT count(*) FROM scan_findings WHERE nomination_id = ANY(:ids)",
                                  ids=submitted)[0][0]
    for nomination_id, template, address, channel, state, subject in rows(
            "notify", env, "SELECT nomination_id, template, address, channel, state, subject FROM messages "
            "WHERE nomination_id = ANY(:ids)", ids=ids):
        census.messages[(nomination_id, template, address)] += 1
        census.confirmed.add(nomination_id)
        census.unsent_messages += state != "sent"
        if channel == "email" and state == "sent":
            census.sent_mails[(address, subject)] += 1
    census.mails, census.mail_copies = mailpit(env, f"chaos-{run}-")
    return census


def mailpit(env: dict, address_prefix: str) -> tuple[Counter, int]:
    """(address, subject) of every distinct mail (by Message-ID) Mailpit holds to the run's addresses, and the
    number of copies: notify sends a mail again, with the same Message-ID, when the SMTP server accepted it
    and the commit did not reach PostgreSQL (services/notify/README.md, "except one window")."""
    found: Counter = Counter()
    seen: set[tuple[str, str]] = set()
    copies = 0
    start = 0
    while True:
        page = requests.get(f"{env['TUIJU_MAILPIT_API']}/api/v1/search",
                            params={"query": f"to:{address_prefix}", "start": start, "limit": 500}, timeout=30).json()
        for message in page["messages"]:
            for to in message["To"]:
                if not to["Address"].startswith(address_prefix):
                    continue
                if (to["Address"], message["MessageID"]) in seen:
                    copies += 1
                else:
                    seen.add((to["Address"], message["MessageID"]))
                    found[(to["Address"], message["Subject"])] += 1
        start += len(page["messages"])
        if not page["messages"] or start >= page["messages_count"]:
            return found, copies


def nomination_ids(env: dict, tokens: list[str]) -> list[str]:
    from services.intake.adapters.links import nomination_from_token

    secret = Settings.from_env("intake", env).secret_key
    return [nomination_from_token(secret, token) for token in tokens]


def wait_agreeing(env: dict, tokens: list[str], run: str, timeout: float = 600) -> Census:
    """The census once its counts agree (every service has caught up), or as it is after `timeout`."""
    ids = nomination_ids(env, tokens)
    deadline = time.monotonic() + timeout
    while True:
        counted = take(env, ids, run)
        if not counted.problems() or time.monotonic() > deadline:
            return counted
        time.sleep(10)
