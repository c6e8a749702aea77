"""A team nomination the whole way on the real servers: intake's form, uploads scanned in-process, the
submission, its event through the real Kafka, notify's consumer and worker, and the mails in Mailpit to
the contact and to the team's leader. The mails speak of a team as a team (团队自荐, tester's I-6), and a
sealed form whose missing seal the applicant confirmed at submission brings no 材料需要处理 mail (I-8)."""
from __future__ import annotations

import io
import json
import uuid

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import outbox
from services.notify.adapters.orm import messages, recipients
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.scans import scan
from services.intake.service_layer.uploads import add_upload
from shared.events import parse_event
from tests.builders import DEEDS, open_intake, random_name
from tests.fixtures import scanfiles
from tests.integration.notify.mailboxes import body_of, wait_for_mails

pytestmark = pytest.mark.integration


@pytest.fixture()
def intake(stack):
    container = open_intake(stack)
    yield container
    container.engine.dispose()


def team_form(people, name: str) -> dict:
    return {
        "team": {"name": name, "unit": "武汉大学", "department": "后勤服务集团",
                 "leader": {"name": "王芳", "position": "宿管中心主任", "phone": "027-68752114",
                            "email": people.email("leader")},
                 "members": [{"name": "李娜", "role": "宿管员"}, {"name": "赵强", "role": "维修工"}],
                 "address": "湖北省武汉市武昌区八一路299号", "postcode": "430072"},
        "domain": "学生公寓", "deeds": DEEDS, "media_honours": [],
        "contact": {"name": "马丽", "email": people.email("contact"), "phone": "13900001111"},
    }


def upload_team_files(intake, nomination_id: str, sealed: bool = True) -> list[str]:
    form = scanfiles.sealed_form_pdf(nomination_id) if sealed else scanfiles.unsealed_form_pdf(nomination_id)
    files = [("sealed_form", "form.pdf", form, "application/pdf"),
             ("certificate", "c1.jpg", scanfiles.certificate_jpeg(seed=uuid.uuid4().int % 1000), "image/jpeg"),
             ("certificate", "c2.jpg", scanfiles.certificate_jpeg(seed=uuid.uuid4().int % 1000 + 1000), "image/jpeg")]
    upload_ids = [add_upload(intake, nomination_id, kind, io.BytesIO(data), filename=name, content_type=ctype)
                  for kind, name, data, ctype in files]
    return [scan(intake, upload_id) for upload_id in upload_ids]


def test_a_team_nomination_is_filled_uploaded_submitted_published_and_mailed(
        mail_consumer, intake, publisher, mailpit, people):
    team_name = f"“暖心”{random_name('宿')}服务团队"
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="team")
    assert use_cases.save_draft(intake, nomination_id, team_form(people, team_name)) == []
    assert upload_team_files(intake, nomination_id) == ["ok", "ok", "ok"]  # no photo asked of a team

    assert submission.send(intake, nomination_id, "k1") == "submitted"
    with intake.engine.connect() as conn:
        envelope = conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == nomination_id, outbox.c.event_type == "nomination.submitted")).scalar_one()
    payload = envelope["payload"]
    assert (payload["nominee_kind"], payload["nominee_name"], payload["person"]) == ("team", team_name, None)
    assert [m["name"] for m in payload["team"]["members"]] == ["李娜", "赵强"]
    assert sorted(f["kind"] for f in payload["files"]) == ["certificate", "certificate", "sealed_form"]

    publisher.publish(parse_event(json.dumps(envelope)))
    wait_for_mails(mailpit, people, 1)
    body = body_of(mailpit, people.email("contact"), "")
    assert team_name in body and intake.status_url(nomination_id) in body
    assert "推荐渠道：团队自荐" in body and "个人" not in body
    assert len(mailpit.search(f"to:@{people.domain}")) == 1
    with mail_consumer.engine.connect() as conn:  # the leader is the team's nominee for the outcomes to come
        kinds = dict(conn.execute(sa.select(recipients.c.email, recipients.c.kind).where(
            recipients.c.nomination_id == nomination_id)).all())
    assert kinds == {people.email("contact"): "contact", people.email("leader"): "nominee"}


def submitted_envelope(intake, nomination_id: str) -> dict:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == nomination_id, outbox.c.event_type == "nomination.submitted")).scalar_one()


def test_a_confirmed_missing_seal_brings_no_mail_asking_to_tick_the_box_at_submission(
        mail_consumer, intake, publisher, mailpit, people):
    team_name = f"“暖心”{random_name('宿')}服务团队"
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="team")
    assert use_cases.save_draft(intake, nomination_id, team_form(people, team_name)) == []
    assert upload_team_files(intake, nomination_id, sealed=False) == ["flagged", "ok", "ok"]
    assert submission.send(intake, nomination_id, "k1", seal_confirmed=True) == "submitted"
    envelope = submitted_envelope(intake, nomination_id)
    [form] = [f for f in envelope["payload"]["files"] if f["kind"] == "sealed_form"]
    assert (form["verdict"], form["codes"], form["seal_confirmed_by_applicant"]) == ("flagged", ["seal_missing"], True)

    publisher.publish(parse_event(json.dumps(envelope)))
    wait_for_mails(mailpit, people, 1)
    with mail_consumer.engine.connect() as conn:  # every message of the event is recorded in one transaction
        templates = conn.execute(sa.select(messages.c.template).where(
            messages.c.nomination_id == nomination_id)).scalars().all()
    assert templates == ["submission_received"]
    assert [m["Subject"].rsplit("｜", 1)[1] for m in mailpit.to(people.email("contact"))] == ["已收到您的申报材料"]
