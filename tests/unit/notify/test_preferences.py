import pytest

from services.notify.domain.model import Recipient
from services.notify.domain.preferences import (
    Preferences,
    channels_for,
    email_address,
    mobile_number,
    wants_reminders,
)

pytestmark = pytest.mark.unit


def person(prefs=Preferences(), email="li@example.cn", phone="13911112222"):
    return Recipient("contact", "李红梅", email, phone, prefs=prefs)


def test_channels_default_to_email_only():
    assert channels_for(person()) == ["email"]


def test_channels_add_sms_when_opted_in_with_a_mobile():
    assert channels_for(person(Preferences(sms=True))) == ["email", "sms"]


def test_channels_skip_sms_without_a_mobile():
    assert channels_for(person(Preferences(sms=True), phone="021-12345678")) == ["email"]


def test_channels_skip_sms_for_a_message_without_sms_text():
    assert channels_for(person(Preferences(sms=True)), sms_available=False) == ["email"]


def test_channels_follow_email_opt_out():
    assert channels_for(person(Preferences(email=False, sms=True))) == ["sms"]


def test_channels_are_empty_when_nothing_reaches_the_person():
    assert channels_for(person(email=None, phone=None)) == []


@pytest.mark.parametrize("phone,expected", [
    ("13911112222", "13911112222"),
    ("+86 139-1111-2222", "13911112222"),
    ("0086 13911112222", "13911112222"),
    ("(139) 1111 2222", "13911112222"),
    ("12911112222", None),
    ("1391111222", None),
    ("021-12345678", None),
    ("", None),
    (None, None),
])
def test_mobile_number_normalises_mainland_mobiles(phone, expected):
    assert mobile_number(phone) == expected


@pytest.mark.parametrize("email,expected", [
    (" Li@Example.CN ", "li@example.cn"),
    ("不是邮箱", None),
    ("a@b", None),
    (None, None),
])
def test_email_address_normalises_or_refuses(email, expected):
    assert email_address(email) == expected


def test_wants_reminders_follows_the_opt_out():
    assert wants_reminders(person()) is True
    assert wants_reminders(person(Preferences(reminders=False))) is False


def test_preferences_read_from_stored_dict_keep_defaults():
    assert Preferences.from_dict({"sms": True, "colour": "red"}) == Preferences(email=True, sms=True, reminders=True)
    assert Preferences.from_dict(None) == Preferences()
    assert Preferences.from_dict(Preferences(reminders=False).as_dict()) == Preferences(reminders=False)


def test_address_problem_names_an_empty_a_non_ascii_and_a_malformed_address_and_passes_good_ones():
    from services.notify.domain.preferences import address_problem

    assert address_problem("email", "").startswith("收件地址为空")
    assert address_problem("sms", "  ").startswith("收件地址为空")
    assert address_problem("email", "李@例子.中国").startswith("邮箱地址无效")
    assert address_problem("email", "not an address").startswith("邮箱地址无效")
    assert address_problem("sms", "12345").startswith("手机号无效")
    assert address_problem("email", "li@example.edu.cn") is None
    assert address_problem("sms", "13900001111") is None
