"""Debian's Chromium, driven by Playwright (no browser download), and the processes of the system
started as a user would run them, on ports of their own."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from tests.outboxes import set_aside_unsent_of
from tests.stack import REPO, wait_until

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = REPO / ".devstack" / "screenshots"


def overflowing(page, width: int) -> list[str]:
    """The innermost elements that reach past `width` pixels, as short HTML, so a failing phone check says
    which part of the page is too wide (empty when the page fits)."""
    return page.evaluate("""width => {
      const past = e => e.getBoundingClientRect().right > width + 0.5;
      const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible' && !past(a)) return true; return false; };
      return Array.from(document.body.querySelectorAll('*')).filter(e => past(e) && !clipped(e))
        .filter(e => !Array.from(e.children).some(past)).slice(0, 5).map(e => e.outerHTML.slice(0, 200)); }""",
        width)


@contextmanager
def chromium():
    from playwright.sync_api import expect, sync_playwright

    # A page reached by a click may still be loading on a busy machine: expectations wait for it, up to this.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield ChineseFirst(browser)
        finally:
            browser.close()


class ChineseFirst:
    """The browser of a Chinese reader: its pages and contexts ask for Chinese (Accept-Language) unless a test
    gives another locale (Playwright's default is en-US, and the pages speak English to it)."""

    def __init__(self, browser):
        self._browser = browser

    def new_page(self, **options):
        return self._browser.new_page(**{"locale": "zh-CN", **options})

    def new_context(self, **options):
        return self._browser.new_context(**{"locale": "zh-CN", **options})

    def __getattr__(self, name):
        return getattr(self._browser, name)


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def processes(env: dict, commands: dict[str, list[str]], ready_url: str | None = None):
    """Starts each command with `env`, waits for `ready_url` to answer, stops them all at the end. A relay among
    them does not publish what earlier tests left unsent in its outbox (tests/outboxes.py)."""
    logs = REPO / ".devstack" / "e2e-logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = {}
    full_env = {**os.environ, **env, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    set_aside_unsent_of(env, *(name.removesuffix("-relay") for name in commands if name.endswith("-relay")))
    try:
        for name, command in commands.items():
            log = open(logs / f"{name}.log", "wb")
            started[name] = subprocess.Popen(command, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        if ready_url:
            wait_until(lambda: _answers(ready_url), 60, what=ready_url)
        yield started
    finally:
        for process in started.values():
            process.terminate()
        for process in started.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def applicant_system(stack: dict, port: int, notify_port: int | None = None) -> tuple[dict, dict[str, list[str]]]:
    """The environment and commands of what an applicant meets: intake's web, relay and scan worker, and
    notify's consumer and worker (mail to Mailpit); with `notify_port`, notify's admin pages as well."""
    env = {**stack, "TUIJU_DEMO": "1", "TUIJU_INTAKE_URL": f"http://127.0.0.1:{port}",
           "TUIJU_CONSUMER_GROUP": f"notify-e2e-{uuid.uuid4().hex[:6]}"}
    python = sys.executable
    commands = {
        "intake-web": [python, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-c", "python:shared.gunicorn_conf",
                       "-w", "1", "--threads", "4", "services.intake.entrypoints.web:create_app()"],
        "intake-relay": [python, "-m", "services.intake.entrypoints.relay"],
        "intake-worker": [python, "-m", "celery", "-A", "services.intake.entrypoints.worker", "worker",
                          "-Q", "scans", "-c", "1", "-n", f"e2e-intake-{port}@%h"],
        "notify-consumer": [python, "-m", "services.notify.entrypoints.consumer"],
        "notify-worker": [python, "-m", "celery", "-A", "services.notify.entrypoints.worker", "worker",
                          "-c", "1", "-n", f"e2e-notify-{port}@%h"],
    }
    if notify_port is not None:
        commands["notify-web"] = [python, "-m", "gunicorn", "-b", f"127.0.0.1:{notify_port}", "-c", "python:shared.gunicorn_conf",
                                  "-w", "1", "--threads", "2", "services.notify.entrypoints.web:create_app()"]
    return env, commands


@contextmanager
def intake_alone(stack: dict, name: str = "intake-web"):
    """Intake's web process by itself on a port of its own (the demo campaign, open now); yields its URL."""
    port = free_port()
    env = {**stack, "TUIJU_DEMO": "1", "TUIJU_INTAKE_URL": f"http://127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "4",
               "services.intake.entrypoints.web:create_app()"]
    with processes(env, {name: command}, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield f"http://127.0.0.1:{port}"


def sign_in_on_keycloak(page, start_url: str, username: str = "secretariat") -> None:
    """Open a staff page and sign in as a demo user on Keycloak's own form, back to the page."""
    from tests import staff

    page.goto(start_url)
    page.wait_for_selector("#kc-form-login")
    page.fill("#username", username)
    page.fill("#password", staff.DEMO_PASSWORD)
    page.click("#kc-login")
    page.wait_for_url(start_url.split("?")[0] + "*")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except OSError:
        return False


def mail_to(mailpit_api: str, address: str, timeout: float = 90, subject: str = "") -> dict:
    """The newest message to `address` (whose subject holds `subject`, when given), read through Mailpit's
    REST API, waiting for it to arrive."""
    found: dict = {}

    def arrived() -> bool:
        query = urllib.parse.quote(f"to:{address}" + (f' subject:"{subject}"' if subject else ""))
        with urllib.request.urlopen(f"{mailpit_api}/api/v1/search?query={query}", timeout=5) as response:
            messages = json.load(response)["messages"]
        if messages:
            with urllib.request.urlopen(f"{mailpit_api}/api/v1/message/{messages[0]['ID']}", timeout=5) as response:
                found.update(json.load(response))
        return bool(found)

    wait_until(arrived, timeout, interval=1, what=f"mail to {address}")
    return found


def first_link(text: str, prefix: str) -> str:
    match = re.search(re.escape(prefix) + r"\S+", text)
    assert match, f"no link starting {prefix} in: {text[:500]}"
    return match.group(0).rstrip("。，,.)）")


_GIVEN_PORTS: set[int] = set()


def free_port() -> int:
    """A free port not handed out before in this run: a port released after its probe can be offered again
    at once, and two servers of one test would then ask for the same one."""
    import socket

    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _GIVEN_PORTS:
            _GIVEN_PORTS.add(port)
            return port

