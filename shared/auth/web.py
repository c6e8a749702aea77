"""Staff sign-in for a Flask app: OpenID Connect (authorisation code + PKCE) against the provider, through
Authlib's Flask client; the signed-in user in Flask's signed session; bearer tokens for JSON APIs."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import wraps
from typing import Callable, Optional

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import (Blueprint, Flask, Response, current_app, g, jsonify, redirect, render_template, request, session,
                   url_for)
from joserfc.errors import JoseError

from shared.auth import audit
from shared.auth.model import StaffUser, from_session, message, staff_from_claims, to_session
from shared.auth.tokens import InvalidToken, TokenVerifier
from shared.config import ConfigError, Settings
from shared.redirects import safe_next
from shared.request_limits import limit_endpoints, make_limiter
from shared.storable_text import storable

logger = logging.getLogger("tuiju.staff_auth")
SESSION_USER, SESSION_ID_TOKEN, SESSION_NEXT = "staff", "staff_id_token", "staff_next"
# Staff are few, but a whole office may share one address; the provider locks out password guessing itself.
SIGN_IN_LIMIT = "30 per minute;600 per hour"
PROVIDER_ERRORS = (requests.RequestException, OAuthError, JoseError, KeyError, ValueError, RuntimeError)


@dataclass
class StaffAuth:
    """What init_staff_auth leaves in app.extensions["staff_auth"]."""
    service: str
    client_id: str
    client: object  # Authlib's Flask OAuth2 client of this service's confidential client
    verifier: TokenVerifier
    record: audit.Recorder


def init_staff_auth(app: Flask, settings: Settings, client_id: Optional[str] = None,
                    record: Optional[audit.Recorder] = None) -> StaffAuth:
    """Register /auth/login, /auth/callback, /auth/logout and /auth/signed-out on app.

    client_id defaults to tuiju-<service>; record receives every sign-in, sign-out and failed sign-in (each
    event is logged whatever record does; a record that raises refuses the sign-in rather than lose it).
    """
    if not settings.oidc_issuer or not settings.oidc_client_secret:
        raise ConfigError(f"TUIJU_OIDC_ISSUER 与 TUIJU_OIDC_SECRET_{settings.service.upper()} 未设置：工作人员登录需要它们 / "
                          f"TUIJU_OIDC_ISSUER and TUIJU_OIDC_SECRET_{settings.service.upper()} are required")
    client_id = client_id or f"tuiju-{settings.service}"
    metadata_url = settings.oidc_metadata_url or f"{settings.oidc_issuer}/.well-known/openid-configuration"
    client = OAuth(app).register(
        "staff", client_id=client_id, client_secret=settings.oidc_client_secret, server_metadata_url=metadata_url,
        client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256", "timeout": 10})
    verifier = TokenVerifier(settings.oidc_issuer, client_id, lambda force: client.fetch_jwk_set(force=force))
    auth = StaffAuth(settings.service, client_id, client, verifier, _recorder(record))
    app.extensions["staff_auth"] = auth
    over_tls = settings.public_url.startswith("https://")
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=bool(app.config.get("SESSION_COOKIE_SECURE")) or over_tls)
    if app.config["SESSION_COOKIE_NAME"] == "session":  # the services may share a host name: one cookie each
        app.config["SESSION_COOKIE_NAME"] = f"tuiju_{settings.service}_session"
    app.register_blueprint(_blueprint(settings.oidc_issuer))
    # Each sign-in attempt costs a round trip to the provider and an audit event: limited per client address.
    limit_endpoints(app, make_limiter(app, settings), {"staff_auth.login": SIGN_IN_LIMIT,
                                                       "staff_auth.callback": SIGN_IN_LIMIT}, methods=("GET",))
    app.context_processor(lambda: {"current_staff": current_staff})
    return auth


def _recorder(record: Optional[audit.Recorder]) -> audit.Recorder:
    def both(event: audit.StaffAuthEvent) -> None:
        audit.log_event(event)
        if record:
            record(event)
    return both


def _auth() -> StaffAuth:
    return current_app.extensions["staff_auth"]


def _english() -> bool:
    return request.accept_languages.best_match(["zh", "en"], default="zh") == "en"


def _event(kind: str, user: Optional[StaffUser] = None, reason: str = "") -> audit.StaffAuthEvent:
    return audit.StaffAuthEvent(
        kind=kind, service=_auth().service, subject=user.subject if user else "",
        username=user.username if user else "", roles=tuple(sorted(user.roles)) if user else (), reason=reason[:500],
        remote_addr=request.remote_addr or "", user_agent=storable(request.user_agent.string)[:300])


def _blueprint(issuer: str) -> Blueprint:
    bp = Blueprint("staff_auth", __name__, url_prefix="/auth", template_folder="templates", static_folder="static")

    @bp.get("/login")
    def login():
        session[SESSION_NEXT] = safe_next(request.args.get("next"), "/")
        try:
            return _auth().client.authorize_redirect(url_for("staff_auth.callback", _external=True))
        except PROVIDER_ERRORS as error:
            logger.warning("identity provider unavailable: %s", error)
            return _page("provider_unavailable", 503)

    @bp.get("/callback")
    def callback():
        try:
            token = _auth().client.authorize_access_token(claims_options={"iss": {"essential": True, "values": [issuer]}})
            user = staff_from_claims(token["userinfo"])
        except PROVIDER_ERRORS as error:
            _auth().record(_event(audit.SIGN_IN_FAILED, reason=f"{type(error).__name__}: {error}"))
            return _page("sign_in_failed", 400)
        _auth().record(_event(audit.SIGN_IN, user))
        target = safe_next(session.pop(SESSION_NEXT, None), "/")
        session[SESSION_USER] = to_session(user, _auth().client_id)
        session[SESSION_ID_TOKEN] = token.get("id_token", "")
        return redirect(target)

    @bp.route("/logout", methods=["GET", "POST"])
    def logout():
        user = from_session(session.get(SESSION_USER), _auth().client_id)
        id_token = session.pop(SESSION_ID_TOKEN, None)
        session.pop(SESSION_USER, None)
        if user:
            _auth().record(_event(audit.SIGN_OUT, user))
        back = url_for("staff_auth.signed_out", _external=True)
        try:
            # Ends the provider's session too, else the next sign-in would pass without a password.
            return redirect(_auth().client.create_logout_url(post_logout_redirect_uri=back, id_token_hint=id_token,
                                                             client_id=_auth().client_id)["url"])
        except PROVIDER_ERRORS as error:
            logger.warning("identity provider unavailable at sign-out: %s", error)
            return redirect(back)

    @bp.errorhandler(429)
    def too_many(_error):
        return _page("too_many", 429)

    @bp.get("/signed-out")
    def signed_out():
        return render_template("staff_auth/signed_out.html", english=_english())

    return bp


def _page(code: str, status: int, user: Optional[StaffUser] = None) -> tuple:
    return render_template("staff_auth/refused.html", code=code, text=message(code, _english()), user=user,
                           english=_english()), status


def _json(code: str, status: int) -> Response:
    response = jsonify(ok=False, error=message(code, _english()), code=code)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = ('Bearer error="invalid_token"' if code == "invalid_token"
                                                else 'Bearer realm="tuiju"')
    return response


def _wants_json() -> bool:
    return (request.path.startswith("/api/") or "Authorization" in request.headers
            or request.accept_mimetypes.best == "application/json")


def _bearer() -> Optional[str]:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def current_staff() -> Optional[StaffUser]:
    """The signed-in staff user of this request (bearer token first, then the session), or None."""
    if "staff_user" not in g:
        g.staff_user, g.staff_token_error = None, None
        token = _bearer()
        if token is not None:
            try:
                g.staff_user = staff_from_claims(_auth().verifier.verify(token))
            except InvalidToken as error:
                g.staff_token_error = str(error)
        else:
            g.staff_user = from_session(session.get(SESSION_USER), _auth().client_id)
            if g.staff_user is None:
                session.pop(SESSION_USER, None)
    return g.staff_user


def staff_required(*roles: str) -> Callable:
    """Only staff holding one of these roles (any staff role when none is named) reach the view.

    Pages: not signed in → the provider's sign-in, then back here; signed in without the role → 403 page.
    JSON (paths under /api/, a bearer token, or JSON asked for): 401 or 403 with {"ok", "error", "code"}.
    """
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            return refusal(roles) or view(*args, **kwargs)
        return guarded
    return decorate


def protect_blueprint(bp: Blueprint, *roles: str) -> None:
    """staff_required(*roles) for every view of the blueprint."""
    bp.before_request(lambda: refusal(roles))


def bearer_required_for_changes(bp: Blueprint) -> None:
    """A JSON API whose changes (every method but GET and HEAD) need a bearer token: a browser's session
    cookie alone cannot make them, so they need no CSRF token (exempt the blueprint from CSRF)."""
    def require_bearer():
        if request.method not in ("GET", "HEAD", "OPTIONS") and _bearer() is None:
            return _json("bearer_required", 401)
        return None
    bp.before_request(require_bearer)


def refusal(roles) -> Optional[object]:
    """The answer refusing this request to staff without one of roles; None when it may go on."""
    user = current_staff()
    if user is None:
        return _refuse_anonymous()
    if not user.has_any(roles):
        return _json("forbidden", 403) if _wants_json() else _page("forbidden", 403, user)
    return None


def _refuse_anonymous():
    if g.get("staff_token_error"):
        logger.info("bearer token refused: %s", g.staff_token_error)
        return _json("invalid_token", 401)
    if _wants_json():
        return _json("unauthenticated", 401)
    return redirect(url_for("staff_auth.login", next=request.full_path.rstrip("?")))
