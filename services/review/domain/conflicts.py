"""R12 (坚持公平、公开、公正原则): no reviewer sees or decides on a nomination from their own unit or one
their own organisation recommended, nor one they declared a conflict of interest with."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from services.review.domain.people import StaffMember

OWN_UNIT = "被推荐人来自您所在的单位"
OWN_ORGANISATION = "该推荐由您所在的组织推荐"
DECLARED = "您已声明与该推荐存在利益冲突"
_IGNORED = re.compile(r"[\s()（）·•.,，、\-—_]")


@dataclass(frozen=True)
class NomineeTies:
    """What ties a nomination to people: the nominee's unit and the recommending organisation."""

    unit: str = ""
    recommender_id: str = ""
    recommender_name: str = ""

    @classmethod
    def of_snapshot(cls, snapshot: Mapping) -> "NomineeTies":
        section = (snapshot.get("team") if snapshot.get("nominee_kind") == "team" else snapshot.get("person")) or {}
        recommender = snapshot.get("recommender") or {}
        return cls(unit=str(section.get("unit") or ""), recommender_id=str(recommender.get("org_id") or ""),
                   recommender_name=str(recommender.get("name") or ""))


def normalise(name: str) -> str:
    """Full-width to half-width, no spaces or punctuation, lower case: 示例 大学（后勤） == 示例大学(后勤)."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", name or "")).lower()


def same_unit(nominee_unit: str, own_unit: str) -> bool:
    """The same unit, or one is a part of the other (示例大学 and 示例大学后勤集团): when in doubt, a conflict."""
    nominee, own = normalise(nominee_unit), normalise(own_unit)
    if not nominee or not own:
        return False
    return nominee.startswith(own) or own.startswith(nominee)


def conflict_reason(member: StaffMember, ties: NomineeTies, declared_by: Collection[str] = ()) -> str | None:
    """Why `member` may not see or decide on the nomination, or None when nothing ties them to it."""
    if member.subject in declared_by:
        return DECLARED
    if same_unit(ties.unit, member.unit):
        return OWN_UNIT
    if member.organisation_id and member.organisation_id == ties.recommender_id:
        return OWN_ORGANISATION
    if member.organisation_name and normalise(member.organisation_name) == normalise(ties.recommender_name):
        return OWN_ORGANISATION
    return None
