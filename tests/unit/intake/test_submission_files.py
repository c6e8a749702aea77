import pytest

from shared.i18n.catalogs import render

from services.intake.domain.submission import (FilesRefused, ScannedFile, ScansPending, SealNotConfirmed,
                                               check_files_ready)

pytestmark = pytest.mark.unit

PHOTO = ScannedFile("photo", "一寸免冠照", "photo.jpg", "ok")
SEALED = ScannedFile("sealed_form", "加盖公章的纸质报名表", "form.pdf", "ok")
UNSEALED = ScannedFile("sealed_form", "加盖公章的纸质报名表", "form.pdf", "flagged", ("seal_missing",))


def test_files_all_scanned_and_sealed_are_ready_with_nothing_to_flag():
    assert check_files_ready([PHOTO, SEALED], seal_confirmed=False) == []


def test_a_refused_file_refuses_before_a_pending_one_is_waited_for():
    pending = ScannedFile("certificate", "最高荣誉证书扫描件", "c.jpg", None)
    refused = ScannedFile("photo", "一寸免冠照", "p.jpg", "refused", ("unsupported_type",))
    with pytest.raises(FilesRefused) as caught:
        check_files_ready([pending, refused], seal_confirmed=True)
    assert [render(p, "zh_Hans") for p in caught.value.problems] == ["一寸免冠照“p.jpg”未通过检查，请删除后重新上传"]


def test_a_pending_scan_is_waited_for():
    with pytest.raises(ScansPending):
        check_files_ready([PHOTO, ScannedFile("photo", "一寸免冠照", "p.jpg", None)], seal_confirmed=True)


def test_a_form_without_a_detected_seal_needs_confirmation():
    with pytest.raises(SealNotConfirmed):
        check_files_ready([PHOTO, UNSEALED], seal_confirmed=False)


def test_a_confirmed_seal_is_flagged_for_the_material_check():
    assert check_files_ready([PHOTO, UNSEALED], seal_confirmed=True) == ["seal_not_detected"]


def test_other_flags_do_not_stop_a_submission():
    qr = ScannedFile("sealed_form", "加盖公章的纸质报名表", "form.pdf", "flagged", ("qr_other_nomination",))
    assert check_files_ready([qr], seal_confirmed=False) == []
