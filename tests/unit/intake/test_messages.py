"""Every refusal the intake can produce reads in English: a message code through the catalogs
(shared.i18n): refusals, field messages, scan reasons and the web layer's own.

The messages are produced by the code itself where it is cheap (the schemas on bad data, the domain's
rules, the scan's refusals); each IntakeRefusal subclass (test_refusal_messages.py) and each scan code
(test_scan_messages.py) must have samples, so a new refusal without English fails. Here: the form's field
messages and the web layer's."""
from __future__ import annotations

import re

import pytest

from services.intake.domain.priority import MEDIA_HONOUR_LEVELS
from shared.i18n import message
from shared.i18n.catalogs import render
from services.intake.field_messages import field_problem, honour_row_problem
from services.intake.schemas import nomination_schema
from services.intake.schemas.labels import FIELD_LABELS
from services.intake.schemas.problems import flatten_errors, named_rows, started_honour_problems
from tests.unit.intake.bilingual import assert_speaks_both

pytestmark = pytest.mark.unit


def schema_messages(campaign, payload: dict, *, draft: bool = False) -> list[tuple[str, str]]:
    return flatten_errors(nomination_schema(campaign, draft=draft).validate(payload))


BAD_PERSON = {"name": "张3", "gender": "x", "ethnic_group": "火星族", "age": "abc", "political_status": "x",
              "phone": "123", "email": "bad", "unit": "a", "department": "a", "position": "x" * 51,
              "address": "a", "postcode": "12", "unknown_field": "?"}
BAD_TEAM = {"name": "a", "unit": "a", "department": "a", "address": "a", "postcode": "1",
            "leader": {"name": "1", "position": "x" * 51, "phone": "1", "email": "x"},
            "members": [{"name": "1", "role": "x" * 31}]}
BAD_HONOURS = [{"title": "a", "level": "宇宙级", "issuer": "a", "date": "yesterday"},
               {"title": "好人好事", "level": "校级", "issuer": "本校", "date": "2999-01-01"}, "not a row"]


@pytest.fixture(scope="module")
def form_messages(campaign) -> list[tuple[str, str]]:
    """Every kind of field message the registration form produces."""
    person_kind = {"campaign_id": "other", "channel": "nope", "nominee_kind": "person", "domain": "nope",
                   "deeds": "短", "person": BAD_PERSON, "team": BAD_TEAM, "media_honours": BAD_HONOURS * 6,
                   "contact": {"name": "1", "email": "x", "phone": "010-62512345"}}
    team_kind = {"campaign_id": campaign.id, "channel": "local_association", "nominee_kind": "team",
                 "team": {**BAD_TEAM, "members": []}, "media_honours": "not a list", "contact": "not a dict"}
    return [
        *schema_messages(campaign, {}),
        *schema_messages(campaign, {"nominee_kind": "robot", "recommender": 5, "deeds": 5}),
        *schema_messages(campaign, {"nominee_kind": "person", "person": {"age": 200}}, draft=True),
        *schema_messages(campaign, {"nominee_kind": "team", "team": {"leader": "x", "members": ["x"]}}),
        *schema_messages(campaign, {"person": "not a dict"}, draft=True),
        *schema_messages(campaign, {"nominee_kind": "person"}),
        *schema_messages(campaign, person_kind),
        *schema_messages(campaign, team_kind),
        *schema_messages(campaign, {"contact": {"phone": "010-62512345"}}, draft=True),
    ]


def test_form_messages_each_speak_both_languages(form_messages):
    for _path, message in form_messages:
        assert_speaks_both(message)


def test_form_messages_with_honour_rows_speak_both_languages(campaign):
    rows = [{"title": "a", "level": "宇宙级", "issuer": "", "date": "2999-01-01"}]
    for _path, problem in named_rows(started_honour_problems(campaign, rows)):
        assert_speaks_both(problem)


def test_form_messages_reach_every_field_of_the_form(form_messages):
    paths = {re.sub(r"\.\d+", "", path) for path, _ in form_messages}
    assert set(FIELD_LABELS) <= paths


def test_a_phone_message_names_the_field_in_each_language():
    problem = field_problem("contact.phone", "intake.hint.mobile")
    assert render(problem, "zh_Hans") == "联系人手机：请输入 11 位手机号码，如 13812345678"
    assert render(problem, "en") == "Contact's mobile phone: please enter an 11-digit mobile number, e.g. 13812345678"


def test_a_field_message_with_values_renders_them_in_each_language(campaign):
    (path, problem), = schema_messages(campaign, {"deeds": "短"}, draft=True)
    limits = campaign.form_limits
    assert render(problem, "zh_Hans") == (
        f"事迹材料：请填写 {limits.deeds_min_chars}–{limits.deeds_max_chars} 字（现 1 字，不计空白）")
    assert render(problem, "en") == (f"Account of deeds: please write {limits.deeds_min_chars}–"
                                     f"{limits.deeds_max_chars} characters (now 1, not counting whitespace)")


def test_a_problem_of_an_honour_row_names_the_row_in_each_language():
    problem = honour_row_problem(2, field_problem("media_honours.issuer", "intake.hint.required"))
    assert render(problem, "zh_Hans") == "第 2 项表彰·颁发单位：必填"
    assert render(problem, "en") == "Honour 2: Issued by: required"


def test_the_honour_level_hint_lists_the_levels_of_the_rules():
    assert render(message("intake.hint.honour_level"), "zh_Hans") == f"请选择 {'、'.join(MEDIA_HONOUR_LEVELS)} 之一"


WEB_MESSAGES = [message("intake.no_file_chosen"), message("intake.link_invalid"), message("intake.invitation_invalid"),
                message("intake.invitation_expired"), message("intake.verification_invalid"),
                message("intake.verification_expired"), message("intake.passwords_differ"),
                message("intake.file_over_limit", max=20), message("intake.hint.not_in_form"),
                message("intake.honour_deleted", row=3), field_problem("channel", "intake.hint.max_chars", max=30),
                field_problem("reason", "intake.hint.max_chars", max=500),
                field_problem("submit_key", "intake.hint.max_chars", max=100)]


@pytest.mark.parametrize("message", WEB_MESSAGES, ids=str)
def test_web_layer_message_speaks_both_languages(message):
    assert_speaks_both(message)


def test_a_bad_link_says_why_in_each_language():
    from services.intake.adapters.links import BadLink, nomination_from_token

    with pytest.raises(BadLink) as caught:
        nomination_from_token("secret", "forged")
    assert render(caught.value.refusal, "zh_Hans") == "链接无效或已被篡改，请使用邮件中的完整链接"
    assert render(caught.value.refusal, "en").startswith("This link is not valid")
