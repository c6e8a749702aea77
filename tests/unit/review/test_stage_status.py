"""The dashboard's stage status follows the calendar, and says when the scheduler has not announced it."""
from datetime import datetime, timedelta, timezone

import pytest

from services.review.domain.stage_calendar import StageStatus, stage_status

pytestmark = pytest.mark.unit

OPENS = datetime(2022, 12, 1, tzinfo=timezone.utc)
ENDS = OPENS + timedelta(days=10)
HOUR = timedelta(hours=1)


def test_before_the_stage_it_has_not_started_and_nothing_is_pending():
    assert stage_status(OPENS, ENDS, OPENS - HOUR, None, None) == StageStatus("未开始", False)


def test_an_open_stage_is_in_progress_even_before_the_scheduler_announced_it():
    assert stage_status(OPENS, ENDS, OPENS + HOUR, None, None) == StageStatus("进行中", True)
    assert stage_status(OPENS, ENDS, OPENS + HOUR, OPENS, None) == StageStatus("进行中", False)


def test_a_stage_past_its_end_is_over_and_pending_until_its_close_is_announced():
    assert stage_status(OPENS, ENDS, ENDS, OPENS, None) == StageStatus("已结束", True)
    assert stage_status(OPENS, ENDS, ENDS + HOUR, OPENS, ENDS) == StageStatus("已结束", False)
