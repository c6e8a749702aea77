"""The secretariat on a desktop: opens intake's admin, signs in on Keycloak's own login page (in Chinese),
sees the secretariat's overview under their own name, and signs out of both."""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests import staff
from tests.e2e.browser import chromium, intake_alone, shoot

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def intake_web(stack):
    with intake_alone(stack, "intake-web-staff") as url:
        yield url


def test_secretariat_signs_in_on_keycloaks_page_opens_intakes_admin_and_signs_out(intake_web, stack):
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        page.goto(f"{intake_web}/admin/")
        assert page.url.startswith(staff.issuer(stack) + "/protocol/openid-connect/auth")
        page.wait_for_selector("#kc-form-login")
        assert "登录" in page.content()
        shoot(page, "staff-keycloak-login-desktop")
        page.fill("#username", "secretariat")
        page.fill("#password", staff.DEMO_PASSWORD)
        page.click("#kc-login")
        page.wait_for_url(f"{intake_web}/admin/")
        expect(page.get_by_role("heading", name="秘书处 · 申报概况")).to_be_visible()
        assert "王晓梅（秘书处）" in page.inner_text(".staff-bar")
        shoot(page, "staff-intake-admin-desktop")

        page.get_by_role("link", name="退出登录").click()
        page.wait_for_url(f"{intake_web}/auth/signed-out*")
        expect(page.get_by_role("heading", name="您已退出登录")).to_be_visible()
        page.goto(f"{intake_web}/admin/")
        page.wait_for_selector("#kc-form-login")  # the provider's session ended too: the password again


def test_a_wrong_password_stays_on_keycloaks_page_and_never_reaches_the_admin(intake_web, stack):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page.goto(f"{intake_web}/admin/")
        page.fill("#username", "nobody-here")
        page.fill("#password", "not-the-password")
        page.click("#kc-login")
        page.wait_for_selector("#input-error, .kc-feedback-text, [id*=error]")
        assert page.url.startswith(staff.issuer(stack))
        shoot(page, "staff-keycloak-refused-phone")
