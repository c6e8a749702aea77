"""The reviewers the secretariat registers in notify: checking the admin form, who reviews which business
domain, how much open work each has, and the daily digest's period.

Review publishes no reviewer accounts, so notify keeps its own directory of them (the secretariat keeps it
on the admin pages); the queue of open work is derived from the nomination events notify reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from services.notify.domain.labels import as_utc
from services.notify.domain.model import LANGUAGES, Recipient
from services.notify.domain.preferences import Preferences, email_address, mobile_number
from services.notify.domain.reminders import ReviewerWork

REVIEWER_ROLES: tuple[str, ...] = ("评审工作组", "分支机构", "评审委员会", "秘书处")

# A nomination enters the review queue when submitted or resubmitted, and leaves it when decided.
OPENING_EVENTS = ("nomination.submitted", "nomination.resubmitted")
CLOSING_EVENTS = ("nomination.returned", "nomination.advanced", "nomination.disqualified", "nomination.withdrawn")


@dataclass(frozen=True)
class Reviewer:
    """A reviewer as registered; `domains` empty means every business domain."""

    name: str
    email: str
    phone: str | None = None
    role: str = REVIEWER_ROLES[0]
    domains: tuple[str, ...] = ()
    reminders: bool = True
    sms: bool = False
    lang: str = "zh"
    active: bool = True

    def reviews(self, domain: str) -> bool:
        return self.active and (not self.domains or domain in self.domains)

    def as_recipient(self) -> Recipient:
        prefs = Preferences(email=True, sms=self.sms, reminders=self.reminders)
        return Recipient("reviewer", self.name, self.email, self.phone, lang=self.lang, prefs=prefs)


def check_reviewer_form(form: Mapping[str, object], campaign_domains: Iterable[str]) -> tuple[Reviewer | None, dict[str, str]]:
    """The reviewer the secretariat's form describes, or the problems by field (Chinese, naming the field
    and the reason). `form` holds text fields and `domains` as a list of the domains ticked."""
    known_domains = tuple(campaign_domains)
    text = lambda name: str(form.get(name) or "").strip()  # noqa: E731
    errors: dict[str, str] = {}
    name, email, phone, role, lang = text("name"), text("email"), text("phone"), text("role"), text("lang") or "zh"
    domains = tuple(str(d) for d in (form.get("domains") or ()))
    if not name:
        errors["name"] = "姓名：请填写评审人员的姓名"
    elif len(name) > 200:
        errors["name"] = "姓名：不能超过200个字"
    if not email:
        errors["email"] = "电子邮箱：请填写，评审待办汇总和提醒发到这个邮箱"
    elif email_address(email) is None:
        errors["email"] = f"电子邮箱：“{email}”不是有效的邮箱地址（例如 zhang@school.edu.cn）"
    if phone and mobile_number(phone) is None:
        errors["phone"] = f"手机号：“{phone}”不是有效的中国大陆手机号（11位，以1开头）"
    sms = bool(form.get("sms"))
    if sms and not phone:
        errors["phone"] = "手机号：选择接收短信时请填写手机号"
    if role not in REVIEWER_ROLES:
        errors["role"] = "角色：请从评审工作组、分支机构、评审委员会、秘书处中选择一项"
    unknown = [d for d in domains if d not in known_domains]
    if unknown:
        errors["domains"] = f"负责的业务领域：本次活动没有“{'、'.join(unknown)}”这一领域"
    if lang not in LANGUAGES:
        errors["lang"] = "消息语言：只能是中文或英文"
    if errors:
        return None, errors
    ordered_domains = tuple(d for d in known_domains if d in domains)
    return Reviewer(name, email_address(email), mobile_number(phone) if phone else None, role, ordered_domains,
                    reminders=not form.get("no_reminders"), sms=sms, lang=lang), {}


def reviewers_of(domain: str, reviewers: Iterable[Reviewer]) -> list[Recipient]:
    """The active reviewers whose queue holds `domain`, as recipients."""
    return [reviewer.as_recipient() for reviewer in reviewers if reviewer.reviews(domain)]


def reviewer_workloads(reviewers: Iterable[Reviewer], open_by_domain: Mapping[str, int],
                       review_url: str) -> list[ReviewerWork]:
    """Each active reviewer with the number of open nominations in the domains they review."""
    work = []
    for reviewer in reviewers:
        if not reviewer.active:
            continue
        count = sum(n for domain, n in open_by_domain.items() if reviewer.reviews(domain))
        work.append(ReviewerWork(reviewer.as_recipient(), count, review_url))
    return work


@dataclass(frozen=True)
class DigestPeriod:
    """The day a digest covers: what entered the queue from `starts` up to (not including) `ends`; `name`
    (the local date of `ends`) makes the digest's dedup key, one digest per reviewer per period."""

    starts: datetime
    ends: datetime
    name: str


def digest_period(now: datetime | str, zone: ZoneInfo, hour: int = 8) -> DigestPeriod:
    """The last full day before `now`, cut at `hour` o'clock local time: a digest run at 08:00 or any time
    until the next 08:00 covers the 24 hours before that 08:00."""
    local = as_utc(now).astimezone(zone)
    ends = datetime.combine(local.date(), time(hour), tzinfo=zone)
    if ends > local:
        ends -= timedelta(days=1)
    return DigestPeriod(ends - timedelta(days=1), ends, ends.date().isoformat())
