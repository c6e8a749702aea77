"""The smaller things applicants noticed on intake's pages, through Flask's test client on the real servers:
change links for every part on the check page, the steps on the status page, 保存并继续 going on, an abandoned
draft called so, the party's short name, the deeds count as the server counts, and the site's icon."""
from __future__ import annotations

import copy
import re

import pytest

from services.intake.adapters.links import nomination_token
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from tests.builders import complete_self_nomination, form_data, start_by_api
from tests.unit.intake.samples import TEAM

pytestmark = pytest.mark.integration


def token_of(intake, nomination_id: str) -> str:
    return nomination_token(intake.settings.secret_key, nomination_id)


def test_check_page_of_a_team_links_every_part_to_its_change(client, intake):
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="team")
    form = form_data()
    use_cases.save_draft(intake, nomination_id, {"team": copy.deepcopy(TEAM), "domain": form["domain"],
                                                 "contact": form["contact"], "deeds": form["deeds"]})
    token = token_of(intake, nomination_id)
    page = client.get(f"/n/{token}/check").get_data(as_text=True)
    for anchor in ("basic#f-team.name", "basic#f-team.unit", "basic#f-team.leader.name", "basic#f-team.members",
                   "basic#f-contact.name", "basic#f-domain", "deeds#f-deeds", "deeds#f-media_honours"):
        assert f'href="/n/{token}/{anchor}"' in page, anchor
    assert f'href="/n/{token}/files"' in page
    assert "None" not in page


def test_status_page_of_a_sent_nomination_waits_for_the_material_check_until_it_opens(client, intake):
    """Submissions are still open (the demo campaign is open now): 材料审核 is not current yet (tester's I-4),
    and every step has its date."""
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "k")
    page = client.get(f"/n/{token_of(intake, nomination_id)}").get_data(as_text=True)
    steps = re.findall(r'<li class="journey-step (\w+)"[^>]*>\s*<strong>([^<]+)</strong>', page)
    assert steps == [("done", "填写并提交申报"), ("waiting", "材料审核"), ("upcoming", "推举入围与确定候选人"),
                     ("upcoming", "候选人公示"), ("upcoming", "通报及事迹宣讲")]
    assert "<strong>材料审核</strong> <span class=\"tag\">等待开始</span>" in page
    assert 'aria-current="step"' not in page
    dates = re.findall(r'<li class="journey-step[^>]*>\s*<strong>[^<]+</strong>[^\n]*\n\s*<span class="hint">([^<]+)</span>',
                       page)
    assert len(dates) == 5, dates


def test_save_and_continue_goes_on_to_the_next_part_then_the_uploads(client):
    token = start_by_api(client)
    basic = client.post(f"/n/{token}/basic", data={"person.name": "张秀兰"})
    assert basic.status_code == 302 and basic.location.endswith(f"/n/{token}/deeds")
    deeds = client.post(f"/n/{token}/deeds", data={"deeds": "事迹" * 200})
    assert deeds.status_code == 302 and deeds.location.endswith(f"/n/{token}/files")


def test_abandoning_a_draft_says_so_and_never_withdrawn(client, intake):
    token = start_by_api(client)
    page = client.post(f"/n/{token}/withdraw", follow_redirects=True).get_data(as_text=True)
    assert "草稿已放弃" in page and "已放弃的草稿" in page and "申报已撤回" not in page


def test_party_membership_is_shown_by_the_name_the_form_offers(client, intake):
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "k")  # stored under its full name, 中国共产党党员
    token = token_of(intake, nomination_id)
    assert "中国共产党党员" not in client.get(f"/n/{token}").get_data(as_text=True)
    form = client.get(f"/n/{token}/basic").get_data(as_text=True)
    assert '<option value="中共党员" selected>' in form


def test_deeds_count_on_the_page_is_the_servers_count(client):
    token = start_by_api(client)
    client.patch(f"/api/v1/nominations/{token}", json={"deeds": "𠮷野家\r\n　食堂\t一线 "})
    page = client.get(f"/n/{token}/deeds").get_data(as_text=True)
    assert re.search(r'<span data-count="f-deeds">(\d+)</span>', page).group(1) == "7"


def test_every_page_has_its_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.mimetype == "image/x-icon" and answer.data[:4] == b"\0\0\1\0"
