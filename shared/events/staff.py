"""Staff sign-in events: each service publishes the sign-ins, sign-outs and failed sign-ins it received
(key: the user's subject at the identity provider); the archive keeps them with every other event."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.registry import register
from shared.events.topics import STAFF

ROLES = ("secretariat", "working_group", "branch", "committee", "auditor")


class _StaffSignIn(Schema):
    class Meta:
        unknown = "exclude"

    service = fields.String(required=True, validate=validate.OneOf(("intake", "review", "notify", "archive")))
    subject = fields.String(load_default="", validate=validate.Length(max=256))
    username = fields.String(load_default="", validate=validate.Length(max=256))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)
    remote_addr = fields.String(load_default="", validate=validate.Length(max=64))
    user_agent = fields.String(load_default="", validate=validate.Length(max=300))


@register("staff.signed_in", 1, STAFF)
class StaffSignedIn(_StaffSignIn):
    pass


@register("staff.signed_out", 1, STAFF)
class StaffSignedOut(_StaffSignIn):
    pass


@register("staff.sign_in_failed", 1, STAFF)
class StaffSignInFailed(_StaffSignIn):
    reason = fields.String(required=True, validate=validate.Length(max=500))


@register("staff.provider_event", 1, STAFF)
class StaffProviderEvent(Schema):
    """One event of the identity provider's own record (Keycloak): a sign-in or a failed one at its login
    page, a sign-out there, or an administrator's change (a role granted or taken, a user created)."""

    class Meta:
        unknown = "exclude"

    source = fields.String(required=True, validate=validate.OneOf(("keycloak",)))
    category = fields.String(required=True, validate=validate.OneOf(("user", "admin")))
    type = fields.String(required=True, validate=validate.Length(min=1, max=100))  # LOGIN_ERROR, or "CREATE REALM_ROLE_MAPPING"
    provider_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    time = fields.String(required=True)
    user_id = fields.String(load_default="", validate=validate.Length(max=100))
    username = fields.String(load_default="", validate=validate.Length(max=256))
    client_id = fields.String(load_default="", validate=validate.Length(max=256))
    ip_address = fields.String(load_default="", validate=validate.Length(max=64))
    error = fields.String(load_default="", validate=validate.Length(max=256))
    resource_path = fields.String(load_default="", validate=validate.Length(max=500))
    detail = fields.String(load_default="", validate=validate.Length(max=2000))
