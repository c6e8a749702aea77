"""A team nominating itself is put forward as 团队自荐, never by the self channel's own name (个人自荐): the rule
lives in shared.campaign (Channel.name_for); intake's pages and form and notify's mail say its word."""
import pytest

from services.notify.domain.labels import channel_label
from shared.campaign.parts import TEAM_SELF_NOMINATION

pytestmark = pytest.mark.unit


def test_a_team_nominating_itself_is_put_forward_as_team_self_nomination(campaign):
    self_channel = campaign.channel("self")
    assert [self_channel.name_for("person"), self_channel.name_for("team")] == ["个人自荐", "团队自荐"]
    assert [self_channel.is_team_self_nomination(kind) for kind in ("person", "team")] == [False, True]


def test_an_organisation_channel_keeps_its_name_for_a_team(campaign):
    branch = campaign.channel("branch")
    assert branch.name_for("team") == branch.name_for("person") == "协会分支机构推荐"
    assert not branch.is_team_self_nomination("team")


def test_notify_says_the_campaigns_word_for_a_team_nominating_itself(campaign):
    assert channel_label("self", "zh", "team") == TEAM_SELF_NOMINATION == campaign.channel("self").name_for("team")
    assert channel_label("self", "zh", "person") == campaign.channel("self").name_for("person")
