"""An organisation's invitation link sets its password once, within its days, and never after."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.intake.adapters.links import invitation_token
from services.intake.service_layer.organisations import INVITATION_VALID, create_organisation

pytestmark = pytest.mark.integration


def invite(intake) -> str:
    organisation_id, _ = create_organisation(intake, name="测试省高校后勤协会", type="local_association",
                                             email=f"assoc-{uuid.uuid4().hex[:8]}@example.com")
    return f"/org/invite/{invitation_token(intake.settings.secret_key, organisation_id)}"


def set_password(client, path: str, password: str = "secret-pass-1"):
    return client.post(path, data={"password": password, "password_again": password})


def test_an_invitation_sets_the_password_and_signs_in(client, intake):
    answer = set_password(client, invite(intake))
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/org/")


def test_an_invitation_works_once(client, intake):
    path = invite(intake)
    assert set_password(client, path).status_code == 302
    client.post("/org/logout")
    again = set_password(client, path, "another-pass-2")
    assert again.status_code == 410
    assert "该邀请链接已使用" in again.get_data(as_text=True)
    assert client.get(path).status_code == 410


def test_an_invitation_is_refused_once_a_password_exists(client, intake):
    path = invite(intake)
    other_tab = client.get(path)
    assert other_tab.status_code == 200
    assert set_password(client, path).status_code == 302
    assert "该邀请链接已使用" in set_password(client, path, "another-pass-2").get_data(as_text=True)


def test_an_invitation_expires_after_its_days(client, intake):
    path = invite(intake)
    issued = intake.clock()
    intake.clock = lambda: issued + INVITATION_VALID + timedelta(minutes=1)
    answer = client.get(path)
    assert answer.status_code == 404
    assert "邀请链接已过期" in answer.get_data(as_text=True)
    assert set_password(client, path).status_code == 404


def test_a_tampered_invitation_is_not_found(client, intake):
    assert client.get(invite(intake)[:-3] + "xyz").status_code == 404


def test_a_used_invitation_offers_the_organisations_sign_in(client, intake):
    """Tester's A-4: the page said 请直接登录 but offered only 返回首页."""
    path = invite(intake)
    set_password(client, path)
    client.post("/org/logout")
    page = client.get(path).get_data(as_text=True)
    assert '<a class="button" href="/org/login">推荐单位登录</a>' in page
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<a class="button" href="/org/login">Organisation sign-in</a>' in english
