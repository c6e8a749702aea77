"""The secretariat's admin pages on notify's real database, through Flask's test client: the sign-in, the
CSRF check, the message filters, and the template editor's check, preview, save and reset."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import template_overrides
from services.notify.bootstrap import bootstrap
from services.notify.entrypoints.web import create_app
from tests import staff
from tests.integration.notify.conftest import OPERATOR, csrf_token

pytestmark = pytest.mark.integration

EDITED = "withdrawn.en.txt"  # English, rarely sent: an edit of it for a moment disturbs no other test


def override_of(engine, lang: str, channel: str, name: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(template_overrides.c.source).where(
            template_overrides.c.name == name, template_overrides.c.lang == lang,
            template_overrides.c.channel == channel)).scalar()


@pytest.fixture()
def engine(notify_env):
    container = bootstrap(notify_env, load_templates=False)
    yield container.engine
    container.engine.dispose()


def test_admin_pages_send_to_the_staff_sign_in_first_and_refuse_other_roles(notify_env):
    client = create_app(notify_env).test_client()
    answer = client.get("/admin/messages?state=failed")
    assert answer.status_code == 302 and answer.location == "/auth/login?next=/admin/messages?state%3Dfailed"
    assert client.get("/login").status_code == 404  # the shared password's page is gone
    refused = staff.as_staff(client, notify_env, "working_group").get("/admin/messages")
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"


def test_form_without_its_csrf_token_is_refused(admin):
    answer = admin.post(f"/admin/templates/{EDITED}", data={"action": "save", "source": "Subject: x\nbody"})
    assert answer.status_code == 400 and "CSRF" in answer.get_data(as_text=True)


def test_template_with_unknown_placeholder_is_refused_at_save_naming_it(admin, engine):
    before = override_of(engine, "zh", "email", "submission_received")
    source = "Subject: {{ campaign_name }}｜已收到\n{{ nominee_nmae }}，您好：请查看 {{ status_url }}\n"
    answer = admin.post("/admin/templates/submission_received.zh.txt",
                        data={"action": "save", "source": source, "csrf_token": admin.csrf})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "模板中有未知占位符：{{ nominee_nmae }}" in page
    assert "{{ nominee_nmae }}，您好" in page  # the edit is kept in the form to be corrected
    assert override_of(engine, "zh", "email", "submission_received") == before


@pytest.mark.parametrize("action", ["preview", "save"])
def test_template_asking_for_a_huge_text_is_refused_without_building_it(admin, engine, action):
    """{{ 'x' * 10**8 }} would make 100 MB in the web process (and in the worker, for every message)."""
    before = override_of(engine, "en", "email", "withdrawn")
    answer = admin.post(f"/admin/templates/{EDITED}", data={
        "action": action, "source": "Subject: x\n{{ 'x' * 10**8 }}{{ nominee_name }}\n", "csrf_token": admin.csrf})
    assert answer.status_code == 422
    assert "模板生成的内容过长（超过 100000 字）" in answer.get_data(as_text=True)
    assert override_of(engine, "en", "email", "withdrawn") == before


def test_template_edit_is_previewed_saved_used_by_other_processes_and_reset(admin, engine, notify_env):
    source = ("Subject: {{ campaign_name }} | withdrawn (edited)\n"
              "Dear {{ recipient_name }}, {{ nominee_name }} withdrew.\n")
    try:
        preview = admin.post(f"/admin/templates/{EDITED}", data={"action": "preview", "source": source,
                                                                 "csrf_token": admin.csrf})
        assert preview.status_code == 200 and "李红梅, 王秀兰 withdrew." in preview.get_data(as_text=True)
        assert override_of(engine, "en", "email", "withdrawn") is None

        saved = admin.post(f"/admin/templates/{EDITED}", data={"action": "save", "source": source,
                                                               "csrf_token": admin.csrf})
        assert saved.status_code == 302
        assert override_of(engine, "en", "email", "withdrawn") == source
        listing = admin.get("/admin/templates").get_data(as_text=True)
        assert f"已修改：{OPERATOR}" in listing

        elsewhere = bootstrap(notify_env)  # a consumer starting now renders with the edit
        rendered = elsewhere.templates.render("withdrawn", "en", "email", {
            "campaign_name": "C", "campaign_short_name": "C", "is_demo": False, "recipient_name": "Li",
            "nominee_name": "Wang", "reason": ""})
        elsewhere.engine.dispose()
        assert (rendered.subject, rendered.body) == ("C | withdrawn (edited)", "Dear Li, Wang withdrew.\n")
    finally:
        admin.post(f"/admin/templates/{EDITED}/reset", data={"csrf_token": admin.csrf})
    assert override_of(engine, "en", "email", "withdrawn") is None


def test_message_filters_stay_in_the_url(admin):
    page = admin.get("/admin/messages", query_string={"state": "failed", "template": "shortlisted",
                                                      "recipient": "nobody@nowhere.test"}).get_data(as_text=True)
    assert '<option value="failed" selected>' in page
    assert '<option value="shortlisted" selected>' in page
    assert 'value="nobody@nowhere.test"' in page
    assert "没有符合条件的消息。" in page
