"""The queue's URL parameters read with limits, and Chinese search by characters and pairs."""
from __future__ import annotations

import pytest

from services.review.domain.queue_filter import QueueFilter, read_filter
from services.review.domain.search import normalised, query_terms, search_terms, search_text

pytestmark = pytest.mark.unit


def test_filter_reads_known_values(campaign):
    f = read_filter({"domain": "伙食管理", "state": "approved", "channel": "self", "flagged": "1", "priority": "on",
                     "mine": "true", "q": "  王  秀 ", "sort": "priority", "page": "3", "per_page": "25"}, campaign)
    assert f == QueueFilter("伙食管理", "approved", "self", True, True, True, "王 秀", "priority", 3, 25)
    assert f.offset == 50


@pytest.mark.parametrize("args", [
    {"domain": "火星"}, {"state": "deleted"}, {"channel": "x'; drop table"}, {"sort": "password"},
    {"page": "-4"}, {"page": "abc"}, {"per_page": "100000"},
])
def test_filter_falls_back_to_defaults_for_anything_else(args, campaign):
    f = read_filter(args, campaign)
    assert (f.domain, f.state, f.channel, f.sort, f.per_page) == ("", "", "", "-submitted", 50) and f.page >= 1


def test_filter_caps_query_length_and_page(campaign):
    f = read_filter({"q": "长" * 500, "page": "99999999"}, campaign)
    assert (len(f.q), f.page) == (50, 10_000)


def test_filter_query_string_keeps_only_what_differs():
    assert QueueFilter(domain="伙食管理", mine=True).query_string(page=2) == (
        "domain=%E4%BC%99%E9%A3%9F%E7%AE%A1%E7%90%86&mine=1&page=2")


def test_search_terms_are_characters_and_pairs_normalised():
    assert search_terms("王秀", "ＡＢ 大学") == sorted({"王", "秀", "王秀", "a", "b", "ab", "大", "学", "大学", "b大"})
    assert search_text("王 秀", "ＡＢ大学") == "王秀 ab大学"
    assert normalised(" Ｘ  y ") == "xy"


@pytest.mark.parametrize("query,terms", [("王", ["王"]), ("王秀英", sorted(["王秀", "秀英"])), ("  ", [])])
def test_query_terms(query, terms):
    assert query_terms(query) == terms


def test_every_query_pair_is_among_the_terms_of_a_text_that_contains_it():
    text = "新疆大学后勤保障部"
    assert set(query_terms("大学后勤")) <= set(search_terms(text))
