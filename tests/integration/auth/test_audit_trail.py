"""Each staff sign-in and sign-out a service receives goes into its outbox as an event of the staff topic
(which the archive reads with every other topic): intake's real web app, Keycloak's real login form."""
from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa

from services.intake.entrypoints.web import create_app
from shared.messaging.outbox import OUTBOX
from tests import staff
from tests.builders import open_intake
from tests.integration.auth.harness import served

pytestmark = pytest.mark.integration


def staff_events_after(engine, last_id: int) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(OUTBOX.c.topic, OUTBOX.c.event_type, OUTBOX.c.key, OUTBOX.c.envelope)
                            .where(OUTBOX.c.id > last_id, OUTBOX.c.topic == "staff").order_by(OUTBOX.c.id)).all()


def test_intake_publishes_the_secretariats_sign_in_and_sign_out_for_the_audit_trail(stack):
    intake = open_intake(stack, [])
    try:
        with intake.engine.connect() as conn:
            last_id = conn.execute(sa.select(sa.func.coalesce(sa.func.max(OUTBOX.c.id), 0))).scalar()
        with served(create_app(stack, intake=intake)) as url:
            browser = requests.Session()
            assert staff.sign_in(browser, f"{url}/admin/", "secretariat").status_code == 200
            staff.loopback_cookies_as_a_browser_keeps_them(browser)
            browser.get(f"{url}/auth/logout", timeout=30)
        events = staff_events_after(intake.engine, last_id)
    finally:
        intake.engine.dispose()
    assert [row.event_type for row in events] == ["staff.signed_in", "staff.signed_out"]
    signed_in = events[0].envelope
    assert signed_in["producer"] == "intake" and signed_in["key"] == events[0].key != "unknown"
    assert signed_in["payload"]["username"] == "secretariat" and signed_in["payload"]["roles"] == ["secretariat"]
    assert signed_in["payload"]["service"] == "intake" and signed_in["payload"]["remote_addr"] == "127.0.0.1"
