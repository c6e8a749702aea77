"""Keycloak's own record into the audit trail: a failed sign-in at the provider and a role granted by an
administrator, read through its admin API with the tuiju-audit client, land once in the archive's outbox."""
from __future__ import annotations

import uuid

import pytest
import requests
import sqlalchemy as sa

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.provider_events import Provider, collect
from shared.config import Settings
from shared.messaging.outbox import OUTBOX
from devstack.servers import keycloak as devstack_keycloak
from tests import staff

pytestmark = pytest.mark.integration


def provider_events(engine) -> list[dict]:
    with engine.connect() as conn:
        return [row.envelope for row in conn.execute(
            sa.select(OUTBOX.c.envelope).where(OUTBOX.c.event_type == "staff.provider_event"))]


def test_failed_sign_ins_and_role_changes_at_keycloak_reach_the_audit_trail_once(stack):
    ghost = f"ghost-{uuid.uuid4().hex[:8]}"
    refused = requests.post(staff.token_endpoint(stack), timeout=30, data={
        "grant_type": "password", "client_id": staff.CLI_CLIENT, "client_secret": staff.CLI_SECRET,
        "username": ghost, "password": "not-a-password"})
    assert refused.status_code in (400, 401) and refused.json()["error"] == "invalid_grant"
    created = staff.admin_api(stack, "POST", "/users", json={"username": f"temp-{ghost}", "enabled": True})
    user_id = created.headers["Location"].rsplit("/", 1)[1]
    try:
        auditor = staff.admin_api(stack, "GET", "/roles/auditor").json()
        assert staff.admin_api(stack, "POST", f"/users/{user_id}/role-mappings/realm", json=[auditor]).status_code == 204
        archive = bootstrap(Settings.from_env("archive", stack))
        provider = Provider.from_issuer(stack["TUIJU_OIDC_ISSUER"], "tuiju-audit",
                                        devstack_keycloak.dev_client_secret("audit"))
        assert collect(provider, archive.sessions) >= 2
        mine = [e for e in provider_events(archive.engine)
                if e["payload"].get("username") == ghost or user_id in e["payload"].get("resource_path", "")]
        types = sorted(e["payload"]["type"] for e in mine)
        assert "LOGIN_ERROR" in types and "CREATE REALM_ROLE_MAPPING" in types, types
        failed = next(e for e in mine if e["payload"]["type"] == "LOGIN_ERROR")
        assert failed["key"] == "unknown" and failed["payload"]["error"] == "user_not_found"
        collect(provider, archive.sessions)  # the same window again adds nothing of these
        again = [e for e in provider_events(archive.engine)
                 if e["payload"].get("username") == ghost or user_id in e["payload"].get("resource_path", "")]
        assert len(again) == len(mine)
        archive.engine.dispose()
    finally:
        staff.admin_api(stack, "DELETE", f"/users/{user_id}")
