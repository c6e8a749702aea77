from datetime import date

import pytest

from services.intake.domain.priority import (
    MEDIA_HONOUR_LEVELS,
    MediaHonour,
    has_media_priority,
    highest_level,
    level_rank,
    priority_sort_key,
)

pytestmark = pytest.mark.unit


def honour(level: str, title: str = "最美后勤服务明星") -> dict:
    return {"title": title, "level": level, "issuer": "人民网", "date": date(2022, 5, 1)}


def test_has_media_priority_with_one_honour():
    assert has_media_priority([honour("校级")]) is True


def test_has_media_priority_without_honours():
    assert has_media_priority([]) is False


def test_has_media_priority_ignores_honours_without_title_or_known_level():
    assert has_media_priority([honour("省级"), honour("国家级", title="  ")]) is False


def test_has_media_priority_accepts_media_honour_objects():
    assert has_media_priority([MediaHonour.from_mapping(honour("媒体平台"))]) is True


def test_highest_level_of_several():
    assert highest_level([honour("校级"), honour("省部级"), honour("媒体平台")]) == "省部级"


def test_level_rank_follows_the_list_order():
    assert [level_rank(level) for level in MEDIA_HONOUR_LEVELS] == list(range(len(MEDIA_HONOUR_LEVELS)))
    assert level_rank("世界级") is None


def test_priority_sort_key_puts_honoured_nominees_first_by_level():
    nominees = {"none": [], "school": [honour("校级")], "national": [honour("国家级")]}
    ordered = sorted(nominees, key=lambda name: priority_sort_key(nominees[name]))
    assert ordered == ["national", "school", "none"]
