import pytest

from services.archive.domain.dossier import final_files
from services.archive.domain.public_record import photo_of, public_record_of
from tests.unit.notify.builders import envelope, submission, team_submission

pytestmark = pytest.mark.unit
PHOTO = {"file_id": "F-photo", "kind": "photo", "object_key": "k/photo", "sha256": "a" * 64, "size": 10,
         "content_type": "image/jpeg", "filename": "照片.jpg"}
FORM = {**PHOTO, "file_id": "F-form", "kind": "sealed_form", "object_key": "k/form", "filename": "推荐表.pdf"}


def replaced(old_id: str, new: dict) -> dict:
    return envelope("nomination.file_replaced", {"nomination_id": "N-1", "campaign_id": "c", "replaced_file_id": old_id,
                                                 "file": new})


def test_final_files_swap_a_file_replaced_after_submission():
    new_form = {**FORM, "file_id": "F-form-2", "object_key": "k/form2"}
    events = [envelope("nomination.submitted", submission(nomination_id="N-1", files=[PHOTO, FORM])),
              replaced("F-form", new_form)]
    assert final_files(events) == [PHOTO, new_form]


def test_final_files_of_a_later_version_replace_the_earlier_ones():
    events = [envelope("nomination.submitted", submission(nomination_id="N-1", files=[PHOTO, FORM])),
              envelope("nomination.resubmitted", submission(nomination_id="N-1", version=2, files=[FORM]))]
    assert final_files(events) == [FORM]


def test_public_record_holds_what_the_announcement_shows_and_no_personal_field():
    snapshot = submission(nomination_id="N-1", files=[PHOTO, FORM])
    confirmed = envelope("honourees.confirmed", {"campaign_id": "c", "honourees": [
        {"nomination_id": "N-1", "nominee_name": snapshot["nominee_name"], "domain": snapshot["domain"]}]})
    record = public_record_of("N-1", [envelope("nomination.submitted", snapshot), confirmed])
    written = record.entries["record.json"].decode()
    assert all(text in written for text in (snapshot["nominee_name"], snapshot["person"]["unit"], snapshot["domain"],
                                            snapshot["deeds"][:20]))
    for value in (snapshot["person"]["phone"], snapshot["person"]["email"], snapshot["person"]["address"],
                  snapshot["contact"]["email"], snapshot["person"]["ethnic_group"]):
        assert value not in written
    assert '"announced_at": "2023-03-01T00:00:00+00:00"' in written
    assert photo_of([envelope("nomination.submitted", snapshot)]) == PHOTO


def test_public_record_of_a_team_names_the_team_its_members_and_has_no_photo():
    snapshot = team_submission(nomination_id="N-2", files=[FORM])
    record = public_record_of("N-2", [envelope("nomination.submitted", snapshot)])
    written = record.entries["record.json"].decode()
    assert "后勤保障服务团队" in written and "钱伟" in written and "13700001111" not in written
    assert photo_of([envelope("nomination.submitted", snapshot)]) is None


def test_no_public_record_without_a_submission():
    assert public_record_of("N-3", []) is None
