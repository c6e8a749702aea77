"""R2a–R2d: how many nominations a recommending organisation may hold in a campaign.

`used` is the number of the organisation's nominations that hold a place (see
nomination.QUOTA_HOLDING_STATES): drafts do not, a withdrawal frees its place.
"""
from collections.abc import Iterable

from shared.campaign.model import Campaign
from services.intake.domain.eligibility import units_match
from services.intake.domain.errors import IntakeRefusal


class QuotaExceeded(IntakeRefusal):
    def __init__(self, quota: int, used: int):
        super().__init__("intake.quota_exceeded", quota=quota, used=used)
        self.quota = quota
        self.used = used


class NotBranchMember(IntakeRefusal):
    def __init__(self, unit_name: str):
        super().__init__("intake.not_branch_member", unit=unit_name)
        self.unit_name = unit_name


def quota_for(campaign: Campaign, channel_code: str) -> int | None:
    """The channel's quota per organisation; None for self-nomination, which has no organisation quota."""
    return campaign.channel(channel_code).quota


def quota_left(campaign: Campaign, channel_code: str, used: int) -> int | None:
    """Places left (never below 0); None when the channel has no quota."""
    quota = quota_for(campaign, channel_code)
    return None if quota is None else max(0, quota - _checked(used))


def check_quota(campaign: Campaign, channel_code: str, used: int) -> None:
    """Refuses one more nomination when the organisation has used its whole quota."""
    quota = quota_for(campaign, channel_code)
    if quota is not None and _checked(used) >= quota:
        raise QuotaExceeded(quota, used)


def below_advisory_minimum(campaign: Campaign, channel_code: str, used: int) -> bool:
    """True while the organisation has fewer than the notice's suggested minimum (2 of “2-3人”)."""
    advisory = campaign.channel(channel_code).advisory_min
    return advisory is not None and _checked(used) < advisory


def quota_hint(campaign: Campaign, channel_code: str) -> str:
    """The quota as a form shows it: `可推荐 2-3 名`, `限推荐 1 名`, `个人自荐，不占组织名额`."""
    channel = campaign.channel(channel_code)
    if channel.quota is None:
        return f"{channel.name}，不占组织名额"
    if channel.advisory_min is not None and channel.advisory_min < channel.quota:
        return f"可推荐 {channel.advisory_min}-{channel.quota} 名"
    return f"限推荐 {channel.quota} 名"


def check_branch_member(branch_member_units: Iterable[str], unit_name: str) -> str:
    """The committee member unit `unit_name` belongs to (the same unit, or a department of it);
    NotBranchMember when there is none."""
    for member_unit in branch_member_units:
        if units_match(member_unit, unit_name):
            return member_unit
    raise NotBranchMember(unit_name)


def _checked(used: int) -> int:
    if isinstance(used, bool) or not isinstance(used, int) or used < 0:
        raise ValueError(f"used must be a non-negative integer, not {used!r}")
    return used
