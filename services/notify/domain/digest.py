"""The reviewers' digest: one message per reviewer listing what is new in their queue since the last one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from services.notify.domain.catalogue import SMS_MESSAGES
from services.notify.domain.model import CampaignInfo, PlannedMessage, Recipient, common_context, messages_to

_KIND_LABELS = {
    (False, "zh"): "新申报", (True, "zh"): "补正后重新提交",
    (False, "en"): "new", (True, "en"): "corrected and resubmitted",
}


@dataclass(frozen=True)
class QueueItem:
    """A nomination that entered a review queue (submitted, or resubmitted after correction)."""

    nomination_id: str
    nominee_name: str
    domain: str
    resubmitted: bool = False
    reference: str = ""


class Reviewers(Protocol):
    def reviewers_for(self, domain: str) -> list[Recipient]: ...


def plan_reviewer_digests(campaign: CampaignInfo, items: Iterable[QueueItem], reviewers: Reviewers,
                          period: str, review_url: str) -> list[PlannedMessage]:
    """One digest per reviewer holding any of `items` in their domains.

    `period` names the digest (`2023-03-02` for a daily one): a reviewer gets one digest per period.
    """
    queues: dict[str, tuple[Recipient, list[QueueItem]]] = {}
    for item in items:
        for reviewer in reviewers.reviewers_for(item.domain):
            person = reviewer.address("email") or reviewer.address("sms")
            if person is not None:
                queues.setdefault(person, (reviewer, []))[1].append(item)
    occasion_id = f"digest:{campaign.campaign_id}:{period}"
    planned = []
    for reviewer, queue in queues.values():
        context = {
            **common_context(campaign, reviewer),
            "items": [_listed(item, reviewer.language) for item in queue],
            "item_count": len(queue),
            "review_url": review_url,
        }
        planned += messages_to(reviewer, "reviewer_digest", context, occasion_id=occasion_id, event_id=None,
                               event_type="digest", sms_available="reviewer_digest" in SMS_MESSAGES)
    return planned


def _listed(item: QueueItem, lang: str) -> dict[str, str]:
    return {"nominee_name": item.nominee_name, "reference": item.reference, "domain": item.domain,
            "kind_label": _KIND_LABELS[(item.resubmitted, lang)]}
