"""R3 against the scans' lag: when a submission waits for a file still being checked, and how long a file
flagged or refused after the submission may be replaced."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.intake.domain.flagged_files import check_may_replace_flagged, may_replace_flagged, replaceable_until
from services.intake.domain.upload_rules import UploadRefused
from services.intake.domain.submission import (FilesRefused, ScannedFile, ScansPending, check_files_ready,
                                               waits_for_scans)
from shared.campaign import CampaignError, campaign_from_data
from shared.campaign.parts import ScanWait

pytestmark = pytest.mark.unit

POLICY = ScanWait(max_lag_seconds=60, hours_before_deadline=24, replace_hours=48)
DEADLINE = datetime(2023, 2, 28, 16, 0, tzinfo=timezone.utc)  # 2023-03-01 00:00:00 Beijing: the first instant closed
FAR = DEADLINE - timedelta(days=10)
PENDING = ScannedFile("certificate", "最高荣誉证书扫描件", "c.jpg", None)
SCANNED = ScannedFile("photo", "一寸免冠照", "p.jpg", "ok")


def test_submission_waits_for_scans_when_they_keep_up_and_the_deadline_is_far():
    assert waits_for_scans(POLICY, FAR, DEADLINE, scan_lag_seconds=3)


def test_submission_does_not_wait_when_the_scans_lag_behind():
    assert not waits_for_scans(POLICY, FAR, DEADLINE, scan_lag_seconds=61)


def test_submission_waits_at_exactly_the_lag_threshold():
    assert waits_for_scans(POLICY, FAR, DEADLINE, scan_lag_seconds=60)


@pytest.mark.parametrize("before_deadline", [timedelta(hours=24), timedelta(hours=2), timedelta(seconds=1)])
def test_submission_does_not_wait_within_the_window_before_the_deadline(before_deadline):
    assert not waits_for_scans(POLICY, DEADLINE - before_deadline, DEADLINE, scan_lag_seconds=0)


def test_submission_waits_just_outside_the_window():
    assert waits_for_scans(POLICY, DEADLINE - timedelta(hours=24, seconds=1), DEADLINE, scan_lag_seconds=0)


def test_a_window_of_zero_hours_waits_up_to_the_last_second():
    assert waits_for_scans(ScanWait(hours_before_deadline=0), DEADLINE - timedelta(seconds=1), DEADLINE, 0)


def test_waits_for_scans_refuses_a_naive_instant():
    with pytest.raises(ValueError):
        waits_for_scans(POLICY, datetime(2023, 2, 1), DEADLINE, 0)


def test_a_pending_file_does_not_hold_back_a_submission_that_may_not_wait():
    assert check_files_ready([SCANNED, PENDING], seal_confirmed=False, wait_for_scans=False) == []


def test_a_pending_file_holds_back_a_submission_that_may_wait():
    with pytest.raises(ScansPending):
        check_files_ready([SCANNED, PENDING], seal_confirmed=False, wait_for_scans=True)


def test_a_refused_file_blocks_the_submission_even_when_it_may_not_wait():
    refused = ScannedFile("photo", "一寸免冠照", "p.exe", "refused", ("unsupported_type",))
    with pytest.raises(FilesRefused):
        check_files_ready([refused, PENDING], seal_confirmed=True, wait_for_scans=False)


def test_a_pending_sealed_form_needs_no_seal_confirmation_yet():
    form = ScannedFile("sealed_form", "加盖公章的纸质报名表", "form.pdf", None)
    assert check_files_ready([form], seal_confirmed=False, wait_for_scans=False) == []


def test_a_flag_before_the_close_is_replaceable_until_the_close(campaign):
    close = campaign.submission.ends_before
    assert replaceable_until(campaign, close - timedelta(days=5)) == close


def test_a_verdict_near_or_after_the_close_leaves_its_replace_hours(campaign):
    close = campaign.submission.ends_before
    late = close - timedelta(minutes=1)
    assert replaceable_until(campaign, late) == late + timedelta(hours=48)
    after = close + timedelta(hours=3)
    assert replaceable_until(campaign, after) == after + timedelta(hours=48)


def test_replacing_a_late_flag_is_refused_once_its_hours_are_over(campaign):
    verdict_at = campaign.submission.ends_before + timedelta(hours=1)
    check_may_replace_flagged(campaign, verdict_at + timedelta(hours=47), verdict_at)
    with pytest.raises(UploadRefused):
        check_may_replace_flagged(campaign, verdict_at + timedelta(hours=48), verdict_at)


def test_replacing_without_a_verdict_time_ends_at_the_close(campaign):
    with pytest.raises(UploadRefused):
        check_may_replace_flagged(campaign, campaign.submission.ends_before, None)


def test_the_2022_campaign_says_its_scan_wait(campaign):
    assert campaign.scan_wait == ScanWait(max_lag_seconds=60, hours_before_deadline=24, replace_hours=48)


def test_scan_wait_defaults_when_absent(campaign_data):
    del campaign_data["scan_wait"]
    assert campaign_from_data(campaign_data).scan_wait == ScanWait()


def test_scan_wait_refuses_a_negative_lag(campaign_data):
    campaign_data["scan_wait"]["max_lag_seconds"] = -1
    with pytest.raises(CampaignError) as error:
        campaign_from_data(campaign_data)
    assert "scan_wait.max_lag_seconds" in str(error.value.problems)


def test_an_announced_close_ends_replacing_on_a_clock_still_before_it_but_not_a_late_verdicts_hours(campaign):
    close = campaign.submission.ends_before
    clock = close - timedelta(minutes=2)
    assert may_replace_flagged(campaign, clock, close - timedelta(days=5))
    assert not may_replace_flagged(campaign, clock, close - timedelta(days=5), closed_by_announcement=True)
    assert may_replace_flagged(campaign, clock, close - timedelta(minutes=10), closed_by_announcement=True)
