"""Staff accounts of the devstack's Keycloak for tests: the demo users, tokens, a browser-like sign-in."""
from __future__ import annotations

import html
import re
from typing import Optional

import requests

from devstack.servers import keycloak as devstack_keycloak

DEMO_PASSWORD = "Tuiju-demo-2023"
# Each demo user (deploy/keycloak/demo-users.json) holds the role of its name; no_role holds none.
ROLE_USERS = {"secretariat": "secretariat", "working_group": "working_group", "branch": "branch",
              "committee": "committee", "auditor": "auditor"}
NO_ROLE_USER = "no_role"
CLI_CLIENT = "tuiju-cli"
CLI_SECRET = devstack_keycloak.dev_client_secret("cli")
TOOLS_CLIENT = "tuiju-tools"  # the secretariat's tools: client credentials, the secretariat role, archive only
TOOLS_SECRET = devstack_keycloak.dev_client_secret("tools")


def issuer(env: dict) -> str:
    return env["TUIJU_OIDC_ISSUER"]


def token_endpoint(env: dict) -> str:
    return f"{issuer(env)}/protocol/openid-connect/token"


def password_grant(env: dict, username: str, password: str = DEMO_PASSWORD) -> dict:
    """The tokens a script gets for a user (tuiju-cli, password grant); raises on a refusal."""
    response = requests.post(token_endpoint(env), timeout=30, data={
        "grant_type": "password", "client_id": CLI_CLIENT, "client_secret": CLI_SECRET, "username": username,
        "password": password, "scope": "openid"})
    if response.status_code == 400 and password == DEMO_PASSWORD:
        # Keycloak's brute-force guard (5 failures) locks a demo user that earlier chaos and role tests
        # offered wrong passwords for, and answers 400 alike: lift the lock and ask once more.
        admin_api(env, "DELETE", "/attack-detection/brute-force/users")
        response = requests.post(token_endpoint(env), timeout=30, data={
            "grant_type": "password", "client_id": CLI_CLIENT, "client_secret": CLI_SECRET, "username": username,
            "password": password, "scope": "openid"})
    response.raise_for_status()
    return response.json()


def access_token(env: dict, username: str) -> str:
    return password_grant(env, username)["access_token"]


def tools_token(env: dict) -> str:
    """The access token the secretariat's tools get with their client's credentials."""
    response = requests.post(token_endpoint(env), timeout=30, data={
        "grant_type": "client_credentials", "client_id": TOOLS_CLIENT, "client_secret": TOOLS_SECRET})
    response.raise_for_status()
    return response.json()["access_token"]


def admin_token(env: dict) -> str:
    base = issuer(env).rsplit("/realms/", 1)[0]
    response = requests.post(f"{base}/realms/master/protocol/openid-connect/token", timeout=30, data={
        "grant_type": "password", "client_id": "admin-cli", "username": devstack_keycloak.ADMIN_USER,
        "password": devstack_keycloak.ADMIN_PASSWORD})
    response.raise_for_status()
    return response.json()["access_token"]


def admin_api(env: dict, method: str, path: str, **kwargs) -> requests.Response:
    base = issuer(env).replace("/realms/", "/admin/realms/")
    return requests.request(method, base + path, headers={"Authorization": f"Bearer {admin_token(env)}"},
                            timeout=30, **kwargs)


LOGIN_FORM = re.compile(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', re.S)


def login_form_action(page: str) -> Optional[str]:
    match = LOGIN_FORM.search(page)
    return html.unescape(match.group(1)) if match else None


def loopback_cookies_as_a_browser_keeps_them(browser: requests.Session) -> None:
    """Keycloak's cookies are Secure; browsers send them to http://127.0.0.1 (a secure context), requests not."""
    for cookie in browser.cookies:
        if cookie.domain in ("127.0.0.1", "localhost", "localhost.local"):
            cookie.secure = False


def sign_in(browser: requests.Session, start_url: str, username: str, password: str = DEMO_PASSWORD) -> requests.Response:
    """What a person does in a browser: open a staff page, land on Keycloak's form, fill it in, come back."""
    return fill_in_login_form(browser, browser.get(start_url, timeout=30), username, password)


def fill_in_login_form(browser: requests.Session, page: requests.Response, username: str,
                       password: str = DEMO_PASSWORD) -> requests.Response:
    action = login_form_action(page.text)
    if action is None:
        return page  # already signed in at the provider: straight back
    loopback_cookies_as_a_browser_keeps_them(browser)
    return browser.post(action, data={"username": username, "password": password, "credentialId": ""}, timeout=30)


def as_staff(client, env: dict, username: str):
    """A Flask test client that sends a bearer token of this demo user with every request (a script's way in)."""
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {access_token(env, username)}"
    return client
