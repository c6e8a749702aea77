"""Search of past campaigns for the secretariat: by name, unit, year, domain and outcome, over every
nomination the archive knows and the honourees imported from the campaigns before this system."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from services.archive.adapters.orm import honourees, nominations
from services.archive.bootstrap import Archive
from services.archive.domain.nominations import OUTCOMES, STAGE_LABELS

MAX_RESULTS = 200
MAX_TEXT = 50


@dataclass(frozen=True)
class Query:
    name: str = ""
    unit: str = ""
    year: int | None = None
    domain: str = ""
    outcome: str = ""  # a key of OUTCOMES, or "" for any

    @classmethod
    def from_args(cls, args) -> "Query":
        year = args.get("year", "").strip()
        outcome = args.get("outcome", "")
        return cls(name=args.get("name", "").strip()[:MAX_TEXT], unit=args.get("unit", "").strip()[:MAX_TEXT],
                   year=int(year) if year.isdigit() and len(year) == 4 else None,
                   domain=args.get("domain", "").strip()[:MAX_TEXT], outcome=outcome if outcome in OUTCOMES else "")

    @property
    def empty(self) -> bool:
        return not (self.name or self.unit or self.year or self.domain or self.outcome)


def search(archive: Archive, query: Query) -> list[dict]:
    if query.empty:
        return []
    with archive.engine.connect() as conn:
        found = [dict(row._mapping) for row in conn.execute(_nominations(query).limit(MAX_RESULTS))]
        if query.outcome in ("", "honouree"):
            found += [dict(row._mapping) for row in conn.execute(_imported(query).limit(MAX_RESULTS))]
    for row in found:
        row["outcome"] = STAGE_LABELS.get(row["outcome"], row["outcome"])
    return sorted(found, key=lambda r: (-(r["year"] or 0), r["domain"] or "", r["name"]))[:MAX_RESULTS]


def _nominations(query: Query):
    n = nominations.c
    select = sa.select(n.nominee_name.label("name"), n.unit, n.campaign_year.label("year"), n.campaign_name,
                       n.domain, n.stage.label("outcome"), n.nomination_id)
    return select.where(*_like(n.nominee_name, query.name), *_like(n.unit, query.unit),
                        *([n.campaign_year == query.year] if query.year else []),
                        *([n.domain == query.domain] if query.domain else []),
                        *([n.stage == query.outcome] if query.outcome else []))


def _imported(query: Query):
    h = honourees.c
    select = sa.select(h.name, h.unit, h.campaign_year.label("year"), h.campaign_name, h.domain,
                       sa.literal("honouree").label("outcome"), sa.null().label("nomination_id"))
    return select.where(h.source == "import", *_like(h.name, query.name), *_like(h.unit, query.unit),
                        *([h.campaign_year == query.year] if query.year else []),
                        *([h.domain == query.domain] if query.domain else []))


def _like(column, text: str) -> list:
    if not text:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [column.ilike(f"%{escaped}%", escape="\\")]
