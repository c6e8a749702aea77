from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.campaign.demo import demo_copy
from shared.campaign.loading import campaign_from_data, load_campaign
from shared.campaign.errors import CampaignError, UnknownChannel
from shared.reference import business_domains

pytestmark = pytest.mark.unit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def problems_of(data) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        campaign_from_data(data, "broken.yaml")
    return list(caught.value.problems)


def test_campaign_loads_the_notices_facts(campaign):
    assert campaign.id == "2022-zuimei-houqin"
    assert campaign.name == "全国教育后勤系统“2022年度最美后勤人”推举活动"
    assert (campaign.organiser, campaign.document_number, campaign.year) == ("中国教育后勤协会", "中后协〔2023〕5号", 2022)
    assert campaign.candidates == 100
    assert campaign.is_demo is False


def test_campaign_submission_closes_at_the_last_second_of_28_february(campaign):
    assert campaign.submission.closes_at == datetime(2023, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)
    assert campaign.stage("review").closes_at == datetime(2023, 3, 20, 23, 59, 59, tzinfo=SHANGHAI)
    assert campaign.stage("announcement").opens_at.month == 4


def test_campaign_domains_are_the_reference_list(campaign):
    assert list(campaign.domains) == business_domains()


def test_campaign_channel_quotas_follow_the_notice(campaign):
    quotas = {channel.code: channel.quota for channel in campaign.channels}
    assert quotas == {"local_association": 3, "council_unit": 1, "member_unit": 1, "branch": 10, "self": None}
    assert campaign.channel("local_association").advisory_min == 2
    assert campaign.channel("branch").nominees_from_member_units is True
    assert campaign.channel("self").requires_unit_seal_for_validity is True


def test_campaign_channel_unknown_code_is_refused_in_chinese(campaign):
    with pytest.raises(UnknownChannel) as caught:
        campaign.channel("province")
    assert caught.value.message == "推荐渠道“province”不属于本次活动"


def test_campaign_uploads_follow_the_notice(campaign):
    counts = {u.kind: (u.min_count, u.max_count) for u in campaign.uploads}
    assert counts == {"photo": (1, 1), "sealed_form": (1, 1), "certificate": (2, 2), "media_proof": (0, 5)}
    assert campaign.upload("photo").nominee_kinds == ("person",)
    assert campaign.upload("photo").max_bytes == 5 * 1024 * 1024
    assert "application/pdf" in campaign.upload("sealed_form").content_types


def test_campaign_excludes_the_2020_and_2021_honourees(campaign):
    assert [(e.year, e.honour) for e in campaign.excluded_campaigns] == [
        (2020, "2020年度感动人物"),
        (2021, "2021年度最美后勤人"),
    ]


def test_campaign_rubric_totals_100_for_persons_and_teams(campaign):
    assert [c.name for c in campaign.rubric_for("person")] == ["匠人觉悟", "匠心精神", "匠品服务", "事迹感召力"]
    assert "最美服务团队" in [c.name for c in campaign.rubric_for("team")]
    assert sum(c.max_score for c in campaign.rubric_for("person")) == 100
    assert sum(c.max_score for c in campaign.rubric_for("team")) == 100


def test_campaign_stage_open_at_names_the_stage(campaign):
    assert campaign.stage_open_at(datetime(2023, 3, 10, tzinfo=timezone.utc)).code == "review"
    assert campaign.stage_open_at(datetime(2023, 3, 25, tzinfo=timezone.utc)) is None


def test_campaign_stage_open_at_refuses_naive_datetimes(campaign):
    with pytest.raises(ValueError):
        campaign.stage_open_at(datetime(2023, 3, 10))


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda d: d["channels"][2].update(quota=0), "channels[2].quota: 必须是正整数 / must be a positive integer"),
        (lambda d: d["channels"][1].update(quota="one"), "channels[1].quota: 必须是正整数 / must be a positive integer"),
        (lambda d: d["channels"][0].update(quota=None), "channels[0].quota: 组织推荐渠道必须有名额"),
        (lambda d: d["channels"][4].update(quota=2), "channels[4].quota: 个人自荐没有组织名额"),
        (lambda d: d["channels"][0].update(advisory_min=5), "channels[0].advisory_min: 不能大于 quota"),
        (lambda d: d["channels"][3].update(code="self"), "channels[3].code: “self”重复"),
        (lambda d: d.pop("candidates"), "candidates: 必填 / is required"),
        (lambda d: d.update(colour="red"), "colour: 不认识的字段 / unknown field"),
        (lambda d: d.update(time_zone="Asia/Beijing"), "time_zone: 不是有效的时区名称"),
        (lambda d: d["domains"].__setitem__(3, "园林绿化"), "domains[3]: “园林绿化”不在业务领域代码表中"),
        (lambda d: d["domains"].append("伙食管理"), "domains[12]: “伙食管理”重复"),
        (lambda d: d["stages"][0].update(closes_at="2023-02-30 23:59:59"), "stages[0].closes_at: 必须是日期和时刻"),
        (lambda d: d["stages"][0].update(closes_at="2022-12-31 00:00:00"), "stages[0].closes_at: 必须晚于 opens_at"),
        (lambda d: d["stages"][1].update(opens_at="2023-02-20 00:00:00"), "stages[1].opens_at: 必须晚于上一阶段"),
        (lambda d: d["stages"][0].update(code="intake"), "stages: 缺少代码为 submission 的征集申报阶段"),
        (lambda d: d.update(public_notice_days=30), "public_notice_days: 公示期 30 天超出审核阶段的 20 天"),
        (lambda d: d["uploads"][1].update(min=3), "uploads[1].min: 不能大于 max"),
        (lambda d: d["uploads"][1].update(min=0), "uploads: 有渠道要求单位公章"),
        (lambda d: d["uploads"][0].update(nominee_kinds=["robot"]), "uploads[0].nominee_kinds[0]: 必须是 person / team 之一"),
        (lambda d: d["age_range"].update(min=80), "age_range.min: 不能大于 max"),
        (lambda d: d["excluded_campaigns"][1].update(year=2022), "excluded_campaigns[1].year: 必须早于本活动年度"),
        (lambda d: d["rubric"]["team"][0].update(max_score="x"), "rubric.team[0].max_score: 必须是正整数"),
        (lambda d: d["rubric"]["team"][0].update(max_score=25), "rubric: 各类对象的满分必须相同（person=100, team=105）"),
        (lambda d: d["rubric"].pop("team"), "rubric.team: 缺少“team”的评分标准"),
        (lambda d: d.update(stages="soon"), "stages: 必须是列表 / must be a list"),
    ],
)
def test_campaign_file_problem_names_its_path(campaign_data, breakage, expected):
    breakage(campaign_data)
    problems = problems_of(campaign_data)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_campaign_file_lists_every_problem_at_once(campaign_data):
    campaign_data["channels"][2]["quota"] = -1
    campaign_data["domains"][0] = "绿化"
    del campaign_data["organiser"]
    problems = problems_of(campaign_data)
    assert len(problems) == 3
    assert {p.split(":")[0] for p in problems} == {"channels[2].quota", "domains[0]", "organiser"}


def test_campaign_error_message_names_the_file_and_each_problem(campaign_data):
    campaign_data["channels"][2]["quota"] = 0
    with pytest.raises(CampaignError) as caught:
        campaign_from_data(campaign_data, "campaigns/broken.yaml")
    assert str(caught.value).splitlines() == [
        "campaigns/broken.yaml: 活动配置有 1 处错误 / the campaign has 1 problem(s)",
        "  channels[2].quota: 必须是正整数 / must be a positive integer",
    ]


def test_load_campaign_reads_a_broken_copy_of_the_file(tmp_path, campaign_data):
    import yaml

    campaign_data["channels"][2]["quota"] = 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(campaign_data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(broken)
    assert caught.value.source == str(broken)
    assert caught.value.problems == ("channels[2].quota: 必须是正整数 / must be a positive integer",)


def test_load_campaign_refuses_text_that_is_not_yaml(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CampaignError, match="不是有效的 YAML"):
        load_campaign(broken)


def test_load_campaign_refuses_a_missing_file(tmp_path):
    with pytest.raises(CampaignError, match="无法读取"):
        load_campaign(tmp_path / "absent.yaml")


def test_campaign_accepts_times_with_an_offset(campaign_data):
    campaign_data["stages"][0]["closes_at"] = "2023-02-28T15:59:59+00:00"
    loaded = campaign_from_data(campaign_data)
    assert loaded.submission.closes_at == datetime(2023, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)


NOW = datetime(2025, 6, 10, 4, 30, tzinfo=timezone.utc)  # 12:30 in Beijing


def test_demo_copy_is_open_now_and_marked_as_demo(campaign):
    demo = demo_copy(campaign, NOW)
    assert demo.id == "2022-zuimei-houqin-demo"
    assert demo.is_demo is True
    assert demo.display_name.endswith("（演示）")
    assert demo.submission.is_open_at(NOW)
    assert not campaign.submission.is_open_at(NOW)


def test_demo_copy_submission_closes_14_days_from_now_at_the_same_clock_time(campaign):
    demo = demo_copy(campaign, NOW)
    assert demo.submission.closes_at == datetime(2025, 6, 24, 23, 59, 59, tzinfo=SHANGHAI)


def test_demo_copy_moves_every_stage_by_the_same_delta(campaign):
    demo = demo_copy(campaign, NOW)
    deltas = {new.opens_at - old.opens_at for old, new in zip(campaign.stages, demo.stages)}
    deltas |= {new.closes_at - old.closes_at for old, new in zip(campaign.stages, demo.stages)}
    assert len(deltas) == 1
    assert [s.code for s in demo.stages] == [s.code for s in campaign.stages]


def test_demo_copy_opens_a_short_submission_stage_today(campaign_data):
    campaign_data["stages"][0]["opens_at"] = "2023-02-25 00:00:00"
    demo = demo_copy(campaign_from_data(campaign_data), NOW)
    assert demo.submission.opens_at == datetime(2025, 6, 10, 0, 0, tzinfo=SHANGHAI)
    assert demo.submission.is_open_at(NOW)


def test_demo_copy_of_a_demo_keeps_one_suffix(campaign):
    twice = demo_copy(demo_copy(campaign, NOW), NOW + timedelta(days=3))
    assert twice.id == "2022-zuimei-houqin-demo"
    assert twice.submission.is_open_at(NOW + timedelta(days=3))


def test_configured_campaign_in_a_demo_keeps_the_dates_of_its_anchor_whatever_the_hour():
    from datetime import datetime, timedelta, timezone

    from shared.campaign.demo import configured_campaign
    from tests.unit.conftest import CAMPAIGN_FILE

    anchor = "2026-12-01T15:00:00+00:00"
    later = datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc) + timedelta(days=3)
    at_start = configured_campaign(CAMPAIGN_FILE, demo=True, now_utc=datetime.fromisoformat(anchor), demo_anchor=anchor)
    days_later = configured_campaign(CAMPAIGN_FILE, demo=True, now_utc=later, demo_anchor=anchor)
    assert at_start.submission.closes_at == days_later.submission.closes_at
    assert at_start.is_demo and at_start.submission.closes_at.date().isoformat() == "2026-12-15"


def test_configured_campaign_outside_a_demo_is_the_file_as_it_is(campaign):
    from datetime import datetime, timezone

    from shared.campaign.demo import configured_campaign
    from tests.unit.conftest import CAMPAIGN_FILE

    assert configured_campaign(CAMPAIGN_FILE, demo=False, now_utc=datetime.now(timezone.utc)) == campaign
