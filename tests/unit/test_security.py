"""Private links out of the logs, and templates the Content-Security-Policy can serve as they are."""
import datetime
import re
from pathlib import Path

import pytest

from shared.access_log import RedactingLogger
from shared.security import content_security_policy, redact_path, redact_url

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = [path for pattern in ("services/*/entrypoints/templates/**/*.html", "shared/*/templates/**/*.html")
             for path in REPO.glob(pattern)]
TOKEN = "eyJuIjoiNmYxYzJiOWUifQ.ZxYwAb.C_dEfGhIjKlMnOpQrStUv"


@pytest.mark.parametrize("path, logged", [
    (f"/n/{TOKEN}", "/n/[redacted]"),
    (f"/n/{TOKEN}/files/photo", "/n/[redacted]/files/photo"),
    (f"/org/invite/{TOKEN}", "/org/invite/[redacted]"),
    (f"/api/v1/nominations/{TOKEN}/submit", "/api/v1/nominations/[redacted]/submit"),
    ("/api/events/6f1c2b9e-1234-4abc-8def-0123456789ab", "/api/events/6f1c2b9e-1234-4abc-8def-0123456789ab"),
    ("/admin/nominations", "/admin/nominations"),
])
def test_redact_path_hides_private_tokens_and_keeps_the_rest(path, logged):
    assert redact_path(path) == logged


def test_redact_url_hides_sign_in_codes_and_long_values_in_the_query_and_referer():
    assert redact_url("/auth/callback?code=abc&state=xyz&domain=3") == \
        "/auth/callback?code=[redacted]&state=[redacted]&domain=3"
    assert redact_url(f"https://intake.example.org/n/{TOKEN}?x=1") == "https://intake.example.org/n/[redacted]?x=1"


def test_access_log_line_of_a_private_link_carries_no_token():
    from gunicorn.config import Config

    config = Config()
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s')

    class Response:
        status, response_length, sent, headers = "200 OK", 10, 10, []

    class Request:
        headers = []

    query = f"next={TOKEN}"
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": f"/n/{TOKEN}", "QUERY_STRING": query, "RAW_URI": f"/n/{TOKEN}?{query}",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_REFERER": f"http://h/n/{TOKEN}", "REMOTE_ADDR": "1.2.3.4"}
    atoms = RedactingLogger(config).atoms(Response(), Request(), environ, datetime.timedelta(seconds=0.1))
    line = config.access_log_format % atoms
    assert TOKEN not in line
    assert '"GET /n/[redacted]?next=[redacted] HTTP/1.1"' in line and '"http://h/n/[redacted]"' in line


def test_policy_allows_no_inline_script_and_no_framing():
    policy = content_security_policy(("https://id.example.org",))
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "form-action 'self' https://id.example.org" in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "an inline style attribute"),
    (re.compile(r"<style", re.I), "a <style> block"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_page_template_has_inline_script_handler_or_style():
    assert len(TEMPLATES) > 20
    found = [f"{path.relative_to(REPO)}: {what}" for path in TEMPLATES
             for pattern, what in INLINE if pattern.search(path.read_text())]
    assert found == []
