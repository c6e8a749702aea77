"""What intake tells notify of a draft's contact, through its outbox in the draft's transaction: nothing
until the contact e-mail is verified by the link mailed to it on request; then the verified contact
(nomination.contact_verified), a changed nominee name (nomination.draft_saved), and, when the e-mail
changes, that the contact is no longer verified (so notify stops reminding it)."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from services.intake.adapters.links import BadLink, contact_verification_token
from services.intake.adapters.orm import outbox
from services.intake.domain.contact import MAX_VERIFICATION_REQUESTS, VERIFICATION_VALID, VerificationRefused
from services.intake.service_layer import contacts
from services.intake.service_layer import nominations as use_cases
from tests.builders import form_data

pytestmark = pytest.mark.integration


def contact_events(intake, nomination_id: str) -> list[tuple[str, dict]]:
    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.event_type, outbox.c.envelope).where(
            outbox.c.key == nomination_id, outbox.c.event_type != "nomination.withdrawn").order_by(outbox.c.id)).all()
    return [(row.event_type, row.envelope["payload"]) for row in rows]


def draft(intake, email: str = "ma.li@example.com") -> str:
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, nomination_id, form_data(email=email))
    return nomination_id


def verified_draft(intake, email: str = "ma.li@example.com") -> str:
    nomination_id = draft(intake, email)
    contacts.verify(intake, contact_verification_token(intake.settings.secret_key, nomination_id, email))
    return nomination_id


def test_saving_a_draft_with_a_contact_tells_notify_nothing_before_verification(intake):
    nomination_id = draft(intake)
    use_cases.save_draft(intake, nomination_id, {"contact": {"email": "other@example.com"}})
    assert contact_events(intake, nomination_id) == []


def test_a_verification_link_is_mailed_on_request_a_few_times_at_most(intake):
    nomination_id = draft(intake, "MaLi@Example.com")
    for _ in range(MAX_VERIFICATION_REQUESTS):
        assert contacts.request_verification(intake, nomination_id) == "mali@example.com"
    with pytest.raises(VerificationRefused, match="不能再发送"):
        contacts.request_verification(intake, nomination_id)
    events = contact_events(intake, nomination_id)
    assert [t for t, _ in events] == ["nomination.contact_verification_requested"] * MAX_VERIFICATION_REQUESTS
    payload = events[0][1]
    assert payload["contact"] == {"name": "马丽", "email": "mali@example.com"} and payload["valid_days"] == 7
    assert urlsplit(payload["verify_url"]).path.startswith("/verify/")


def test_the_verification_link_verifies_once_and_tells_notify_with_the_private_link(intake):
    nomination_id = verified_draft(intake)
    contacts.verify(intake, contact_verification_token(intake.settings.secret_key, nomination_id, "ma.li@example.com"))
    [(event_type, payload)] = contact_events(intake, nomination_id)
    assert event_type == "nomination.contact_verified"
    assert payload["contact_verified"] is True and payload["edit_url"] == intake.status_url(nomination_id)
    assert payload["contact"]["email"] == "ma.li@example.com" and payload["nominee_name"] == "阿依古丽·买买提"


def test_a_verified_contacts_draft_passes_on_a_new_name_and_a_changed_email_unverifies_it(intake):
    nomination_id = verified_draft(intake)
    use_cases.save_draft(intake, nomination_id, {"deeds": "补充事迹。"})
    use_cases.save_draft(intake, nomination_id, {"person": {"name": "王秀兰"}})
    use_cases.save_draft(intake, nomination_id, {"contact": {"email": "new@example.com"}})
    events = contact_events(intake, nomination_id)
    assert [(t, p["contact_verified"], p["nominee_name"]) for t, p in events] == [
        ("nomination.contact_verified", True, "阿依古丽·买买提"),
        ("nomination.draft_saved", True, "王秀兰"),
        ("nomination.draft_saved", False, "王秀兰"),
    ]
    assert contacts.request_verification(intake, nomination_id) == "new@example.com"


def test_a_link_for_an_email_the_draft_no_longer_has_is_refused(intake):
    nomination_id = draft(intake)
    token = contact_verification_token(intake.settings.secret_key, nomination_id, "ma.li@example.com")
    use_cases.save_draft(intake, nomination_id, {"contact": {"email": "other@example.com"}})
    with pytest.raises(VerificationRefused, match="联系人邮箱已更改"):
        contacts.verify(intake, token)


def test_a_verification_link_expires(intake):
    nomination_id = draft(intake)
    token = contact_verification_token(intake.settings.secret_key, nomination_id, "ma.li@example.com")
    issued = intake.clock()
    intake.clock = lambda: issued + VERIFICATION_VALID + timedelta(minutes=1)
    with pytest.raises(BadLink, match="已过期"):
        contacts.verify(intake, token)


def test_the_verification_page_opens_the_draft_and_says_so(client, intake):
    nomination_id = draft(intake)
    token = contact_verification_token(intake.settings.secret_key, nomination_id, "ma.li@example.com")
    answer = client.get(f"/verify/{token}", follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "联系人邮箱已验证" in page and "ma.li@example.com 已验证" in page
    assert client.get(f"/verify/{token[:-3]}abc").status_code == 404


def test_the_task_list_offers_the_verification_mail_and_sends_it(client, intake):
    from services.intake.adapters.links import nomination_token

    token = nomination_token(intake.settings.secret_key, draft(intake))
    assert "发送验证邮件" in client.get(f"/n/{token}").get_data(as_text=True)
    answer = client.post(f"/n/{token}/contact/verify", follow_redirects=True)
    assert "验证邮件已发送至 ma.li@example.com" in answer.get_data(as_text=True)


def test_draft_creation_is_limited_per_client_address(client):
    codes = [client.post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"}).status_code
             for _ in range(31)]
    assert codes == [201] * 30 + [429]
    assert client.post("/start", data={"nominee_kind": "person"}).status_code == 302  # another endpoint's count


def test_uploads_are_limited_per_client_address(client):
    from tests.builders import start_by_api

    token = start_by_api(client)
    codes = {client.post(f"/api/v1/nominations/{token}/files/photo").status_code for _ in range(120)}
    assert codes == {400}
    answer = client.post(f"/api/v1/nominations/{token}/files/photo")
    assert answer.status_code == 429 and answer.json["error"] == "操作过于频繁，请稍后再试"
