"""A direct upload's slot records only the file it was given for, only while it is fresh, and only a
stored object of the type it declared."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.intake.domain.direct_uploads import (
    SLOT_LIFETIME, Slot, check_slot_usable, check_stored_matches,
)
from services.intake.domain.upload_rules import UploadRefused

GIVEN = datetime(2023, 2, 28, 15, 0, tzinfo=timezone.utc)
SLOT = Slot("n-1", "photo", "u-1", "照片.jpg", "image/jpeg", GIVEN)


def refusal_code(action) -> str:
    with pytest.raises(UploadRefused) as refused:
        action()
    return refused.value.refusal.code


def test_a_slot_survives_its_signed_payload_unchanged():
    assert Slot.from_payload(SLOT.as_payload()) == SLOT


@pytest.mark.parametrize("payload", [{}, {"nomination_id": "n-1"}, {**SLOT.as_payload(), "issued_at": "yesterday"},
                                     {**SLOT.as_payload(), "extra": 1}, ["n-1"]])
def test_a_payload_that_is_not_a_slot_is_refused(payload):
    assert refusal_code(lambda: Slot.from_payload(payload)) == "intake.direct_upload_slot_invalid"


def test_a_fresh_slot_records_its_own_file_up_to_the_last_second_of_its_lifetime():
    check_slot_usable(SLOT, "n-1", "photo", "u-1", GIVEN)
    check_slot_usable(SLOT, "n-1", "photo", "u-1", GIVEN + SLOT_LIFETIME)


@pytest.mark.parametrize("target", [("n-2", "photo", "u-1"), ("n-1", "certificate", "u-1"), ("n-1", "photo", "u-2")])
def test_a_slot_does_not_record_another_nominations_kinds_or_uploads_file(target):
    assert refusal_code(lambda: check_slot_usable(SLOT, *target, GIVEN)) == "intake.direct_upload_slot_invalid"


def test_a_slot_past_its_lifetime_is_refused_saying_how_long_it_lasts():
    later = GIVEN + SLOT_LIFETIME + timedelta(seconds=1)
    with pytest.raises(UploadRefused) as refused:
        check_slot_usable(SLOT, "n-1", "photo", "u-1", later)
    assert refused.value.refusal.code == "intake.direct_upload_slot_expired"
    assert refused.value.refusal.params == {"minutes": 30}


def test_a_stored_object_of_another_type_than_declared_is_refused():
    check_stored_matches(SLOT, "image/jpeg")
    assert refusal_code(lambda: check_stored_matches(SLOT, "text/html")) == "intake.direct_upload_type_changed"
