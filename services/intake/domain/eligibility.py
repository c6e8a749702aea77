"""R9: past honourees of the excluded campaigns may not be nominated; the same nominee twice is flagged.

Names and units are compared after normalising what people type differently: full-width characters and
spaces, the middle dot of minority names (·•‧・), punctuation and brackets in unit names. A person
matches an honouree on name + unit (one unit may be the other followed by a department) or on name +
phone; a team on team name + unit. A phone is compared by its keyed hash (HMAC, shared/nominees.py: v2 of
`honouree.recorded`), the only hash intake stores; a bare SHA-256 (v1) is never computed or matched.
"""
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shared.campaign.parts import ExcludedCampaign
from shared.nominees import normalise_name, normalise_unit, person_key, phone_digits, phone_hmac
from shared.i18n.messages import Message, message

__all__ = ["normalise_name", "normalise_unit", "person_key", "phone_digits", "phone_hmac"]
MIN_PREFIX_UNIT_CHARS = 4  # so that "北京" does not swallow every unit of Beijing

BASIS_NAME_UNIT = "name+unit"
BASIS_NAME_PHONE = "name+phone"
BASIS_NAME_UNIT_PREFIX = "name+unit_prefix"
_BASIS_STRENGTH = {BASIS_NAME_UNIT: 3, BASIS_NAME_PHONE: 2, BASIS_NAME_UNIT_PREFIX: 1}


@dataclass(frozen=True)
class Nominee:
    kind: str  # "person" or "team"
    name: str  # the person's name, or the team's name
    unit: str
    phone: str | None = None


@dataclass(frozen=True)
class Honouree:
    """A past honouree as the archive records it (event `honouree.recorded` v2)."""

    kind: str
    name: str
    unit: str
    campaign_year: int
    campaign_name: str
    phone_hash: str | None = None  # the HMAC of the phone keyed with the phone-hash secret


@dataclass(frozen=True)
class Match:
    honouree: Honouree
    basis: str  # BASIS_NAME_UNIT, BASIS_NAME_PHONE or BASIS_NAME_UNIT_PREFIX (the weakest: worth a look)
    honour: str
    reason: str  # in Chinese, as the secretariat's flag keeps it

    @property
    def refusal(self) -> Message:
        """The R9 refusal in the reader's language."""
        return message("intake.past_honouree", honour=self.honour)


def units_match(first: str, second: str) -> str | None:
    """BASIS_NAME_UNIT when the units are the same, BASIS_NAME_UNIT_PREFIX when one is the other
    followed by more (`北京大学` and `北京大学后勤保障部`), else None."""
    a, b = normalise_unit(first), normalise_unit(second)
    if not a or not b:
        return None
    if a == b:
        return BASIS_NAME_UNIT
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= MIN_PREFIX_UNIT_CHARS and longer.startswith(shorter):
        return BASIS_NAME_UNIT_PREFIX
    return None


def match_past_honouree(
    nominee: Nominee,
    honourees: Iterable[Honouree],
    excluded_campaigns: Sequence[ExcludedCampaign] | None = None,
    phone_secret: str | None = None,
) -> Match | None:
    """The strongest match of `nominee` among `honourees` (only those of `excluded_campaigns` when
    given), or None. A phone matches a record's keyed hash (v2), compared only when `phone_secret` is
    given. The Match's reason is the Chinese sentence to show."""
    best: Match | None = None
    for honouree in honourees:
        honour = _honour_title(honouree, excluded_campaigns)
        basis = _same_nominee(nominee, honouree, phone_secret) if honour else None
        if basis and (best is None or _BASIS_STRENGTH[basis] > _BASIS_STRENGTH[best.basis]):
            reason = f"曾获“{honour}”，按通知不予参与本年度推举"
            best = Match(honouree=honouree, basis=basis, honour=honour, reason=reason)
    return best


def nominee_key(kind: str, name: str) -> str:
    """What two nominations of the same nominee share, whatever else differs: the kind and the name as
    compared (a lookup key; find_duplicate_nominees decides)."""
    return f"{kind}:{_comparable_name(kind, name)}"


def same_nominee_as(nomination_id: str, nominee: Nominee, others: Iterable[tuple[str, Nominee]]) -> list[str]:
    """The ids among `others` that find_duplicate_nominees groups with `nominee`."""
    group = next((g for g in find_duplicate_nominees([(nomination_id, nominee), *others]) if nomination_id in g), [])
    return [other for other in group if other != nomination_id]


def find_duplicate_nominees(nominations: Iterable[tuple[str, Nominee]]) -> list[list[str]]:
    """Groups (two or more nomination ids, in input order) that name the same nominee, e.g. one person
    put forward through two channels. For the secretariat to look at; nothing is merged."""
    items = list(nominations)
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for bucket in _by_kind_and_name(items).values():
        for position, first in enumerate(bucket):
            for second in bucket[position + 1:]:
                if _same_pair(items[first][1], items[second][1]):
                    parent[root(second)] = root(first)
    groups: dict[int, list[str]] = {}
    for index, (nomination_id, _) in enumerate(items):
        groups.setdefault(root(index), []).append(nomination_id)
    return [group for group in groups.values() if len(group) > 1]


def _honour_title(honouree: Honouree, excluded: Sequence[ExcludedCampaign] | None) -> str | None:
    if excluded is None:
        return honouree.campaign_name
    for campaign in excluded:
        if campaign.year == honouree.campaign_year and _names_campaign(honouree.campaign_name, campaign):
            return campaign.honour
    return None


def _names_campaign(campaign_name: str, campaign: ExcludedCampaign) -> bool:
    recorded = normalise_unit(campaign_name)
    return normalise_unit(campaign.honour) in recorded or normalise_unit(campaign.name) == recorded


def _same_nominee(nominee: Nominee, honouree: Honouree, phone_secret: str | None) -> str | None:
    if nominee.kind != honouree.kind or not _same_name(nominee.kind, nominee.name, honouree.name):
        return None
    by_unit = units_match(nominee.unit, honouree.unit)
    if by_unit == BASIS_NAME_UNIT:
        return by_unit
    if nominee.kind == "person" and phone_secret and honouree.phone_hash and phone_digits(nominee.phone or ""):
        if hmac.compare_digest(honouree.phone_hash, phone_hmac(phone_secret, nominee.phone)):
            return BASIS_NAME_PHONE
    return by_unit


def _same_pair(first: Nominee, second: Nominee) -> bool:
    if units_match(first.unit, second.unit):
        return True
    if first.kind != "person":
        return False
    first_digits = phone_digits(first.phone or "")
    return first_digits != "" and first_digits == phone_digits(second.phone or "")


def _by_kind_and_name(items: list[tuple[str, Nominee]]) -> dict[tuple[str, str], list[int]]:
    buckets: dict[tuple[str, str], list[int]] = {}
    for index, (_, nominee) in enumerate(items):
        name = _comparable_name(nominee.kind, nominee.name)
        if name:
            buckets.setdefault((nominee.kind, name), []).append(index)
    return buckets


def _same_name(kind: str, first: str, second: str) -> bool:
    return _comparable_name(kind, first) == _comparable_name(kind, second) != ""


def _comparable_name(kind: str, name: str) -> str:
    """A team's name is compared like a unit's (quotes and punctuation dropped), a person's as a name."""
    return normalise_unit(name) if kind == "team" else normalise_name(name)
