import pytest

from services.notify.domain.catalogue import TEMPLATE_VARIABLES
from services.notify.domain.digest import QueueItem, plan_reviewer_digests
from services.notify.domain.model import CampaignInfo, Recipient
from services.notify.domain.templates import render
from tests.unit.notify.builders import InMemoryDirectory

pytestmark = pytest.mark.unit

CAMPAIGN = CampaignInfo("2022-zuimei-houqin", "全国教育后勤系统“2022年度最美后勤人”推举活动", is_demo=True)


def reviewer(email):
    return Recipient("reviewer", "张评审", email)


@pytest.fixture
def directory():
    directory = InMemoryDirectory()
    directory.reviewers = {
        "伙食管理": [reviewer("food@a.cn"), reviewer("both@a.cn")],
        "信息化": [reviewer("both@a.cn")],
    }
    return directory


ITEMS = [
    QueueItem("N-1", "王秀兰", "伙食管理"),
    QueueItem("N-2", "赵刚", "信息化", resubmitted=True),
    QueueItem("N-3", "孙丽", "学生公寓"),
]


def test_digest_is_one_message_per_reviewer_with_their_domains(directory):
    planned = plan_reviewer_digests(CAMPAIGN, ITEMS, directory, "2023-03-02", "https://t/review")
    assert [(m.recipient.email, [i["nominee_name"] for i in m.context["items"]]) for m in planned] == [
        ("food@a.cn", ["王秀兰"]),
        ("both@a.cn", ["王秀兰", "赵刚"]),
    ]
    assert planned[1].context["items"][1]["kind_label"] == "补正后重新提交"
    assert planned[0].dedup_key == "digest:2022-zuimei-houqin:2023-03-02:food@a.cn:email"


def test_digest_without_reviewers_for_the_domain_sends_nothing(directory):
    assert plan_reviewer_digests(CAMPAIGN, [ITEMS[2]], directory, "2023-03-02", "https://t/review") == []


def test_digest_renders_with_demo_mark(directory):
    message = plan_reviewer_digests(CAMPAIGN, ITEMS, directory, "2023-03-02", "https://t/review")[1]
    rendered = render(message.template, message.lang, message.channel, message.context)
    assert set(message.context) == TEMPLATE_VARIABLES["reviewer_digest"]
    assert rendered.subject == "【演示】全国教育后勤系统“2022年度最美后勤人”推举活动｜您的评审队列新增2项工作"
    assert "- 赵刚（信息化，补正后重新提交）" in rendered.body
