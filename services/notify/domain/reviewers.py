"""The reviewers notify writes to: who they are comes from review's accounts (`staff.updated` events, keyed by
the person's identity provider subject); which business domain each reviews, how much open work each has,
and the daily digest's period. The queue of open work is derived from the nomination events notify reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from services.notify.domain.labels import as_utc
from services.notify.domain.model import Recipient
from services.notify.domain.preferences import Preferences, email_address
from services.notify.domain.reminders import ReviewerWork

# A nomination enters the review queue when submitted or resubmitted, and leaves it when decided.
OPENING_EVENTS = ("nomination.submitted", "nomination.resubmitted")
CLOSING_EVENTS = ("nomination.returned", "nomination.advanced", "nomination.disqualified", "nomination.withdrawn")


@dataclass(frozen=True)
class Reviewer:
    """A reviewer as registered; `domains` empty means every business domain."""

    name: str
    email: str
    phone: str | None = None
    role: str = "评审工作组"
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


# Review's staff roles (the identity provider's) and the words notify's messages use for them; an auditor
# reviews nothing and hears nothing.
ROLE_WORDS = {"working_group": "评审工作组", "branch": "分支机构", "committee": "评审委员会", "secretariat": "秘书处"}


def reviewer_from_staff(payload: Mapping[str, object], campaign_domains: Iterable[str]) -> Reviewer | None:
    """The reviewer a `staff.updated` event of review describes, or None when they are not one notify writes
    to (an auditor, or nobody reachable by e-mail). Domains keep the campaign's order; none means all."""
    role = ROLE_WORDS.get(str(payload.get("role") or ""))
    email = email_address(str(payload.get("email") or ""))
    name = str(payload.get("name") or "").strip()[:200]
    if role is None or email is None or not name:
        return None
    wanted = {str(domain) for domain in payload.get("domains") or ()}
    domains = tuple(domain for domain in campaign_domains if domain in wanted)
    return Reviewer(name, email, None, role, domains, active=bool(payload.get("active", True)))


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
