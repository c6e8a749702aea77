"""Direct uploads: a client may send a file straight to the S3 server, with a form signed for one key, and
then ask intake to record it. What intake gave out is a slot: for which nomination, which kind of file, under
which id, with what name and type, and when. These rules say whether a slot can still be recorded."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from services.intake.domain.upload_rules import UploadRefused

# How long the signed form works: long enough for 20 MB on a slow line.
FORM_LIFETIME = timedelta(minutes=15)
# How long after its form was given a slot can still be recorded (a slow upload finishing at the last
# second, then a retry). Well inside the hour after which the sweeper removes an unrecorded object.
SLOT_LIFETIME = FORM_LIFETIME + timedelta(minutes=15)


@dataclass(frozen=True)
class Slot:
    nomination_id: str
    kind: str
    upload_id: str
    filename: str
    content_type: str
    issued_at: datetime

    def as_payload(self) -> dict:
        return {**asdict(self), "issued_at": self.issued_at.isoformat()}

    @classmethod
    def from_payload(cls, payload) -> "Slot":
        """A slot from a signed payload; UploadRefused when it is not one (a payload of another version)."""
        try:
            return cls(**{**payload, "issued_at": datetime.fromisoformat(payload["issued_at"])})
        except (TypeError, KeyError, ValueError):
            raise UploadRefused("intake.direct_upload_slot_invalid") from None


def check_slot_usable(slot: Slot, nomination_id: str, kind: str, upload_id: str, now: datetime) -> None:
    """A slot records only the file it was given for, and only within SLOT_LIFETIME of being given."""
    if (slot.nomination_id, slot.kind, slot.upload_id) != (nomination_id, kind, upload_id):
        raise UploadRefused("intake.direct_upload_slot_invalid")
    if now - slot.issued_at > SLOT_LIFETIME:
        raise UploadRefused("intake.direct_upload_slot_expired", minutes=int(SLOT_LIFETIME.total_seconds() // 60))


def check_stored_matches(slot: Slot, content_type: str) -> None:
    """The S3 server holds the form's type (the signed policy says so); this is the record's own check."""
    if content_type != slot.content_type:
        raise UploadRefused("intake.direct_upload_type_changed")
