import pytest

from services.intake.domain.journey import CURRENT, DONE, STOPPED, UPCOMING, journey

pytestmark = pytest.mark.unit


def when(moment) -> str:
    return f"{moment.month}/{moment.day}"


def statuses(campaign, state: str, submitted: bool) -> list[str]:
    return [step.status for step in journey(campaign, state, submitted, when)]


@pytest.mark.parametrize("state, submitted, expected", [
    ("draft", False, [CURRENT, UPCOMING, UPCOMING, UPCOMING, UPCOMING]),
    ("submitted", True, [DONE, CURRENT, UPCOMING, UPCOMING, UPCOMING]),
    ("returned", True, [DONE, CURRENT, UPCOMING, UPCOMING, UPCOMING]),
    ("resubmitted", True, [DONE, CURRENT, UPCOMING, UPCOMING, UPCOMING]),
    ("withdrawn", False, [STOPPED] * 5),
    ("withdrawn", True, [DONE, STOPPED, STOPPED, STOPPED, STOPPED]),
    ("disqualified", True, [DONE, STOPPED, STOPPED, STOPPED, STOPPED]),
])
def test_journey_marks_where_the_nomination_is(campaign, state, submitted, expected):
    assert statuses(campaign, state, submitted) == expected


def test_journey_dates_come_from_the_campaigns_stages(campaign):
    steps = journey(campaign, "draft", False, when)
    assert [step.name for step in steps] == ["填写并提交申报", "材料审核", "推举入围与确定候选人", "候选人公示", "通报及事迹宣讲"]
    assert steps[0].when == f"{when(campaign.stage('submission').closes_at)} 截止"
    assert steps[4].when == f"{when(campaign.stage('announcement').opens_at)} – {when(campaign.stage('announcement').closes_at)}"


@pytest.mark.parametrize("review_stage, expected", [
    ("approved", [DONE, DONE, CURRENT, UPCOMING, UPCOMING]),
    ("shortlisted", [DONE, DONE, CURRENT, UPCOMING, UPCOMING]),
    ("not_shortlisted", [DONE, DONE, STOPPED, STOPPED, STOPPED]),
    ("candidate", [DONE, DONE, DONE, CURRENT, UPCOMING]),
    ("not_selected", [DONE, DONE, DONE, STOPPED, STOPPED]),
    ("honouree", [DONE, DONE, DONE, DONE, CURRENT]),
])
def test_journey_follows_reviews_decisions_after_the_material_check(campaign, review_stage, expected):
    for state in ("submitted", "resubmitted"):
        assert [s.status for s in journey(campaign, state, True, when, review_stage)] == expected


def test_journey_of_a_withdrawn_nomination_ignores_an_earlier_review_stage(campaign):
    assert [s.status for s in journey(campaign, "withdrawn", True, when, "approved")] == [DONE] + [STOPPED] * 4


def test_journey_of_a_sent_nomination_waits_for_the_material_check_before_it_opens(campaign):
    from datetime import timedelta

    from services.intake.domain.journey import WAITING

    opens = campaign.stage("review").opens_at
    for state in ("submitted", "resubmitted"):
        before = journey(campaign, state, True, when, now=opens - timedelta(seconds=1))
        assert [s.status for s in before] == [DONE, WAITING, UPCOMING, UPCOMING, UPCOMING]
        assert [s.status for s in journey(campaign, state, True, when, now=opens)] == [DONE, CURRENT, UPCOMING,
                                                                                      UPCOMING, UPCOMING]


def test_journey_of_a_returned_nomination_is_in_the_material_check_whatever_the_date(campaign):
    from datetime import timedelta

    early = campaign.stage("review").opens_at - timedelta(days=3)
    assert [s.status for s in journey(campaign, "returned", True, when, now=early)][:2] == [DONE, CURRENT]


def test_journey_dates_every_step(campaign):
    steps = journey(campaign, "draft", False, when)
    assert all(step.when for step in steps)
    assert steps[2].when == f"{when(campaign.stage('review').closes_at)} 前"
