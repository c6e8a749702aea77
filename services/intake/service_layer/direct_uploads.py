"""Direct uploads (issue 19): the file goes from the client straight to the S3 server, not through intake.

1. `offer_direct_upload` checks what `add_upload` checks before storing (the nomination can take a file of
   this kind, type and declared size) and gives a form signed for one key in the quarantine prefix: the S3
   server itself refuses another key, another type, an empty file or one over the kind's limit, and the form
   after FORM_LIFETIME. With it comes a signed slot naming the file.
2. The client POSTs the file to the S3 server with that form.
3. `record_direct_upload` takes the slot back, reads the stored object (its size, type and SHA-256 are
   measured here, never taken from the client) and records it as `add_upload` records a file sent through
   intake: the same checks under the nomination's lock, the same scan.

An object whose slot is never recorded is removed by the orphan sweeper, as any unrecorded object is."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from services.intake.adapters.links import BadLink, direct_upload_from_token, direct_upload_token
from services.intake.bootstrap import Intake
from services.intake.domain.direct_uploads import FORM_LIFETIME, Slot, check_slot_usable, check_stored_matches
from services.intake.domain.file_names import shown_file_name
from services.intake.domain.upload_rules import UploadRefused
from services.intake.service_layer.uploads import check_may_upload, original_key, record_stored
from services.intake.service_layer.views import FileView
from shared.storage import ObjectTooLarge, UploadForm


@dataclass(frozen=True)
class DirectUploadOffer:
    upload_id: str
    form: UploadForm
    slot: str
    max_bytes: int

    @property
    def expires_at(self) -> datetime:
        return self.form.expires_at


def offer_direct_upload(intake: Intake, nomination_id: str, kind: str, *, filename: str, content_type: str,
                        size: int) -> DirectUploadOffer:
    requirement = check_may_upload(intake, nomination_id, kind, content_type, size)
    upload_id = str(uuid.uuid4())
    form = intake.store.upload_form(original_key(nomination_id, upload_id), content_type=content_type,
                                    max_size=requirement.max_bytes, expires=FORM_LIFETIME)
    slot = Slot(nomination_id, kind, upload_id, shown_file_name(filename), content_type, intake.clock())
    return DirectUploadOffer(upload_id, form, direct_upload_token(intake.settings.secret_key, slot.as_payload()),
                             requirement.max_bytes)


def record_direct_upload(intake: Intake, nomination_id: str, kind: str, upload_id: str, slot_token: str) -> FileView:
    slot = _slot(intake, slot_token)
    check_slot_usable(slot, nomination_id, kind, upload_id, intake.clock())
    key = original_key(nomination_id, upload_id)
    try:
        stored = intake.store.measure(key, max_size=intake.campaign.upload(kind).max_bytes)
        if stored is None:
            raise UploadRefused("intake.direct_upload_missing")
        check_stored_matches(slot, stored.content_type)
    except (UploadRefused, ObjectTooLarge):
        intake.store.remove(key)
        raise
    return record_stored(intake, nomination_id, kind, upload_id, stored, slot.filename, retry_may_repeat=True)


def _slot(intake: Intake, token: str) -> Slot:
    try:
        return Slot.from_payload(direct_upload_from_token(intake.settings.secret_key, token))
    except BadLink:
        raise UploadRefused("intake.direct_upload_slot_invalid") from None
