import hashlib
import hmac

import pytest

from shared.campaign.parts import ExcludedCampaign
from services.intake.domain.eligibility import (
    BASIS_NAME_PHONE,
    BASIS_NAME_UNIT,
    BASIS_NAME_UNIT_PREFIX,
    Honouree,
    Nominee,
    find_duplicate_nominees,
    same_nominee_as,
    match_past_honouree,
    normalise_name,
    normalise_unit,
    person_key,
    units_match,
)
from shared.nominees import phone_hmac

pytestmark = pytest.mark.unit

ZUIMEI_2021 = "全国教育后勤系统“2021年度最美后勤人”"
SECRET = "the-deployments-phone-hash-secret"


def honouree(name="阿依古丽·买买提", unit="新疆大学后勤保障部", phone=None, kind="person",
             year=2021, campaign_name=ZUIMEI_2021) -> Honouree:
    return Honouree(kind=kind, name=name, unit=unit, campaign_year=year, campaign_name=campaign_name,
                    phone_hash=phone_hmac(SECRET, phone) if phone else None)


@pytest.mark.parametrize(
    "typed",
    ["阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽‧买买提", "阿依古丽・买买提", "阿依古丽.买买提",
     "阿依古丽买买提", " 阿依古丽 · 买买提 ", "阿依古丽\u3000买买提", "阿依古丽\u00b7\u200b买买提"],
)
def test_normalise_name_treats_middle_dots_and_spaces_alike(typed):
    assert normalise_name(typed) == "阿依古丽买买提"


def test_normalise_name_full_width_latin_letters_fold():
    assert normalise_name("ＬＩ　Ｍｉｎｇ") == normalise_name("li ming") == "liming"


def test_normalise_name_keeps_different_names_apart():
    assert normalise_name("张伟") != normalise_name("张玮")


@pytest.mark.parametrize(
    "typed",
    ["中国人民大学（后勤集团）", "中国人民大学(后勤集团)", "中国人民大学 后勤集团", "中国人民大学　后勤集团",
     "中国人民大学【后勤集团】", "中国人民大学·后勤集团"],
)
def test_normalise_unit_ignores_spaces_brackets_and_punctuation(typed):
    assert normalise_unit(typed) == "中国人民大学后勤集团"


def test_units_match_same_unit():
    assert units_match("北京大学", "北京大学 ") == BASIS_NAME_UNIT


def test_units_match_unit_and_its_department():
    assert units_match("北京大学", "北京大学后勤保障部") == BASIS_NAME_UNIT_PREFIX
    assert units_match("北京大学后勤保障部", "北京大学") == BASIS_NAME_UNIT_PREFIX


def test_units_match_refuses_short_prefixes_and_other_units():
    assert units_match("北京", "北京大学") is None
    assert units_match("北京大学", "北京师范大学") is None
    assert units_match("", "北京大学") is None


def test_phone_hmac_is_hmac_sha256_of_the_digits_keyed_with_the_secret():
    expected = hmac.new(SECRET.encode(), b"13812345678", hashlib.sha256).hexdigest()
    assert phone_hmac(SECRET, "13812345678") == expected
    assert phone_hmac("another-secret", "13812345678") != expected


@pytest.mark.parametrize("typed", ["138 1234 5678", "138-1234-5678", "+86 13812345678", "008613812345678", "１３８１２３４５６７８"])
def test_phone_hmac_ignores_how_the_number_is_typed(typed):
    assert phone_hmac(SECRET, typed) == phone_hmac(SECRET, "13812345678")


def test_phone_hmac_differs_between_numbers():
    assert phone_hmac(SECRET, "13812345678") != phone_hmac(SECRET, "13812345679")


def test_phone_hmac_refuses_text_without_digits():
    with pytest.raises(ValueError):
        phone_hmac(SECRET, "无")


def test_person_key_is_normalised_name_and_unit():
    assert person_key("阿依古丽 · 买买提", "新疆大学（后勤保障部）") == "阿依古丽买买提@新疆大学后勤保障部"
    assert person_key("阿依古丽·买买提", "新疆大学 后勤保障部") == person_key("阿依古丽•买买提", "新疆大学后勤保障部")


def test_match_past_honouree_on_name_and_unit_with_the_notices_reason():
    nominee = Nominee("person", "阿依古丽•买买提", "新疆大学（后勤保障部）")
    found = match_past_honouree(nominee, [honouree()])
    assert found.basis == BASIS_NAME_UNIT
    assert found.reason == f"曾获“{ZUIMEI_2021}”，按通知不予参与本年度推举"


def test_match_past_honouree_names_the_honour_of_the_excluded_campaign(campaign):
    nominee = Nominee("person", "阿依古丽买买提", "新疆大学后勤保障部")
    found = match_past_honouree(nominee, [honouree()], campaign.excluded_campaigns)
    assert found.reason == "曾获“2021年度最美后勤人”，按通知不予参与本年度推举"
    assert found.honour == "2021年度最美后勤人"


def test_match_past_honouree_covers_the_2020_campaign(campaign):
    past = honouree(year=2020, campaign_name="2020年度感动人物")
    found = match_past_honouree(Nominee("person", "阿依古丽买买提", "新疆大学后勤保障部"), [past],
                                campaign.excluded_campaigns)
    assert found.honour == "2020年度感动人物"


def test_match_past_honouree_ignores_campaigns_not_excluded(campaign):
    other = honouree(year=2019, campaign_name="2019年度优秀后勤人")
    nominee = Nominee("person", "阿依古丽买买提", "新疆大学后勤保障部")
    assert match_past_honouree(nominee, [other], campaign.excluded_campaigns) is None


def test_match_past_honouree_on_unit_prefix():
    nominee = Nominee("person", "阿依古丽买买提", "新疆大学")
    assert match_past_honouree(nominee, [honouree()]).basis == BASIS_NAME_UNIT_PREFIX


def test_match_past_honouree_on_name_and_phone_after_changing_unit():
    nominee = Nominee("person", "阿依古丽·买买提", "石河子大学后勤管理处", phone="138 1234 5678")
    found = match_past_honouree(nominee, [honouree(phone="13812345678")], phone_secret=SECRET)
    assert found.basis == BASIS_NAME_PHONE


def test_match_past_honouree_not_on_a_bare_sha256_of_the_phone():
    """v1's hash (recoverable by trying every mobile number) is no longer a basis for a match."""
    v1 = hashlib.sha256(b"tuiju:phone:v1:13812345678").hexdigest()
    past = Honouree(kind="person", name="阿依古丽·买买提", unit="新疆大学后勤保障部", campaign_year=2021,
                    campaign_name=ZUIMEI_2021, phone_hash=v1)
    nominee = Nominee("person", "阿依古丽·买买提", "石河子大学后勤管理处", phone="13812345678")
    assert match_past_honouree(nominee, [past], phone_secret=SECRET) is None


def test_match_past_honouree_not_on_a_phone_hashed_with_another_secret():
    nominee = Nominee("person", "阿依古丽·买买提", "石河子大学后勤管理处", phone="13812345678")
    assert match_past_honouree(nominee, [honouree(phone="13812345678")], phone_secret="another-secret") is None


def test_match_past_honouree_prefers_the_strongest_basis():
    nominee = Nominee("person", "阿依古丽买买提", "新疆大学后勤保障部", phone="13812345678")
    weak = honouree(unit="新疆大学")
    strong = honouree(unit="石河子大学", phone="13812345678")
    assert match_past_honouree(nominee, [weak, strong], phone_secret=SECRET).basis == BASIS_NAME_PHONE


def test_match_past_honouree_not_on_name_alone():
    nominee = Nominee("person", "阿依古丽买买提", "石河子大学", phone="13900000000")
    assert match_past_honouree(nominee, [honouree(phone="13812345678")], phone_secret=SECRET) is None


def test_match_past_honouree_not_on_unit_and_phone_with_another_name():
    nominee = Nominee("person", "张伟", "新疆大学后勤保障部", phone="13812345678")
    assert match_past_honouree(nominee, [honouree(phone="13812345678")], phone_secret=SECRET) is None


def test_match_past_honouree_team_on_team_name_and_unit():
    past = honouree(kind="team", name="“暖心”宿管服务团队", unit="武汉大学后勤服务集团")
    nominee = Nominee("team", "暖心宿管服务团队", "武汉大学 后勤服务集团")
    assert match_past_honouree(nominee, [past]).basis == BASIS_NAME_UNIT


def test_match_past_honouree_team_does_not_match_a_person_of_that_name():
    past = honouree(kind="person", name="暖心宿管服务团队", unit="武汉大学后勤服务集团")
    assert match_past_honouree(Nominee("team", "暖心宿管服务团队", "武汉大学后勤服务集团"), [past]) is None


def test_find_duplicate_nominees_groups_one_person_through_two_channels():
    nominations = [
        ("n1", Nominee("person", "阿依古丽·买买提", "新疆大学后勤保障部", phone="13812345678")),
        ("n2", Nominee("person", "张伟", "北京大学")),
        ("n3", Nominee("person", "阿依古丽 买买提", "新疆大学", phone="13900000000")),
        ("n4", Nominee("person", "阿依古丽买买提", "石河子大学", phone="+86 138 1234 5678")),
        ("n5", Nominee("person", "张伟", "清华大学")),
    ]
    assert find_duplicate_nominees(nominations) == [["n1", "n3", "n4"]]


def test_find_duplicate_nominees_keeps_teams_apart_from_persons():
    nominations = [
        ("t1", Nominee("team", "星光服务队", "复旦大学")),
        ("p1", Nominee("person", "星光服务队", "复旦大学")),
        ("t2", Nominee("team", "“星光”服务队", "复旦大学后勤")),
    ]
    assert find_duplicate_nominees(nominations) == [["t1", "t2"]]


def test_find_duplicate_nominees_none_when_all_differ():
    assert find_duplicate_nominees([("a", Nominee("person", "王芳", "南京大学")),
                                    ("b", Nominee("person", "王芳", "东南大学"))]) == []


def test_excluded_campaign_matches_by_year_and_honour():
    excluded = [ExcludedCampaign(year=2021, honour="2021年度最美后勤人", name=ZUIMEI_2021)]
    past = honouree(campaign_name="2021年度“最美后勤人”")
    assert match_past_honouree(Nominee("person", "阿依古丽买买提", "新疆大学后勤保障部"), [past], excluded) is not None


def test_same_nominee_as_finds_one_person_through_another_channel_with_another_unit_and_the_same_phone():
    others = [("n2", Nominee("person", "阿依古丽 买买提", "石河子大学", phone="+86 138 1234 5678")),
              ("n3", Nominee("person", "阿依古丽买买提", "喀什大学", phone="13900000000"))]
    nominee = Nominee("person", "阿依古丽·买买提", "新疆大学后勤保障部", phone="13812345678")
    assert same_nominee_as("n1", nominee, others) == ["n2"]


def test_nominee_key_is_shared_by_names_typed_differently():
    from services.intake.domain.eligibility import nominee_key

    assert nominee_key("person", "阿依古丽·买买提") == nominee_key("person", " 阿依古丽 买买提") != nominee_key("team", "阿依古丽买买提")
