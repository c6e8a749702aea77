import pytest

from shared.reference_numbers import format_reference, number_part, parse_reference

pytestmark = pytest.mark.unit


def test_format_reference_is_the_year_and_five_digits():
    assert format_reference(2022, 42) == "2022-00042"


def test_format_reference_grows_past_five_digits():
    assert format_reference(2022, 123456) == "2022-123456"


def test_number_part_pads_to_five_digits():
    assert number_part(7) == "00007"


@pytest.mark.parametrize("typed", ["2022-00042", "00042", "42", " 2022 - 00042 ", "２０２２－０００４２", "2022 00042"])
def test_parse_reference_reads_every_way_people_type_it(typed):
    assert parse_reference(typed, year=2022) == 42


@pytest.mark.parametrize("typed", ["", "张秀兰", "13812345678", "2022-", "42a", "2021-00042"])
def test_parse_reference_refuses_what_is_not_a_reference_of_the_year(typed):
    assert parse_reference(typed, year=2022) is None


def test_parse_reference_without_a_year_accepts_any_years_reference():
    assert parse_reference("2021-00042") == 42
