"""deploy/keycloak/tuiju-realm.json: the realm every environment imports (devstack, compose, Kubernetes)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.auth import STAFF_ROLES

pytestmark = pytest.mark.unit

REALM = json.loads((Path(__file__).resolve().parents[2] / "deploy" / "keycloak" / "tuiju-realm.json").read_text())
SERVICES = ("intake", "review", "notify", "archive")


def clients() -> dict:
    return {client["clientId"]: client for client in REALM["clients"]}


def mappers(client: dict, kind: str) -> list:
    return [mapper for mapper in client.get("protocolMappers", []) if mapper["protocolMapper"] == kind]


def test_realm_defines_exactly_the_staff_roles():
    assert sorted(role["name"] for role in REALM["roles"]["realm"]) == sorted(STAFF_ROLES)


def test_each_staff_service_has_a_confidential_client_with_pkce_and_no_password_grant():
    for service in SERVICES:
        client = clients()[f"tuiju-{service}"]
        assert client["publicClient"] is False and client["standardFlowEnabled"] is True
        assert client["attributes"]["pkce.code.challenge.method"] == "S256"
        assert client["directAccessGrantsEnabled"] is False and client["implicitFlowEnabled"] is False
        assert client["redirectUris"] == [f"${{TUIJU_{service.upper()}_URL}}/auth/callback"]


def test_each_client_puts_its_audience_and_the_roles_in_its_tokens():
    for client_id, client in clients().items():
        if client_id == "tuiju-audit":
            continue  # it only reads Keycloak's own events
        audiences = {m["config"]["included.client.audience"] for m in mappers(client, "oidc-audience-mapper")}
        expected = {"tuiju-cli": {f"tuiju-{s}" for s in SERVICES}, "tuiju-tools": {"tuiju-archive"}}.get(client_id, {client_id})
        assert audiences == expected, client_id
        (roles,) = mappers(client, "oidc-usermodel-realm-role-mapper")
        assert roles["config"]["claim.name"] == "roles"
        assert roles["config"]["id.token.claim"] == roles["config"]["access.token.claim"] == "true"


def test_realm_has_password_policy_brute_force_protection_and_optional_totp():
    assert "length(12)" in REALM["passwordPolicy"] and "passwordHistory" in REALM["passwordPolicy"]
    assert REALM["bruteForceProtected"] is True and REALM["failureFactor"] <= 10
    (totp,) = [action for action in REALM["requiredActions"] if action["alias"] == "CONFIGURE_TOTP"]
    assert totp["enabled"] is True and totp["defaultAction"] is False


def test_realm_keeps_sign_in_and_admin_events_for_the_audit():
    assert REALM["eventsEnabled"] is True and REALM["adminEventsEnabled"] is True
    assert REALM["eventsExpiration"] >= 180 * 24 * 3600


def test_the_audit_client_may_only_read_events():
    audit = clients()["tuiju-audit"]
    assert audit["serviceAccountsEnabled"] and not audit["standardFlowEnabled"] and not audit["directAccessGrantsEnabled"]
    (account,) = [user for user in REALM["users"] if user.get("serviceAccountClientId") == "tuiju-audit"]
    assert account["clientRoles"] == {"realm-management": ["view-events"]} and not account.get("realmRoles")


def test_the_secretariat_tools_client_has_only_client_credentials_the_secretariat_role_and_the_archive():
    tools = clients()["tuiju-tools"]
    assert tools["serviceAccountsEnabled"] and not tools["standardFlowEnabled"]
    assert not tools["directAccessGrantsEnabled"] and not tools["implicitFlowEnabled"]
    (account,) = [user for user in REALM["users"] if user.get("serviceAccountClientId") == "tuiju-tools"]
    assert account["realmRoles"] == ["secretariat"] and not account.get("clientRoles")
