import pytest

from services.archive.domain.nominations import objections_summary, province_of

pytestmark = pytest.mark.unit


def test_objections_summary_counts_each_outcome_in_chinese():
    assert objections_summary({}) == ""
    assert objections_summary({"O-1": "dismissed", "O-2": "pending", "O-3": "dismissed"}) == "3 件（待处理 1、驳回 2）"
    assert objections_summary({"O-1": "upheld"}) == "1 件（成立 1）"


def test_province_of_a_unit_by_its_full_or_short_name():
    assert province_of("新疆大学后勤集团") == "新疆维吾尔自治区"
    assert province_of("示例大学", "广西南宁市") == "广西壮族自治区"
    assert province_of("示例大学") == ""
