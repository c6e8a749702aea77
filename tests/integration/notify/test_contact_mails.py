"""A draft's contact e-mail, from intake's outbox through the real Kafka to notify's consumer and worker,
read back in Mailpit: nothing is mailed before the applicant asks for the verification link; the link
verifies the address; then the draft's private link arrives; the links page mails them again."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from services.intake.adapters.links import contact_verification_token
from services.intake.adapters.orm import outbox
from services.intake.entrypoints.web import create_app as intake_app
from services.intake.service_layer import contacts
from services.intake.service_layer import nominations as use_cases
from shared.events import parse_event
from tests.builders import form_data, open_intake, own_address
from tests.integration.notify.mailboxes import body_of, subjects, wait_for_mails

pytestmark = pytest.mark.integration


@pytest.fixture()
def intake(stack):
    container = open_intake(stack)
    yield container
    container.engine.dispose()


def relay(intake, publisher, nomination_or_campaign_id: str, since: int) -> int:
    """Publishes intake's outbox rows for the key written after row `since` (as intake's relay would);
    returns the last row's id."""
    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.id, outbox.c.envelope).where(
            outbox.c.key == nomination_or_campaign_id, outbox.c.id > since).order_by(outbox.c.id)).all()
    publisher.publish(*[parse_event(json.dumps(row.envelope)) for row in rows])
    return rows[-1].id if rows else since


def web_client(stack, intake):
    app = intake_app(stack, intake=intake)
    app.config["WTF_CSRF_ENABLED"] = False
    return own_address(app.test_client())


def test_contact_email_is_verified_by_the_link_mailed_to_it_then_the_private_link_follows(
        mail_consumer, intake, publisher, mailpit, people, stack):
    address = people.email("contact")
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, nomination_id, form_data(email=address))
    last = relay(intake, publisher, nomination_id, 0)
    assert subjects(mailpit, address) == {}  # saving the draft mails nothing

    contacts.request_verification(intake, nomination_id)
    last = relay(intake, publisher, nomination_id, last)
    wait_for_mails(mailpit, people, 1)
    verification = body_of(mailpit, address, "请验证联系人邮箱")
    link = re.search(r"http\S+/verify/\S+", verification).group(0)

    answer = web_client(stack, intake).get(urlsplit(link).path)
    assert answer.status_code == 302 and "/n/" in answer.headers["Location"]
    relay(intake, publisher, nomination_id, last)
    wait_for_mails(mailpit, people, 2)
    links = body_of(mailpit, address, "您的申报链接")
    assert intake.status_url(nomination_id) in links and "阿依古丽·买买提" in links


def test_the_links_page_mails_the_links_of_a_verified_contact_only(mail_consumer, intake, publisher, mailpit, people, stack):
    address = people.email("lost")
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, nomination_id, form_data(email=address))
    client = web_client(stack, intake)
    with intake.engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.max(outbox.c.id))).scalar() or 0
    assert "如该邮箱是某份申报已验证的联系人邮箱" in client.post("/links", data={"email": address}).get_data(as_text=True)
    assert relay(intake, publisher, intake.campaign.id, before) == before  # not verified: nothing to send

    token = contact_verification_token(intake.settings.secret_key, nomination_id, address)
    contacts.verify(intake, token)
    with intake.engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.max(outbox.c.id))).scalar()
    client.post("/links", data={"email": address.upper()})
    relay(intake, publisher, intake.campaign.id, before)
    wait_for_mails(mailpit, people, 1)
    assert intake.status_url(nomination_id) in body_of(mailpit, address, "您的申报链接")
