"""A branch declines a nomination from its shortlist page (not only from the nomination's page): the reason
is required, the decision recorded, and the branch comes back to the shortlist."""
from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import decisions, reviews
from services.review.domain.people import Role, StaffMember
from services.review.domain.states import Action
from tests import staff as kc
from tests.integration.review.committee import register, seed_shortlisted
from tests.integration.review.staff_roles import subject_of

pytestmark = [pytest.mark.integration, pytest.mark.own_campaign()]


def test_branch_declines_from_the_shortlist_page_with_a_reason(stack, review):
    from services.review.entrypoints.web import create_app

    tag = uuid.uuid4().hex[:8]
    secretariat = StaffMember("sec-standing", "秘书处常设测试", Role.SECRETARIAT, unit="中国教育后勤协会")
    branch = StaffMember(subject_of(kc.access_token(stack, "branch")), "张海燕", Role.BRANCH, username="branch",
                         domains=("学生公寓",), unit="协会公寓专业委员会")
    register(review, secretariat, branch)
    nomination_id, = seed_shortlisted(review, secretariat, 1, tag, domain_of=lambda i: "学生公寓",
                                      actions=(Action.APPROVE,))
    client = kc.as_staff(create_app(review=review).test_client(), stack, "branch")

    page = client.get("/shortlist/学生公寓")
    assert page.status_code == 200 and "不予入围" in page.text and f"不予入围的理由：候选{tag[:4]}000" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    back = client.post(f"/n/{nomination_id}/decision", data={
        "csrf_token": token, "action": "decline", "reason": "事迹与推荐条件不符", "return_to": "/shortlist/学生公寓"})
    assert back.status_code == 302 and back.headers["Location"].endswith("/shortlist/%E5%AD%A6%E7%94%9F%E5%85%AC%E5%AF%93")
    with review.engine.connect() as conn:
        assert conn.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == nomination_id)).scalar() \
            == "not_shortlisted"
        made = conn.execute(sa.select(decisions.c.action, decisions.c.by, decisions.c.reason)
                            .where(decisions.c.nomination_id == nomination_id).order_by(decisions.c.id)).all()
    assert tuple(made[-1]) == ("decline", branch.subject, "事迹与推荐条件不符")
    assert "未入围" in client.get("/shortlist/学生公寓").text
