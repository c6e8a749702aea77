"""The public-record part of an honouree's dossier: what the public notice and the announcement show of
them (name, unit, domain, deeds, the photo), sealed in clear at the announcement so that it outlasts the
PIPL purge, which destroys the key of the full dossier. Nothing here is a personal field of the retention
rules (phone, e-mail, address, ethnic group, political status, ...)."""
from __future__ import annotations

from services.archive.domain.dossier import SNAPSHOT_TYPES, Dossier, final_files

FORMAT = "tuiju-public-record/1"
KIND_NAMES = {"person": "个人", "team": "团队"}


def public_record_of(nomination_id: str, envelopes: list[dict]) -> Dossier | None:
    """The public record (without the photo's bytes) from the nomination's events, oldest first; None when
    the archive never saw it submitted."""
    snapshots = [e["payload"] for e in envelopes if e["type"] in SNAPSHOT_TYPES]
    if not snapshots:
        return None
    last = max(snapshots, key=lambda s: s["version"])
    holder = (last.get("team") if last["nominee_kind"] == "team" else last.get("person")) or {}
    record = Dossier(nomination_id, "honouree", format=FORMAT)
    record.add_json("record.json", {
        "nomination_id": nomination_id, "reference": last.get("reference", ""), "campaign_id": last["campaign_id"],
        "campaign_name": last["campaign_name"], "nominee_kind": last["nominee_kind"],
        "kind_name": KIND_NAMES.get(last["nominee_kind"], last["nominee_kind"]), "name": last["nominee_name"],
        "unit": holder.get("unit") or "", "domain": last["domain"], "deeds": last["deeds"],
        "team_members": [m.get("name", "") for m in holder.get("members") or []] if last["nominee_kind"] == "team" else [],
        "announced_at": announced_at(nomination_id, envelopes)})
    return record


def photo_of(envelopes: list[dict]) -> dict | None:
    """The reference of the nominee's photo in the final files (a team has none)."""
    return next((ref for ref in final_files(envelopes) if ref["kind"] == "photo"), None)


def announced_at(nomination_id: str, envelopes: list[dict]) -> str | None:
    for envelope in reversed(envelopes):
        if envelope["type"] == "honourees.confirmed" and any(
                h.get("nomination_id") == nomination_id for h in envelope["payload"]["honourees"]):
            return envelope["occurred_at"]
    return None
