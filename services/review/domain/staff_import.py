"""What an imported staff list would change, said before anything is saved: each person of the file is new,
changed (each difference named: a role that changes what they may see comes first) or the same as now.
People review knows who are not in the file stay as they are: an import adds and changes, it never removes."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.review.domain.people import StaffMember

NEW, CHANGED, SAME = "new", "changed", "same"
KIND_NAMES = {NEW: "新增", CHANGED: "变更", SAME: "无变化"}


@dataclass(frozen=True)
class StaffChange:
    member: StaffMember
    kind: str
    differences: tuple[str, ...] = ()

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


def staff_changes(current: Mapping[str, StaffMember], incoming: Iterable[StaffMember]) -> list[StaffChange]:
    """In the file's order; `current` is everyone review knows, by subject."""
    changes = []
    for member in incoming:
        before = current.get(member.subject)
        if before is None:
            changes.append(StaffChange(member, NEW))
            continue
        differences = tuple(differences_between(before, member))
        changes.append(StaffChange(member, CHANGED if differences else SAME, differences))
    return changes


def differences_between(before: StaffMember, after: StaffMember) -> list[str]:
    said = []
    if before.role != after.role:
        said.append(f"角色：{before.role_name} → {after.role_name}")
    if set(before.domains) != set(after.domains):
        said.append(f"业务领域：{_listed(before.domains)} → {_listed(after.domains)}")
    if before.active != after.active:
        said.append("停用" if not after.active else "恢复在岗")
    for label, old, new in (("姓名", before.name, after.name), ("邮箱", before.email, after.email),
                            ("用户名", before.username, after.username), ("所在单位", before.unit, after.unit),
                            ("所属组织", before.organisation_name, after.organisation_name),
                            ("所属组织编号", before.organisation_id, after.organisation_id)):
        if (old or "") != (new or ""):
            said.append(f"{label}：{old or '（空）'} → {new or '（空）'}")
    if before.cap != after.cap:
        said.append(f"待审上限：{_cap(before.cap)} → {_cap(after.cap)}")
    return said


def counts(changes: Iterable[StaffChange]) -> dict[str, int]:
    tally = {NEW: 0, CHANGED: 0, SAME: 0}
    for change in changes:
        tally[change.kind] += 1
    return tally


def _listed(domains: Iterable[str]) -> str:
    return "、".join(domains) or "无"


def _cap(cap: int | None) -> str:
    return "按活动设定" if cap is None else str(cap)
