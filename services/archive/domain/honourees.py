"""Honouree records: who was honoured, in which campaign, as the registry keeps them across years.

From a confirmed honouree and the nomination's final snapshot, or from a row of an earlier campaign's list
(imported). Plain functions: the phone is hashed by the caller's `hash_phone` (keyed, shared/nominees.py)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Callable

from shared.nominees import person_key

MAX_NAME = 200
MAX_UNIT = 300
YEAR = re.compile(r"(19|20)\d{2}")
KINDS = {"个人": "person", "团队": "team", "person": "person", "team": "team", "": "person"}


@dataclass(frozen=True)
class HonoureeRecord:
    person_key: str
    kind: str
    name: str
    unit: str
    domain: str | None
    campaign_id: str | None
    campaign_year: int
    campaign_name: str
    phone_hmac: str | None
    nomination_id: str | None
    source: str  # "confirmed" or "import"

    def as_row(self) -> dict:
        return asdict(self)

    def event_payload(self) -> dict:
        """honouree.recorded v2."""
        fields = ("person_key", "kind", "name", "unit", "phone_hmac", "campaign_id", "campaign_year",
                  "campaign_name", "domain", "source")
        return {name: getattr(self, name) for name in fields}


@dataclass(frozen=True)
class CampaignInfo:
    id: str
    year: int
    name: str


def campaign_year_in(name: str) -> int | None:
    """The year a campaign's name states (全国教育后勤系统“2022年度最美后勤人”推举活动 → 2022)."""
    found = YEAR.search(name or "")
    return int(found.group()) if found else None


def record_of_confirmed(honouree: dict, snapshot: dict | None, campaign: CampaignInfo,
                        hash_phone: Callable[[str], str | None]) -> HonoureeRecord:
    """The record of one honouree of `honourees.confirmed`, completed from the nomination's last snapshot."""
    snapshot = snapshot or {}
    kind = snapshot.get("nominee_kind", "person")
    holder = (snapshot.get("team") if kind == "team" else snapshot.get("person")) or {}
    phone = (holder.get("leader") or {}).get("phone") if kind == "team" else holder.get("phone")
    name = honouree["nominee_name"]
    unit = holder.get("unit") or honouree.get("unit") or ""
    return HonoureeRecord(
        person_key=person_key(name, unit), kind=kind, name=name[:MAX_NAME], unit=unit[:MAX_UNIT],
        domain=honouree.get("domain"), campaign_id=campaign.id, campaign_year=campaign.year,
        campaign_name=campaign.name, phone_hmac=hash_phone(phone) if phone else None,
        nomination_id=honouree.get("nomination_id"), source="confirmed")
