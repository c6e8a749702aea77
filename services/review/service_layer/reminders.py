"""Reminders of open scoring: the secretariat asks notify (event `scoring.reminder_requested`, through the
outbox) to write to every committee member who still has nominations to score, with how many and the
review stage's close. Recorded and audited; a second request within the hour is refused, so a double
click does not write to everyone twice."""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from services.review.adapters.orm import scoring_reminders, staff
from services.review.domain.people import Role, StaffMember
from services.review.service_layer import audit
from services.review.service_layer.scoring import progress
from shared.campaign import Refusal
from shared.campaign.codes import REVIEW_STAGE
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

if TYPE_CHECKING:
    from services.review.bootstrap import Review

QUIET = timedelta(hours=1)
REMINDER_LOCK_ID = 7_420_203


def remind_open_scoring(review: "Review", by: StaffMember) -> int:
    """Publish one reminder request naming every active committee member with open scoring and an e-mail;
    returns how many members it names."""
    if by.role is not Role.SECRETARIAT:
        raise Refusal("只有协会秘书处可以发送评分提醒")
    now, campaign = review.clock(), review.campaign
    with review.sessions.begin() as session:
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(REMINDER_LOCK_ID)))
        last = session.execute(sa.select(sa.func.max(scoring_reminders.c.sent_at))
                               .where(scoring_reminders.c.campaign_id == campaign.id)).scalar()
        if last is not None and now - last < QUIET:
            raise Refusal(f"上次提醒发送于 {last.astimezone(campaign.zone):%H:%M}，一小时内不再重复发送")
        emails = dict(session.execute(sa.select(staff.c.subject, staff.c.email)).all())
        members = [{"subject": p.subject, "name": p.name, "email": emails[p.subject], "open_count": p.open}
                   for p in progress(session, campaign).members if p.open and emails.get(p.subject)]
        if not members:
            raise Refusal("没有需要提醒的委员：评分已全部完成，或未完成的委员没有登记邮箱")
        session.execute(sa.insert(scoring_reminders).values(campaign_id=campaign.id, sent_at=now, by=by.subject,
                                                            members=len(members)))
        add_to_outbox(session, new_event("scoring.reminder_requested", campaign.id, {
            "campaign_id": campaign.id, "campaign_name": campaign.display_name, "is_demo": campaign.is_demo,
            "closes_at": campaign.stage(REVIEW_STAGE).closes_at.isoformat(),
            "scoring_url": f"{review.settings.review_url}/scoring/", "members": members}, producer="review"))
        audit.record(session, actor=by.subject, actor_role=by.role.value, action="scoring.reminded",
                     target=campaign.id, details={"members": [m["subject"] for m in members]}, at=now)
    return len(members)
