"""The identity provider's own record into the audit trail: Keycloak's sign-in events (failed sign-ins at
its login page included) and admin events (roles granted or taken), read through its admin API with the
tuiju-audit client, written to the archive's outbox (the relay publishes them on the staff topic, the
archive's consumer keeps them). Each Keycloak event becomes one envelope whose id derives from Keycloak's,
so reading an overlapping window again adds nothing."""
from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Iterator

import requests
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import sessionmaker

from shared.events import Event
from shared.events.envelope import new_event
from shared.messaging.outbox import OUTBOX

NAMESPACE = uuid.UUID("6f1c2a52-9a54-4c1e-8f43-5b7f0f0e7c11")
PAGE = 200
MAX_EVENTS = 20_000  # one run; the next run goes on from where the window starts


@dataclasses.dataclass(frozen=True)
class Provider:
    base_url: str      # http://127.0.0.1:8080 (the server, not the realm)
    realm: str
    client_id: str
    client_secret: str

    @classmethod
    def from_issuer(cls, issuer: str, client_id: str, client_secret: str) -> "Provider":
        base, _, realm = issuer.rstrip("/").rpartition("/realms/")
        return cls(base, realm, client_id, client_secret)

    def token(self) -> str:
        answer = requests.post(f"{self.base_url}/realms/{self.realm}/protocol/openid-connect/token", timeout=30,
                               data={"grant_type": "client_credentials", "client_id": self.client_id,
                                     "client_secret": self.client_secret})
        answer.raise_for_status()
        return answer.json()["access_token"]

    def pages(self, token: str, kind: str, since: datetime) -> Iterator[dict]:
        """Every event of kind ("events" or "admin-events") since the given day, page by page."""
        url = f"{self.base_url}/admin/realms/{self.realm}/{kind}"
        for first in range(0, MAX_EVENTS, PAGE):
            answer = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60, params={
                "dateFrom": since.strftime("%Y-%m-%d"), "first": first, "max": PAGE})
            answer.raise_for_status()
            batch = answer.json()
            yield from batch
            if len(batch) < PAGE:
                return


def _iso(milliseconds: int) -> str:
    return datetime.fromtimestamp(milliseconds / 1000, timezone.utc).isoformat()


def user_event(raw: dict) -> Event:
    details = raw.get("details") or {}
    payload = {"source": "keycloak", "category": "user", "type": str(raw.get("type", ""))[:100],
               "provider_id": str(raw["id"]), "time": _iso(raw["time"]), "user_id": raw.get("userId") or "",
               "username": str(details.get("username", ""))[:256], "client_id": raw.get("clientId") or "",
               "ip_address": str(raw.get("ipAddress") or "")[:64], "error": str(raw.get("error") or "")[:256],
               "resource_path": "", "detail": json.dumps(details, ensure_ascii=False)[:2000]}
    return _stable(new_event("staff.provider_event", payload["user_id"] or "unknown", payload, producer="archive"),
                   payload)


def admin_event(raw: dict) -> Event:
    auth = raw.get("authDetails") or {}
    payload = {"source": "keycloak", "category": "admin",
               "type": f"{raw.get('operationType', '')} {raw.get('resourceType', '')}".strip()[:100],
               "provider_id": str(raw["id"]), "time": _iso(raw["time"]), "user_id": auth.get("userId") or "",
               "username": "", "client_id": auth.get("clientId") or "", "ip_address": str(auth.get("ipAddress") or "")[:64],
               "error": str(raw.get("error") or "")[:256], "resource_path": str(raw.get("resourcePath") or "")[:500],
               "detail": str(raw.get("representation") or "")[:2000]}
    return _stable(new_event("staff.provider_event", payload["user_id"] or "unknown", payload, producer="archive"),
                   payload)


def _stable(event: Event, payload: dict) -> Event:
    """The same Keycloak event always makes the same envelope id (and keeps Keycloak's time)."""
    return dataclasses.replace(event, event_id=str(uuid.uuid5(NAMESPACE, f"{payload['category']}:{payload['provider_id']}")),
                               occurred_at=payload["time"])


def collect(provider: Provider, sessions: sessionmaker, days: int = 2) -> int:
    """Write the provider's events of the last `days` days to the outbox; returns how many were new."""
    token = provider.token()
    since = datetime.now(timezone.utc) - timedelta(days=days)
    events = [user_event(raw) for raw in provider.pages(token, "events", since) if raw.get("id")]
    events += [admin_event(raw) for raw in provider.pages(token, "admin-events", since) if raw.get("id")]
    added = 0
    with sessions.begin() as session:
        for event in events:
            inserted = session.execute(pg_insert(OUTBOX).values(
                event_id=event.event_id, topic=event.topic, key=event.key, event_type=event.type,
                envelope=event.as_dict()).on_conflict_do_nothing(index_elements=["event_id"]).returning(OUTBOX.c.id))
            added += len(inserted.all())
    return added
