"""shared.auth against the devstack's real Keycloak: the browser's code flow with PKCE, sign-out at the
provider, and bearer tokens for JSON APIs (valid, for another audience, tampered, expired)."""
from __future__ import annotations

import time
import uuid

import pytest
import requests

from shared.auth import SIGN_IN, SIGN_IN_FAILED, SIGN_OUT
from shared.auth.tokens import LEEWAY_SECONDS
from tests import staff
from tests.integration.auth.harness import served, staff_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app_events(stack):
    events: list = []
    app = staff_app(stack, events)
    with served(app) as url:
        yield app, url, events


@pytest.fixture
def site(app_events):
    app, url, events = app_events
    events.clear()
    return url, events


def test_secretariat_signs_in_through_keycloak_and_reaches_the_page_it_asked_for(stack, site):
    url, events = site
    browser = requests.Session()
    page = browser.get(f"{url}/admin/?tab=flags", timeout=30)
    assert page.url.startswith(staff.issuer(stack) + "/protocol/openid-connect/auth?")
    assert "code_challenge_method=S256" in page.url and "code_challenge=" in page.url
    answer = staff.fill_in_login_form(browser, page, "secretariat")
    assert answer.status_code == 200 and answer.url == f"{url}/admin/?tab=flags"
    assert "secretariat page for 王晓梅 (secretariat) roles=secretariat" in answer.text
    (event,) = events
    assert (event.kind, event.username, event.roles, event.service) == (SIGN_IN, "secretariat", ("secretariat",), "intake")
    assert event.subject and event.remote_addr == "127.0.0.1"


def test_session_cookie_is_http_only_and_same_site_lax(site):
    url, _ = site
    answer = staff.sign_in(requests.Session(), f"{url}/staff/", "auditor")
    callback = next(r for r in answer.history if r.url.startswith(f"{url}/auth/callback"))
    set_cookie = callback.headers["Set-Cookie"]
    assert set_cookie.startswith("tuiju_intake_session=") and "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert "Secure" not in set_cookie  # served over plain HTTP here; Secure when the service's URL is https


def test_a_staff_user_without_the_role_gets_a_chinese_403_page(site):
    url, _ = site
    answer = staff.sign_in(requests.Session(), f"{url}/admin/", "committee")
    assert answer.status_code == 403
    assert "无权访问" in answer.text and "评审委员会" in answer.text and "退出登录" in answer.text


def test_an_account_without_any_staff_role_is_refused_every_staff_page(site):
    url, _ = site
    browser = requests.Session()
    assert staff.sign_in(browser, f"{url}/staff/", staff.NO_ROLE_USER).status_code == 403


def test_sign_out_ends_the_providers_session_so_the_next_visit_asks_for_the_password(site):
    url, events = site
    browser = requests.Session()
    assert staff.sign_in(browser, f"{url}/staff/", "branch").status_code == 200
    staff.loopback_cookies_as_a_browser_keeps_them(browser)
    signed_out = browser.get(f"{url}/auth/logout", timeout=30)
    assert signed_out.url.startswith(f"{url}/auth/signed-out") and "您已退出登录" in signed_out.text
    again = browser.get(f"{url}/staff/", timeout=30)
    assert staff.login_form_action(again.text), "the provider still had a session"
    assert [event.kind for event in events] == [SIGN_IN, SIGN_OUT]


def test_a_callback_with_a_forged_state_is_refused_and_recorded(site):
    url, events = site
    browser = requests.Session()
    browser.get(f"{url}/auth/login?next=/admin/", allow_redirects=False, timeout=30)
    answer = browser.get(f"{url}/auth/callback?code=forged&state=forged", timeout=30)
    assert answer.status_code == 400 and "登录未完成" in answer.text
    assert [event.kind for event in events] == [SIGN_IN_FAILED]
    assert "state" in events[0].reason.lower()


def test_a_user_agent_with_a_nul_is_recorded_without_it(site):
    """What is recorded as sent is never refused, but a NUL would stop the record's write (PostgreSQL)."""
    url, events = site
    browser = requests.Session()
    browser.headers["User-Agent"] = "Mozilla/5.0\x00 (X11)"
    browser.get(f"{url}/auth/login", allow_redirects=False, timeout=30)
    assert browser.get(f"{url}/auth/callback?code=forged&state=forged", timeout=30).status_code == 400
    assert [event.user_agent for event in events] == ["Mozilla/5.0 (X11)"]


def test_sign_in_never_returns_to_another_site(site):
    url, _ = site
    answer = staff.sign_in(requests.Session(), f"{url}/auth/login?next=https://evil.example/", "secretariat")
    assert answer.url == f"{url}/"


def test_a_page_without_sign_in_redirects_to_the_provider_and_a_json_api_answers_401(site):
    url, _ = site
    page = requests.get(f"{url}/admin/", allow_redirects=False, timeout=30)
    assert page.status_code == 302 and page.headers["Location"].startswith("/auth/login?next=/admin/")
    api = requests.get(f"{url}/api/records", timeout=30)
    assert api.status_code == 401 and api.json()["code"] == "unauthenticated"
    assert requests.get(f"{url}/api/records", headers={"Accept-Language": "en"}, timeout=30).json()["error"] == \
        "Staff sign-in required."


def test_a_script_with_a_password_grant_token_reaches_the_api_its_role_allows(stack, site):
    url, _ = site
    for username, status in (("auditor", 200), ("secretariat", 200), ("working_group", 403)):
        answer = requests.get(f"{url}/api/records", timeout=30,
                              headers={"Authorization": f"Bearer {staff.access_token(stack, username)}"})
        assert answer.status_code == status, username
    assert answer.json() == {"ok": False, "error": "您的账号没有访问此页面所需的角色。", "code": "forbidden"}


def test_a_tampered_token_is_refused(stack, site):
    url, _ = site
    header, payload, signature = staff.access_token(stack, "working_group").split(".")
    other_payload = staff.access_token(stack, "auditor").split(".")[1]
    for forged in (f"{header}.{other_payload}.{signature}", f"{header}.{payload}.{signature[:-4]}AAAA",
                   f"{header}.{payload}."):
        answer = requests.get(f"{url}/api/records", headers={"Authorization": f"Bearer {forged}"}, timeout=30)
        assert answer.status_code == 401 and answer.json()["code"] == "invalid_token"
        assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_an_id_token_or_another_realms_token_is_not_an_access_token(stack, site):
    url, _ = site
    id_token = staff.password_grant(stack, "auditor")["id_token"]
    master = staff.admin_token(stack)
    for token in (id_token, master):
        answer = requests.get(f"{url}/api/records", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.status_code == 401


def test_a_token_for_another_audience_is_refused(stack, site):
    url, _ = site
    client_id = f"test-no-audience-{uuid.uuid4().hex[:8]}"
    secret = short_lived_client(stack, client_id, audience=None, lifespan=300)
    try:
        token = client_credentials(stack, client_id, secret)
        answer = requests.get(f"{url}/api/records", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.status_code == 401
    finally:
        delete_client(stack, client_id)


def test_an_expired_token_is_refused(stack, app_events):
    app, url, _ = app_events
    client_id = f"test-expiry-{uuid.uuid4().hex[:8]}"
    secret = short_lived_client(stack, client_id, audience="tuiju-intake", lifespan=1, role="auditor")
    verifier = app.extensions["staff_auth"].verifier
    try:
        token = client_credentials(stack, client_id, secret)
        headers = {"Authorization": f"Bearer {token}"}
        assert requests.get(f"{url}/api/records", headers=headers, timeout=30).status_code == 200
        time.sleep(2.5)
        verifier.leeway = 0  # so that the test need not wait out the allowance for clock skew
        assert requests.get(f"{url}/api/records", headers=headers, timeout=30).status_code == 401
    finally:
        verifier.leeway = LEEWAY_SECONDS
        delete_client(stack, client_id)


# --- a client of the test's own, made through Keycloak's admin API ---

def short_lived_client(env: dict, client_id: str, audience, lifespan: int, role: str = "") -> str:
    secret = uuid.uuid4().hex
    mappers = [{"name": "audience", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
                "config": {"included.client.audience": audience, "access.token.claim": "true"}}] if audience else []
    created = staff.admin_api(env, "POST", "/clients", json={
        "clientId": client_id, "secret": secret, "publicClient": False, "serviceAccountsEnabled": True,
        "standardFlowEnabled": False, "attributes": {"access.token.lifespan": str(lifespan)},
        "protocolMappers": mappers + [{"name": "roles", "protocol": "openid-connect",
                                       "protocolMapper": "oidc-usermodel-realm-role-mapper",
                                       "config": {"claim.name": "roles", "multivalued": "true",
                                                  "access.token.claim": "true"}}]})
    assert created.status_code == 201, created.text
    if role:
        (client,) = staff.admin_api(env, "GET", "/clients", params={"clientId": client_id}).json()
        account = staff.admin_api(env, "GET", f"/clients/{client['id']}/service-account-user").json()
        role_rep = staff.admin_api(env, "GET", f"/roles/{role}").json()
        assigned = staff.admin_api(env, "POST", f"/users/{account['id']}/role-mappings/realm", json=[role_rep])
        assert assigned.status_code == 204, assigned.text
    return secret


def client_credentials(env: dict, client_id: str, secret: str) -> str:
    response = requests.post(staff.token_endpoint(env), timeout=30, data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    response.raise_for_status()
    return response.json()["access_token"]


def delete_client(env: dict, client_id: str) -> None:
    for client in staff.admin_api(env, "GET", "/clients", params={"clientId": client_id}).json():
        staff.admin_api(env, "DELETE", f"/clients/{client['id']}")
