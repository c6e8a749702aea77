"""Notify's read-only JSON API of the messages, on the real Kafka, notify's consumer and Celery worker and
Mailpit: a submitted nomination's messages with their delivery state as they are sent, one message without
its private links, the list's filters, who may read it (Keycloak tokens), and its OpenAPI document."""
from __future__ import annotations

import pytest

from services.notify.adapters.orm import messages
from services.notify.entrypoints.web import create_app
from tests import staff
from tests.integration.notify.harness import event, message_rows, submission
from tests.stack import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture()
def client(notify_env):
    return create_app(notify_env).test_client()


@pytest.fixture()
def auditor(notify_env):
    return staff.as_staff(create_app(notify_env).test_client(), notify_env, "auditor")


@pytest.fixture()
def sent(mail_consumer, publisher, people):
    """A nomination submitted through Kafka, once every message of it is sent: its payload."""
    payload = submission(people, reference=f"2022-{int(people.tag[:8], 16) % 10 ** 7:07d}")  # the 申报编号
    publisher.publish(event("nomination.submitted", payload))
    condition = messages.c.nomination_id == payload["nomination_id"]
    wait_until(lambda: (rows := message_rows(mail_consumer.engine, condition)) and all(r.state == "sent" for r in rows),
               60, 0.3, "the nomination's messages sent")
    return payload


def test_a_nominations_messages_with_their_delivery_state(auditor, sent, people, mail_consumer):
    rows = message_rows(mail_consumer.engine, messages.c.nomination_id == sent["nomination_id"])
    answer = auditor.get(f"/api/v1/nominations/{sent['nomination_id']}/messages")
    assert answer.status_code == 200 and answer.json["ok"] is True
    assert answer.json["counts"] == {"sent": len(rows)} and len(rows) >= 2
    listed = answer.json["messages"]
    assert sorted(m["id"] for m in listed) == sorted(r.id for r in rows)
    assert [m["created_at"] for m in listed] == sorted(m["created_at"] for m in listed)  # oldest first
    assert {m["address"] for m in listed} >= {people.email("contact-0"), people.email("org")}
    assert all(m["state"] == "sent" and m["sent_at"] and m["attempts"] >= 1 for m in listed)
    assert not any("body" in m or "context" in m for m in listed)  # the list holds no text with links
    assert answer.json["reference"] == rows[0].reference == sent["reference"]
    by_reference = auditor.get(f"/api/v1/nominations/{rows[0].reference}/messages").json
    assert by_reference["nomination_id"] == sent["nomination_id"] and by_reference["messages"] == listed


def test_one_message_is_shown_without_its_private_links(auditor, sent, people):
    listed = auditor.get(f"/api/v1/nominations/{sent['nomination_id']}/messages").json["messages"]
    to_contact = next(m for m in listed if m["address"] == people.email("contact-0"))
    answer = auditor.get(f"/api/v1/messages/{to_contact['id']}")
    message = answer.json["message"]
    assert answer.status_code == 200 and message["state"] == "sent" and message["resends"] == []
    assert sent["status_url"] not in message["body"] and "专属链接，已隐藏" in message["body"]
    assert message["provider_answer"] and "context" not in message


def test_the_list_filters_like_the_admin_page(auditor, sent, people):
    mine = auditor.get("/api/v1/messages", query_string={"recipient": people.domain, "state": "sent", "per_page": 1})
    assert mine.status_code == 200 and mine.json["total"] >= 2 and mine.json["pages"] == mine.json["total"]
    assert len(mine.json["messages"]) == 1 and mine.json["counts"]["sent"] >= mine.json["total"]
    assert auditor.get("/api/v1/messages", query_string={"recipient": people.domain, "state": "failed"}).json["total"] == 0
    refused = auditor.get("/api/v1/messages?state=lost&per_page=500")
    assert refused.status_code == 422 and {e["field"] for e in refused.json["errors"]} == {"query.state", "query.per_page"}
    assert refused.json["error"] == "请求参数有误（2 处），见 errors"


def test_only_the_secretariat_and_auditors_may_read_and_unknowns_are_404(client, notify_env, auditor):
    anonymous = client.get("/api/v1/messages")
    assert anonymous.status_code == 401 and anonymous.json["code"] == "unauthenticated"
    reviewer = staff.as_staff(create_app(notify_env).test_client(), notify_env, "working_group")
    assert reviewer.get("/api/v1/messages").status_code == 403
    secretariat = staff.as_staff(create_app(notify_env).test_client(), notify_env, "secretariat")
    assert secretariat.get("/api/v1/messages?per_page=1").status_code == 200
    unknown = auditor.get("/api/v1/nominations/N-nobody-knows/messages")
    assert unknown.status_code == 404 and unknown.json == {"ok": False, "error": "通知服务没有这份申报的记录",
                                                           "code": "not_found", "errors": []}
    assert auditor.get("/api/v1/messages/not-a-message").json["code"] == "not_found"
    assert auditor.get("/api/v1/messages/a%00b").status_code == 400  # refused before PostgreSQL sees it
    assert auditor.get("/admin/messages").status_code == 403  # the pages stay the secretariat's
    assert secretariat.get("/admin/messages?recipient=%00").status_code == 400  # was a 500
    assert secretariat.get("/admin/messages/nope").mimetype == "text/html"  # the pages keep their own errors


def test_the_openapi_document_describes_the_three_operations(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.json["info"]["title"] == "Tuiju notify API"
    assert set(document.json["paths"]) == {"/api/v1/messages", "/api/v1/messages/{message_id}",
                                           "/api/v1/nominations/{nomination_id}/messages"}
    one = document.json["components"]["schemas"]["MessageDetailOut"]["properties"]
    assert "body" in one and "context" not in one
