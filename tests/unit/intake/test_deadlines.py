from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.intake.domain.deadlines import (
    DeadlinePassed,
    StageNotOpen,
    correction_deadline,
    correction_open,
    current_stage,
    ensure_correction_open,
    ensure_submission_open,
    format_local,
    submission_open,
)

pytestmark = pytest.mark.unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_SECOND = datetime(2023, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)
FIRST_CLOSED_SECOND = datetime(2023, 3, 1, 0, 0, 0, tzinfo=SHANGHAI)


def test_submission_open_at_the_last_second_in_beijing(campaign):
    assert submission_open(campaign, LAST_SECOND) is True


def test_submission_open_within_the_last_second(campaign):
    assert submission_open(campaign, LAST_SECOND + timedelta(microseconds=999_999)) is True


def test_submission_closed_at_midnight_in_beijing(campaign):
    assert submission_open(campaign, FIRST_CLOSED_SECOND) is False


def test_submission_boundary_holds_in_utc_and_other_zones(campaign):
    assert submission_open(campaign, datetime(2023, 2, 28, 15, 59, 59, tzinfo=timezone.utc)) is True
    assert submission_open(campaign, datetime(2023, 2, 28, 16, 0, 0, tzinfo=timezone.utc)) is False
    new_york = ZoneInfo("America/New_York")
    assert submission_open(campaign, datetime(2023, 2, 28, 10, 59, 59, tzinfo=new_york)) is True
    assert submission_open(campaign, datetime(2023, 2, 28, 11, 0, 0, tzinfo=new_york)) is False


def test_submission_closed_before_it_opens(campaign):
    assert submission_open(campaign, datetime(2022, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)) is False
    assert submission_open(campaign, datetime(2023, 1, 1, 0, 0, 0, tzinfo=SHANGHAI)) is True


def test_submission_open_refuses_naive_datetimes(campaign):
    with pytest.raises(ValueError, match="timezone-aware"):
        submission_open(campaign, datetime(2023, 2, 28, 12, 0))


def test_ensure_submission_open_refuses_after_the_deadline_in_beijing_time(campaign):
    with pytest.raises(DeadlinePassed) as caught:
        ensure_submission_open(campaign, FIRST_CLOSED_SECOND.astimezone(timezone.utc))
    assert caught.value.message == "材料报送已于北京时间 2023年2月28日 23:59:59 截止，不能再新建、修改或提交推荐"
    assert caught.value.deadline == LAST_SECOND


def test_ensure_submission_open_passes_at_the_last_second(campaign):
    assert ensure_submission_open(campaign, LAST_SECOND) is None


def test_ensure_submission_open_refuses_before_opening(campaign):
    with pytest.raises(StageNotOpen, match="材料报送尚未开始，将于北京时间 2023年1月1日 00:00:00 开放"):
        ensure_submission_open(campaign, datetime(2022, 12, 1, tzinfo=timezone.utc))


def test_ensure_submission_open_refuses_naive_datetimes(campaign):
    with pytest.raises(ValueError):
        ensure_submission_open(campaign, datetime(2023, 2, 1))


@pytest.mark.parametrize(
    ("moment", "stage"),
    [
        (datetime(2022, 12, 31, 23, 59, 59, tzinfo=SHANGHAI), None),
        (datetime(2023, 1, 15, tzinfo=SHANGHAI), "submission"),
        (LAST_SECOND, "submission"),
        (FIRST_CLOSED_SECOND, "review"),
        (datetime(2023, 3, 20, 23, 59, 59, tzinfo=SHANGHAI), "review"),
        (datetime(2023, 3, 21, tzinfo=SHANGHAI), None),
        (datetime(2023, 4, 15, tzinfo=SHANGHAI), "announcement"),
        (datetime(2023, 5, 1, tzinfo=SHANGHAI), None),
    ],
)
def test_current_stage_by_instant(campaign, moment, stage):
    found = current_stage(campaign, moment)
    assert (found.code if found else None) == stage


def test_correction_open_through_the_deadline_second():
    deadline = datetime(2023, 3, 10, 15, 59, 59, tzinfo=timezone.utc)
    assert correction_open(deadline, deadline) is True
    assert correction_open(deadline, deadline + timedelta(seconds=1)) is False
    assert correction_open(deadline, datetime(2023, 3, 10, 23, 59, 59, tzinfo=SHANGHAI)) is True


def test_correction_open_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        correction_open(datetime(2023, 3, 10), datetime(2023, 3, 9, tzinfo=timezone.utc))


def test_ensure_correction_open_refuses_after_the_deadline_in_beijing_time():
    deadline = datetime(2023, 3, 10, 15, 59, 59, tzinfo=timezone.utc)
    with pytest.raises(DeadlinePassed) as caught:
        ensure_correction_open(deadline, deadline + timedelta(seconds=1), "Asia/Shanghai")
    assert caught.value.message == "修改期限已于北京时间 2023年3月10日 23:59:59 截止，不能再修改或重新提交"


def test_correction_deadline_is_the_end_of_the_day_after_the_window(campaign):
    returned = datetime(2023, 3, 2, 10, 0, tzinfo=SHANGHAI)
    expected = datetime(2023, 3, 7, 23, 59, 59, tzinfo=SHANGHAI)  # 5 days later, to the end of that day
    assert correction_deadline(campaign, returned) == expected
    assert correction_deadline(campaign, returned).tzinfo == timezone.utc


def test_correction_deadline_never_passes_the_end_of_review(campaign):
    returned = datetime(2023, 3, 18, 10, 0, tzinfo=SHANGHAI)
    assert correction_deadline(campaign, returned) == datetime(2023, 3, 20, 23, 59, 59, tzinfo=SHANGHAI)


def test_format_local_names_beijing_time_or_the_zone():
    moment = datetime(2023, 2, 28, 15, 59, 59, tzinfo=timezone.utc)
    assert format_local(moment, "Asia/Shanghai") == "北京时间 2023年2月28日 23:59:59"
    assert format_local(moment, "Asia/Tokyo") == "2023年3月1日 00:59:59（Asia/Tokyo）"
