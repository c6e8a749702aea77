"""Staff sign-in, the same for every service (OpenID Connect against the staff identity provider, Keycloak).

    from shared.auth import init_staff_auth, staff_required, current_staff

    init_staff_auth(app, settings)                 # /auth/login, /auth/callback, /auth/logout, /auth/signed-out
    init_staff_auth(app, settings, record=save)    # save(StaffAuthEvent) persists sign-ins, sign-outs, failures

    @bp.get("/admin/")
    @staff_required("secretariat")                 # any of the roles named; none named: any staff role
    def overview():
        user = current_staff()                     # StaffUser(subject, username, name, email, roles) or None

    protect_blueprint(bp, "secretariat")           # the same for every view of a blueprint
    init_staff_auth(app, settings, record=outbox_recorder(container.sessions))  # into the audit trail

Pages redirect to the provider's sign-in and show a 403 page (Chinese, or English when asked) to a user without
the role; JSON APIs (paths under /api/, or a bearer token) answer 401/403 as {"ok": false, "error", "code"}.
Scripts call JSON APIs with `Authorization: Bearer <access token>` from the tuiju-cli client (client credentials,
or the password grant); the token's audience must name this service's client (tuiju-<service>). The
secretariat's tools use tuiju-tools (client credentials; its service account holds the secretariat role, its
tokens name only tuiju-archive). `bearer_required_for_changes(bp)` keeps a JSON API's changes to bearer tokens.
Authorisation beyond the role (which domains a reviewer sees, ...) stays in each service, keyed by the subject.
"""
from shared.auth.audit import SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, StaffAuthEvent
from shared.auth.model import ROLE_LABELS, STAFF_ROLES, StaffUser
from shared.auth.recording import outbox_recorder
from shared.auth.web import bearer_required_for_changes, current_staff, init_staff_auth, protect_blueprint, staff_required

__all__ = ["init_staff_auth", "bearer_required_for_changes", "staff_required", "protect_blueprint", "current_staff", "StaffUser", "StaffAuthEvent", "STAFF_ROLES",
           "ROLE_LABELS", "SIGN_IN", "SIGN_OUT", "SIGN_IN_FAILED", "outbox_recorder"]
