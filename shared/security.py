"""Security headers on every response of every web process, and private tokens kept out of logs.

The Content-Security-Policy allows scripts, styles, images and fonts from the service's own origin only:
no inline script, no inline event handler, no inline style (the templates keep theirs in static files),
and no page may be framed. HSTS is sent only over TLS (a browser ignores it otherwise, and on plain http
on one machine it would do harm if it did not)."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Flask, request

HSTS = "max-age=31536000; includeSubDomains"
# Path segments that are private links: intake's nomination and status links, invitations, e-mail
# verification (signed itsdangerous tokens, 20+ URL-safe characters). A nomination's UUID is no secret.
TOKEN_SEGMENT = re.compile(r"(?<=/)(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:/|$))"
                           r"[A-Za-z0-9_\-.~]{20,}(?=/|$)")
SECRET_PARAMETERS = {"token", "code", "state", "session_state", "key", "next", "id_token_hint"}
REDACTED = "[redacted]"


def content_security_policy(form_targets: tuple[str, ...] = ()) -> str:
    form_action = " ".join(("'self'", *form_targets))
    return "; ".join((
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
        f"form-action {form_action}", "frame-ancestors 'none'",
    ))


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def secure_headers(app: Flask, settings) -> None:
    """Sign-in and sign-out forms lead to the identity provider: its origin is a form target too."""
    provider = origin_of(getattr(settings, "oidc_issuer", "") or "")
    policy = content_security_policy((provider,) if provider else ())
    always_tls = settings.public_url.startswith("https://")

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"  # a private link never leaves in a Referer
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure or always_tls:
            response.headers["Strict-Transport-Security"] = HSTS
        return response


def redact_path(path: str) -> str:
    return TOKEN_SEGMENT.sub(REDACTED, path)


def redact_query(query: str) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(name, REDACTED if name.lower() in SECRET_PARAMETERS or len(value) >= 20 else value)
                      for name, value in pairs], safe="[]")


def redact_url(url: str) -> str:
    """A path with its query, or a whole URL (a Referer), with its private parts replaced."""
    parts = urlsplit(url)
    redacted = redact_path(parts.path) + (f"?{redact_query(parts.query)}" if parts.query else "")
    return f"{parts.scheme}://{parts.netloc}{redacted}" if parts.netloc else redacted
