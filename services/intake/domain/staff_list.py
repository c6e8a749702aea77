"""The secretariat's list of nominations: what may be asked of it (a search, filters, a page, an order),
read from the query string within limits, and the words it shows for values a form may lack.

A value the list does not know (a state or domain that does not exist, a page beyond the last) is left
out rather than refused: the filters live in the URL, and an old or hand-edited URL still shows a list.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Mapping

from shared.campaign.model import Campaign
from services.intake.domain.nomination import STATE_NAMES

PAGE_SIZE = 50
SEARCH_MAX_CHARS = 100
MAX_PAGE = 100_000
NO_DOMAIN = "none"
NO_DOMAIN_LABEL = "未选择"
NO_NAME_LABEL = "（未填写姓名）"
KIND_LABELS = {"person": "个人", "team": "团队"}
ORDERS = {"newest": "最近提交在前", "reference": "按申报编号"}
FILTERS = ("q", "state", "domain", "channel", "kind", "organisation", "flagged", "order")


@dataclass(frozen=True)
class ListQuery:
    q: str = ""
    state: str = ""
    domain: str = ""  # a campaign domain, or NO_DOMAIN for nominations without one
    channel: str = ""
    kind: str = ""
    organisation: str = ""  # an organisation's id
    flagged: bool = False
    order: str = "newest"
    page: int = 1

    def args(self, **changes) -> dict[str, str]:
        """The query string of this list (with `changes`), without the values that are the defaults."""
        chosen = asdict(replace(self, **changes))
        defaults = asdict(ListQuery())
        return {name: ("1" if value is True else str(value)) for name, value in chosen.items()
                if value != defaults[name]}

    @property
    def filtered(self) -> bool:
        return any(getattr(self, name) != getattr(ListQuery(), name) for name in FILTERS if name != "order")


def parse_list_query(args: Mapping[str, str], campaign: Campaign) -> ListQuery:
    def one_of(name: str, allowed) -> str:
        value = (args.get(name) or "").strip()
        return value if value in allowed else ""

    return ListQuery(
        q=" ".join((args.get("q") or "").split())[:SEARCH_MAX_CHARS],
        state=one_of("state", {str(state) for state in STATE_NAMES}),
        domain=one_of("domain", {*campaign.domains, NO_DOMAIN}),
        channel=one_of("channel", {channel.code for channel in campaign.channels}),
        kind=one_of("kind", KIND_LABELS),
        organisation=(args.get("organisation") or "").strip()[:36],
        flagged=args.get("flagged") in ("1", "on", "true"),
        order=one_of("order", ORDERS) or "newest",
        page=_page(args.get("page")),
    )


def _page(text: str | None) -> int:
    try:
        return min(MAX_PAGE, max(1, int(text or 1)))
    except ValueError:
        return 1


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // page_size))


def domain_label(domain: str | None) -> str:
    return domain or NO_DOMAIN_LABEL


def name_label(name: str | None) -> str:
    return (name or "").strip() or NO_NAME_LABEL
