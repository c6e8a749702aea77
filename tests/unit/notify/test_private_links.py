import pytest

from services.notify.domain.catalogue import MESSAGES, sample_context
from services.notify.domain.private_links import without_private_links
from services.notify.domain.templates import render

pytestmark = pytest.mark.unit

PRIVATE_KEYS = ("status_url", "edit_url", "invitation_url", "verify_url")


def private_links(context: dict) -> list[str]:
    found = [context[key] for key in PRIVATE_KEYS if context.get(key)]
    for listed in ("drafts", "nominations"):
        found += [item["edit_url"] for item in context.get(listed) or [] if item.get("edit_url")]
    return found


@pytest.mark.parametrize("name", MESSAGES)
def test_no_private_link_of_a_shipped_message_is_shown_to_operators(name):
    context = sample_context(name)
    shown = without_private_links(render(name, "zh", "email", context).body, context)
    assert not [link for link in private_links(context) if link in shown]


def test_a_hidden_link_keeps_its_site_and_kind_and_says_it_is_hidden():
    text = "请通过专属链接处理：https://tuiju.example.cn/n/WyIzZiJd.sig。"
    assert without_private_links(text) == "请通过专属链接处理：https://tuiju.example.cn/n/…（专属链接，已隐藏）。"


def test_public_links_of_the_message_stay():
    context = {"notice_url": "https://tuiju.example.cn/notice/2022", "review_url": "https://r.example.cn/queue"}
    text = "公示：https://tuiju.example.cn/notice/2022 评审：https://r.example.cn/queue"
    assert without_private_links(text, context) == text


def test_a_link_typed_into_an_edited_template_is_hidden_too():
    assert "secret" not in without_private_links("见 https://evil.example/secret-token", {})
