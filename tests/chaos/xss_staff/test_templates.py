"""Cross-site scripting payloads (tests/chaos/xss.py) written into a message template by the secretariat in
notify's template editor (`/admin/templates/<file_name>`, in headless Chromium, signed in at Keycloak, the
form's CSRF token): the confirmation mail's template gets markup in its subject and every payload in its
body. Templates are text, rendered in Jinja's sandbox (autoescape off: nothing in a text is markup); the
mail's HTML part escapes everything the text holds (html_mail.py), and the admin's preview shows the text in
a <pre>. So a payload in a template is taken and rendered inert: the preview and the saved template's page,
the confirmation sent with it (a `nomination.submitted` event read by notify's consumer, sent by its
worker) on notify's message pages and as rendered from Mailpit. Templates that try to leave the sandbox are
refused with a reason in Chinese (422), never run. The shipped text is restored at the end."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from shared.campaign import demo_copy, load_campaign
from shared.config import Settings
from shared.events import new_event
from tests.chaos.results import record
from tests.chaos.test_xss_pages import hostile_submission, mails_to, message_links
from tests.chaos.xss import ALL, MARKUP, STAFF_PART, Tally, Watch, render_mails, signed_in, visit, with_mails
from tests.e2e.browser import chromium
from tests.integration.review.conftest import publish

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]

FILE = "submission_received.zh.txt"
SOURCE = ("Subject: {{ campaign_name }}｜已收到 " + MARKUP[0] + " " + MARKUP[2] + "\n"
          "{{ nominee_name|safe }}，您好：\n\n{% raw %}" + "\n\n".join(ALL) + "{% endraw %}\n\n"
          "- {% raw %}" + MARKUP[1] + "{% endraw %}\n\n{{ status_url }}\n")
# Ways out of Jinja's sandbox: each must be refused.
ESCAPES = tuple("Subject: 模板\n" + source for source in (
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}", "{{ lipsum.__globals__['os'].environ }}",
    "{{ nominee_name|attr('__class__') }}"))


def submit(watch: Watch, url: str, source: str, action: str) -> int:
    """The source typed into the editor and sent by one of its buttons; the answer's status."""
    page = watch.page
    page.goto(f"{url}/admin/templates/{FILE}")
    page.fill("textarea[name=source]", source)
    with page.expect_navigation() as answer:
        page.locator(f"button[name=action][value={action}]").click()
    page.keyboard.press("Tab")
    return answer.value.status if answer.value else 0


def reset(watch: Watch, url: str) -> None:
    watch.page.goto(f"{url}/admin/templates/{FILE}")
    button = watch.page.get_by_role("button", name="恢复系统自带文本")
    if button.count():
        with watch.page.expect_navigation():
            button.click()


def test_payloads_in_a_message_template_are_inert_and_escapes_refused(xss_system, chaos_env):
    urls = xss_system["urls"]
    editor, messages, rendered = Tally(part=STAFF_PART), Tally(part=STAFF_PART), Tally(part=STAFF_PART)
    settings = Settings.from_env("notify", chaos_env)
    campaign = demo_copy(load_campaign(settings.campaign_file), datetime.now(timezone.utc))
    with chromium() as browser:
        secretariat = signed_in(browser, f"{urls['notify']}/admin/templates/{FILE}")
        try:
            escapes, refusals = {}, []
            for source in ESCAPES:
                escapes[source] = submit(secretariat, urls["notify"], source, "preview")
                refusals.append(" ".join(secretariat.page.locator(".problems").all_inner_texts()))
            assert submit(secretariat, urls["notify"], SOURCE, "preview") == 200
            editor.check(secretariat, "the editor's preview")
            assert submit(secretariat, urls["notify"], SOURCE, "save") == 200
            assert "已保存" in secretariat.page.inner_text("body")
            editor.check(secretariat, "the saved template's page")
            visit(secretariat, editor, urls["notify"], ["/admin/templates"])
            tag = uuid.uuid4().hex[:8]
            nomination_id, payload = hostile_submission(campaign, MARKUP[1], tag, 0)  # the name through |safe
            publish(settings.kafka_bootstrap, new_event("nomination.submitted", nomination_id, payload,
                                                        producer="intake"))
            mails = mails_to(chaos_env["TUIJU_MAILPIT_API"], payload["contact"]["email"], 1)
            secretariat.open(f"{urls['notify']}/admin/messages?nomination_id={nomination_id}")
            links = message_links(secretariat)
            visit(secretariat, messages, urls["notify"], with_mails(links))
            render_mails(browser, rendered, [(payload["contact"]["email"], mail) for mail in mails])
        finally:
            reset(secretariat, urls["notify"])
    refused = all(status == 422 for status in escapes.values()) and all("模板无法用示例数据生成" in text for text in refusals)
    record(STAFF_PART, "notify's template editor: templates reaching out of Jinja's sandbox (__class__, __globals__, "
           "the template's context, |attr) previewed", refused,
           f"answers {sorted(set(escapes.values()))}; {refusals[0][:140]}")
    how = "every payload in the confirmation's template, markup in its subject, the nominee's name (markup) |safe, saved in notify's editor in Chromium"
    held = [editor.record(f"notify's template editor: the preview, the saved template's page, the list ({how})"),
            messages.record(f"notify's message pages of a confirmation sent with that template ({how})"),
            rendered.record(f"the confirmation sent with that template, read from Mailpit and rendered ({how})")]
    assert refused and all(held), (escapes, [t.harm or sorted(set(ALL) - t.shown) for t in (editor, messages, rendered)])
