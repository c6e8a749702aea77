"""devstack/servers/keycloak.py: the realm a profile imports, built from the repository's realm file."""
from __future__ import annotations

import json

import pytest

from devstack.base import DevstackError
from devstack.servers import keycloak
from shared.config import DEV_OIDC_ISSUER, Settings, dev_oidc_client_secret

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def realm() -> dict:
    return keycloak.devstack_realm(keycloak.REALM_FILE.read_text(), keycloak.DEMO_USERS_FILE.read_text())


def test_fill_placeholders_uses_values_then_defaults_and_refuses_unknown_names():
    assert keycloak.fill_placeholders('{"a": "${X}", "b": "${Y:fallback}"}', {"X": 'quo"te'}) == \
        '{"a": "quo\\"te", "b": "fallback"}'
    with pytest.raises(DevstackError, match="NOT_SET"):
        keycloak.fill_placeholders('"${NOT_SET}"', {})


def test_devstack_realm_gives_each_client_the_devstack_secret(realm):
    secrets = {client["clientId"]: client["secret"] for client in realm["clients"]}
    assert secrets == {f"tuiju-{name}": keycloak.dev_client_secret(name) for name in keycloak.CLIENTS}


def test_devstack_secrets_are_those_the_services_assume_in_dev_and_test():
    for service in keycloak.SERVICES:
        assert keycloak.dev_client_secret(service) == dev_oidc_client_secret(service)
        assert Settings.from_env(service, {"TUIJU_ENV": "test"}).oidc_client_secret == dev_oidc_client_secret(service)
    assert DEV_OIDC_ISSUER == keycloak.env("run")["TUIJU_OIDC_ISSUER"]


def test_devstack_realm_lets_browser_clients_return_to_any_loopback_port(realm):
    for client in realm["clients"]:
        if client["standardFlowEnabled"]:
            assert client["redirectUris"] == ["http://127.0.0.1:*", "http://localhost:*"]
            assert client["attributes"]["post.logout.redirect.uris"] == "+"


def test_devstack_realm_adds_a_demo_user_for_every_role_and_one_without(realm):
    people = [user for user in realm["users"] if "serviceAccountClientId" not in user]
    roles = {user["username"]: set(user["realmRoles"]) for user in people}
    assert {role for held in roles.values() for role in held} == {r["name"] for r in realm["roles"]["realm"]}
    assert roles["no_role"] == set()
    assert all(user["emailVerified"] and user["firstName"] and user["lastName"] for user in people)


def test_devstack_realm_digest_changes_with_the_realm_file():
    realm_text, users_text = keycloak.REALM_FILE.read_text(), keycloak.DEMO_USERS_FILE.read_text()
    first = keycloak.devstack_realm(realm_text, users_text)["attributes"][keycloak.DIGEST_ATTRIBUTE]
    changed = realm_text.replace('"failureFactor": 5', '"failureFactor": 6')
    assert changed != realm_text
    assert keycloak.devstack_realm(changed, users_text)["attributes"][keycloak.DIGEST_ATTRIBUTE] != first


def test_repository_realm_file_has_no_people_and_no_literal_secret():
    realm = json.loads(keycloak.REALM_FILE.read_text())
    assert sorted(user["serviceAccountClientId"] for user in realm["users"]) == ["tuiju-audit", "tuiju-tools"]
    assert all(client["secret"].startswith("${TUIJU_OIDC_SECRET_") for client in realm["clients"])


def test_snapshot_name_is_stable_and_changes_with_the_realm_and_the_build():
    from devstack.servers import keycloak_snapshot

    first = keycloak_snapshot.snapshot_path("26.7.3", "--db=postgres", "a" * 64)
    assert first == keycloak_snapshot.snapshot_path("26.7.3", "--db=postgres", "a" * 64)
    assert first != keycloak_snapshot.snapshot_path("26.7.3", "--db=postgres", "b" * 64)
    assert first != keycloak_snapshot.snapshot_path("26.7.3", "--db=postgres --features=x", "a" * 64)
    assert first.name.startswith("26.7.3-") and first.suffix == ".sql"
