import pytest

from services.intake.domain.staff_list import (MAX_PAGE, NO_DOMAIN, SEARCH_MAX_CHARS, ListQuery, domain_label,
                                               name_label, page_count, parse_list_query)

pytestmark = pytest.mark.unit


def test_parse_list_query_reads_every_filter(campaign):
    query = parse_list_query({"q": "  张   秀兰 ", "state": "submitted", "domain": campaign.domains[0],
                              "channel": "self", "kind": "team", "flagged": "1", "order": "reference",
                              "page": "3"}, campaign)
    assert query == ListQuery(q="张 秀兰", state="submitted", domain=campaign.domains[0], channel="self",
                              kind="team", flagged=True, order="reference", page=3)


def test_parse_list_query_leaves_out_values_that_do_not_exist(campaign):
    query = parse_list_query({"state": "sent", "domain": "烹饪", "channel": "friends", "kind": "robot",
                              "order": "random", "page": "-4"}, campaign)
    assert query == ListQuery()


def test_parse_list_query_accepts_the_missing_domain(campaign):
    assert parse_list_query({"domain": NO_DOMAIN}, campaign).domain == NO_DOMAIN


def test_parse_list_query_cuts_the_search_and_the_page_to_their_limits(campaign):
    query = parse_list_query({"q": "长" * 1000, "page": str(10 ** 12)}, campaign)
    assert len(query.q) == SEARCH_MAX_CHARS and query.page == MAX_PAGE


def test_list_query_args_keep_only_what_differs_from_the_defaults():
    assert ListQuery(state="draft", flagged=True).args(page=2) == {"state": "draft", "flagged": "1", "page": "2"}
    assert ListQuery(state="draft").args(page=1) == {"state": "draft"}


def test_list_query_is_filtered_by_anything_but_its_order_and_page():
    assert not ListQuery(order="reference", page=4).filtered
    assert ListQuery(q="张").filtered


def test_page_count_is_at_least_one():
    assert (page_count(0), page_count(50), page_count(51)) == (1, 1, 2)


def test_labels_never_blank():
    assert (domain_label(None), domain_label(""), domain_label("信息化")) == ("未选择", "未选择", "信息化")
    assert (name_label(None), name_label("  "), name_label("张秀兰")) == ("（未填写姓名）", "（未填写姓名）", "张秀兰")
