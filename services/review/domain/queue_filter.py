"""The work queue's filters, sorting and paging, as they stand in the URL: read with limits, so a hand-typed
or hostile query string never reaches the database as anything but these values."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from shared.campaign import Campaign
from services.review.domain.states import State

SORTS = {
    "-submitted": "最新提交在前",
    "submitted": "最早提交在前",
    "priority": "媒体表彰优先（R10）",
    "name": "按姓名",
    "domain": "按业务领域",
    "state": "按状态",
}
PER_PAGE_CHOICES = (25, 50, 100)
MAX_QUERY = 50
MAX_PAGE = 10_000


@dataclass(frozen=True)
class QueueFilter:
    domain: str = ""
    state: str = ""
    channel: str = ""
    flagged: bool = False
    priority: bool = False
    mine: bool = False
    q: str = ""
    sort: str = "-submitted"
    page: int = 1
    per_page: int = 50

    def query_string(self, **changes) -> str:
        """This filter as URL parameters (defaults left out), with `changes` applied."""
        values = {**asdict(self), **changes}
        default = asdict(QueueFilter())
        shown = {k: ("1" if v is True else v) for k, v in values.items() if v != default[k]}
        return urlencode(shown)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def read_filter(args: Mapping[str, str], campaign: Campaign) -> QueueFilter:
    """The filter of the URL's parameters; anything unknown or out of range falls back to the default."""
    def choice(name: str, allowed) -> str:
        value = str(args.get(name, "") or "")
        return value if value in allowed else ""

    return QueueFilter(
        domain=choice("domain", campaign.domains),
        state=choice("state", {state.value for state in State}),
        channel=choice("channel", campaign.channel_codes),
        flagged=_flag(args.get("flagged")),
        priority=_flag(args.get("priority")),
        mine=_flag(args.get("mine")),
        q=" ".join(str(args.get("q", "") or "").split())[:MAX_QUERY],
        sort=choice("sort", SORTS) or "-submitted",
        page=_bounded(args.get("page"), 1, MAX_PAGE, 1),
        per_page=_bounded(args.get("per_page"), 1, 100, 50) if str(args.get("per_page")) in map(str, PER_PAGE_CHOICES) else 50,
    )


def _flag(value: object) -> bool:
    return str(value or "").lower() in ("1", "true", "on", "yes")


def _bounded(value: object, low: int, high: int, default: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


SCORING_STATUSES = {"open": "未评分", "done": "已评分"}


@dataclass(frozen=True)
class ScoringFilter:
    """The committee's scoring list: business domain, own status (open / done), search, page."""

    domain: str = ""
    status: str = ""
    q: str = ""
    page: int = 1
    per_page: int = 50

    def query_string(self, **changes) -> str:
        values = {**asdict(self), **changes}
        default = asdict(ScoringFilter())
        return urlencode({k: v for k, v in values.items() if v != default[k]})

    def as_queue_filter(self) -> QueueFilter:
        return QueueFilter(domain=self.domain, state=State.SHORTLISTED.value, q=self.q, sort="domain",
                           page=self.page, per_page=self.per_page)


def read_scoring_filter(args: Mapping[str, str], campaign: Campaign) -> ScoringFilter:
    queue = read_filter(args, campaign)
    status = str(args.get("status", "") or "")
    return ScoringFilter(domain=queue.domain, status=status if status in SCORING_STATUSES else "", q=queue.q,
                         page=queue.page)
