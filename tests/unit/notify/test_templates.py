import re

import pytest

from services.notify.domain.catalogue import (
    MESSAGES,
    RECOMMENDER_UPDATES,
    SAMPLES,
    SMS_MESSAGES,
    TEMPLATE_VARIABLES,
    sample_context,
)
from services.notify.domain.templates import (
    TEMPLATE_FOLDER,
    MessageTemplates,
    TemplateError,
    check_template,
    render,
    template_file,
)

pytestmark = pytest.mark.unit

MESSAGES_ABOUT_ONE_NOMINATION = {name for name, sample in SAMPLES.items() if "reference" in sample}

LANGS = ("zh", "en")
EMAIL_FILES = [(name, lang) for name in MESSAGES for lang in LANGS]
SMS_FILES = [(name, lang) for name in sorted(SMS_MESSAGES) for lang in LANGS]


@pytest.fixture
def templates():
    return MessageTemplates()


def test_template_folder_has_exactly_the_catalogue_files():
    expected = {template_file(name, lang, "email") for name, lang in EMAIL_FILES}
    expected |= {template_file(name, lang, "sms") for name, lang in SMS_FILES}
    assert {path.name for path in TEMPLATE_FOLDER.iterdir()} == expected


@pytest.mark.parametrize("name,lang", EMAIL_FILES)
def test_email_template_renders_with_catalogue_context(name, lang):
    rendered = render(name, lang, "email", sample_context(name))
    assert sample_context(name)["campaign_name"] in rendered.subject
    assert sample_context(name)["campaign_name"] in rendered.body
    assert "{{" not in rendered.body and "{%" not in rendered.body
    assert "【演示】" not in rendered.subject


@pytest.mark.parametrize("name,lang", SMS_FILES)
def test_sms_template_renders_short_on_one_line(name, lang):
    rendered = render(name, lang, "sms", sample_context(name))
    assert rendered.subject == ""
    assert "\n" not in rendered.body
    assert sample_context(name)["campaign_short_name"] in rendered.body


@pytest.mark.parametrize("name", sorted(SMS_MESSAGES))
def test_chinese_sms_stays_under_70_characters_without_its_link(name):
    body = render(name, "zh", "sms", sample_context(name)).body
    assert len(re.sub(r"\s*https?://\S+", "", body)) <= 70


@pytest.mark.parametrize("file_name", MessageTemplates().files())
def test_shipped_template_passes_the_check(templates, file_name):
    templates.check(file_name, templates.shipped_source(file_name))


def test_catalogue_lists_the_common_placeholders_for_every_message():
    for name in MESSAGES:
        assert {"campaign_name", "campaign_short_name", "is_demo", "recipient_name"} <= TEMPLATE_VARIABLES[name]


def test_check_template_refuses_unknown_placeholder_naming_it():
    source = "Subject: {{ campaign_name }}\n您好，{{ foo }}"
    with pytest.raises(TemplateError) as refused:
        check_template("submission_received.zh.txt", source)
    assert str(refused.value) == "模板中有未知占位符：{{ foo }}"


def test_check_template_names_every_unknown_placeholder():
    source = "Subject: {{ campaign_name }}\n{{ zeta }}{% if alpha %}{{ status_url }}{% endif %}"
    with pytest.raises(TemplateError) as refused:
        check_template("submission_received.zh.txt", source)
    assert refused.value.problems == ["模板中有未知占位符：{{ alpha }}、{{ zeta }}"]


def test_check_template_refuses_placeholder_of_another_message():
    with pytest.raises(TemplateError, match=r"\{\{ deadline_local \}\}"):
        check_template("shortlisted.zh.txt", "Subject: x\n{{ deadline_local }}")


def test_check_template_accepts_loop_variables_and_filters():
    check_template("reviewer_digest.zh.txt",
                   "Subject: {{ item_count }}\n{% for item in items %}{{ loop.index }} {{ item.domain|upper }}\n{% endfor %}")


def test_check_template_reports_syntax_error_with_its_line():
    source = "Subject: {{ campaign_name }}\n您好：\n{% if status_url %}\n{{ status_url }"
    with pytest.raises(TemplateError) as refused:
        check_template("submission_received.zh.txt", source)
    assert refused.value.problems[0].startswith("模板第4行有语法错误")


def test_check_template_reports_unknown_filter_as_error():
    with pytest.raises(TemplateError, match="模板第2行有语法错误"):
        check_template("shortlisted.zh.txt", "Subject: x\n{{ nominee_name|shout }}")


def test_check_template_refuses_email_without_subject_line():
    with pytest.raises(TemplateError, match="Subject"):
        check_template("shortlisted.zh.txt", "{{ nominee_name }}已入围")


def test_check_template_accepts_sms_without_subject_line():
    check_template("shortlisted.zh.sms", "{{ campaign_short_name }}：{{ nominee_name }}已入围")


def test_check_template_refuses_unknown_message():
    with pytest.raises(TemplateError, match="没有名为“nonsense”的消息"):
        check_template("nonsense.zh.txt", "Subject: x\n")


def test_check_template_refuses_wrong_attribute_of_list_item():
    source = "Subject: x\n{% for item in items %}{{ item.nominee_nam }}{% endfor %}"
    with pytest.raises(TemplateError, match="nominee_nam"):
        check_template("reviewer_digest.zh.txt", source)


def test_check_template_refuses_escape_from_the_sandbox_saying_why_in_chinese():
    with pytest.raises(TemplateError, match="模板不能使用“.__class__”：以下划线开头的属性出于安全原因不可用"):
        check_template("shortlisted.zh.txt", "Subject: x\n{{ nominee_name.__class__.__mro__ }}")


def test_render_refuses_context_missing_a_placeholder():
    context = sample_context("shortlisted")
    del context["status_url"]
    with pytest.raises(TemplateError, match="status_url"):
        render("shortlisted", "zh", "email", context)


def test_render_marks_demo_campaign_in_subject():
    context = {**sample_context("shortlisted"), "is_demo": True}
    rendered = render("shortlisted", "zh", "email", context)
    assert rendered.subject.startswith("【演示】")
    assert rendered.subject.count("【演示】") == 1


def test_render_marks_demo_campaign_in_sms_text():
    context = {**sample_context("shortlisted"), "is_demo": True}
    assert render("shortlisted", "zh", "sms", context).body.startswith("【演示】")


def test_render_marks_demo_campaign_in_english_subject():
    context = {**sample_context("shortlisted"), "is_demo": True}
    assert render("shortlisted", "en", "email", context).subject.startswith("【演示 Demo】")


def test_render_falls_back_to_chinese_for_unknown_language():
    context = sample_context("shortlisted")
    assert render("shortlisted", "fr", "email", context) == render("shortlisted", "zh", "email", context)


def test_render_refuses_sms_for_email_only_message():
    with pytest.raises(TemplateError, match="只发邮件，没有短信文本"):
        render("reviewer_digest", "zh", "sms", sample_context("reviewer_digest"))


def test_check_template_refuses_sms_text_for_email_only_message():
    with pytest.raises(TemplateError, match="“reviewer_digest”只发邮件"):
        check_template("reviewer_digest.zh.sms", "{{ item_count }}")


def test_render_puts_subject_line_apart_from_body():
    rendered = render("submission_received", "zh", "email", sample_context("submission_received"))
    assert rendered.subject == "全国教育后勤系统“2022年度最美后勤人”推举活动｜已收到您的申报材料"
    assert rendered.body.startswith("申报编号：2022-00042\n\n李红梅，您好：\n\n")
    assert "Subject:" not in rendered.body


@pytest.mark.parametrize("name", sorted(MESSAGES_ABOUT_ONE_NOMINATION))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_render_of_a_message_about_one_nomination_names_its_reference(name, lang):
    rendered = render(name, lang, "email", sample_context(name))
    assert rendered.body.startswith(("申报编号：2022-00042\n", "Reference: 2022-00042\n"))


@pytest.mark.parametrize("name", sorted(MESSAGES_ABOUT_ONE_NOMINATION))
def test_render_without_a_reference_leaves_no_empty_line(name):
    rendered = render(name, "zh", "email", {**sample_context(name), "reference": ""})
    assert "申报编号" not in rendered.body
    assert not rendered.body.startswith("\n")


@pytest.mark.parametrize("name, listed", [("reviewer_digest", "items"), ("reminder_draft_unsubmitted", "drafts")])
def test_render_of_a_list_names_each_nominations_reference(name, listed):
    context = sample_context(name)
    body = render(name, "zh", "email", context).body
    assert all(item["reference"] in body for item in context[listed])


def test_render_greets_without_name_when_none_is_known():
    context = {**sample_context("objection_received"), "recipient_name": ""}
    assert render("objection_received", "zh", "email", context).body.startswith("您好：")


@pytest.mark.parametrize("update", RECOMMENDER_UPDATES)
def test_recommender_update_says_what_happened(update):
    context = {**sample_context("recommender_update"), "update": update}
    bodies = {other: render("recommender_update", "zh", "email", {**context, "update": other}).body
              for other in RECOMMENDER_UPDATES}
    assert list(bodies.values()).count(bodies[update]) == 1


def test_returned_for_correction_lists_fields_files_and_deadline():
    body = render("returned_for_correction", "zh", "email", sample_context("returned_for_correction")).body
    assert "- 事迹材料\n" in body
    assert "- 最高荣誉证书扫描件\n" in body
    assert "请于2023年3月10日 18:00（北京时间）前" in body


def test_load_overrides_takes_precedence_over_files(templates):
    refused = templates.load_overrides({"shortlisted.zh.txt": "Subject: 入围了\n恭喜{{ nominee_name }}"})
    rendered = templates.render("shortlisted", "zh", "email", sample_context("shortlisted"))
    assert refused == {}
    assert rendered == type(rendered)(subject="入围了", body="恭喜王秀兰\n")


def test_load_overrides_leaves_out_a_template_that_fails_the_check(templates):
    refused = templates.load_overrides({"shortlisted.zh.txt": "Subject: x\n{{ foo }}"})
    rendered = templates.render("shortlisted", "zh", "email", sample_context("shortlisted"))
    assert refused == {"shortlisted.zh.txt": "模板中有未知占位符：{{ foo }}"}
    assert "已入围" in rendered.subject


def test_load_overrides_again_without_an_edit_restores_the_file(templates):
    templates.load_overrides({"shortlisted.zh.txt": "Subject: 入围了\n恭喜"})
    templates.load_overrides({})
    assert "已入围" in templates.render("shortlisted", "zh", "email", sample_context("shortlisted")).subject


def test_load_overrides_refuses_a_bare_message_name(templates):
    refused = templates.load_overrides({"shortlisted": "Subject: x\n"})
    assert list(refused) == ["shortlisted"]


def test_current_source_is_the_edit_when_there_is_one(templates):
    edit = "Subject: 入围了\n恭喜{{ nominee_name }}"
    templates.load_overrides({"shortlisted.zh.txt": edit})
    assert templates.current_source("shortlisted.zh.txt") == edit
    assert templates.current_source("shortlisted.en.txt") == templates.shipped_source("shortlisted.en.txt")


def test_preview_renders_an_edit_with_example_values(templates):
    rendered = templates.preview("shortlisted.zh.txt", "Subject: {{ nominee_name }}入围\n{{ domain }}")
    assert rendered.subject == "王秀兰入围"
    assert rendered.body == "伙食管理\n"


def test_preview_refuses_an_edit_that_fails_the_check(templates):
    with pytest.raises(TemplateError, match="foo"):
        templates.preview("shortlisted.zh.txt", "Subject: x\n{{ foo }}")


@pytest.mark.parametrize("resent, has_password, says", [
    (False, False, "请点击以下链接设置密码、开通账号"),
    (True, False, "秘书处应贵单位要求重新发送了账号开通邀请"),
    (True, True, "请点击以下链接设置新密码（原密码随即失效）"),
])
def test_invitation_says_whether_it_was_sent_again_and_never_speaks_of_a_person(resent, has_password, says):
    context = {**sample_context("organisation_invited"), "resent": resent, "has_password": has_password}
    rendered = render("organisation_invited", "zh", "email", context)
    assert says in rendered.body and "本人" not in rendered.body
    assert ("重新发送" in rendered.subject) == resent


@pytest.mark.parametrize("codes, says, never", [
    (["qr_other_nomination"], "您上传的报名表属于另一份申报", "公章且清晰可见"),
    (["seal_missing"], "如报名表确已加盖单位公章且清晰可见", "另一份申报"),
    (["photo_aspect"], "如确认文件无误", "公章且清晰可见"),
])
def test_a_flagged_file_mail_advises_on_what_was_found(codes, says, never):
    context = {**sample_context("scan_needs_action"), "codes": codes, "reasons": ["（检查结果）"]}
    body = render("scan_needs_action", "zh", "email", context).body
    assert says in body and never not in body
