"""Staff sign-in events as each service receives them; a service passes its own recorder to persist them."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Tuple

logger = logging.getLogger("tuiju.staff_auth")

SIGN_IN, SIGN_OUT, SIGN_IN_FAILED = "sign_in", "sign_out", "sign_in_failed"


@dataclass(frozen=True)
class StaffAuthEvent:
    kind: str                 # sign_in, sign_out or sign_in_failed
    service: str
    subject: str = ""         # empty when a sign-in failed before the provider named the user
    username: str = ""
    roles: Tuple[str, ...] = ()
    reason: str = ""          # why a sign-in failed
    remote_addr: str = ""
    user_agent: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


Recorder = Callable[[StaffAuthEvent], None]


def log_event(event: StaffAuthEvent) -> None:
    """The recorder every service has: one JSON log line per event."""
    logger.info("staff %s", event.kind, extra={
        "staff_event": event.kind, "service": event.service, "subject": event.subject, "username": event.username,
        "roles": list(event.roles), "reason": event.reason, "remote_addr": event.remote_addr})
