"""Where a nomination stands in review (stage 2 of the notice), and what each review action is called.

    material_check ──approve──▶ approved ──shortlist──▶ shortlisted
          │  └──return──▶ returned ──(resubmitted)──▶ material_check      approved ──decline──▶ not_shortlisted
          └──refuse──▶ refused (ineligible, with the rule)
    any state but a final one ──disqualify──▶ disqualified (R11)     ──(withdrawn)──▶ withdrawn

Part 2 adds the committee's stages after `shortlisted` by adding states and rules, not by changing these.
"""
from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    MATERIAL_CHECK = "material_check"
    RETURNED = "returned"
    APPROVED = "approved"
    REFUSED = "refused"
    SHORTLISTED = "shortlisted"
    NOT_SHORTLISTED = "not_shortlisted"
    DISQUALIFIED = "disqualified"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    REFUSE = "refuse"
    SHORTLIST = "shortlist"
    DECLINE = "decline"
    DISQUALIFY = "disqualify"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"


STATE_NAMES = {
    State.MATERIAL_CHECK: "材料审核中",
    State.RETURNED: "已退回补正",
    State.APPROVED: "材料审核通过，待分支机构推举",
    State.REFUSED: "不符合推荐条件",
    State.SHORTLISTED: "已入围",
    State.NOT_SHORTLISTED: "未入围",
    State.DISQUALIFIED: "已取消资格",
    State.WITHDRAWN: "已撤回",
}
ACTION_NAMES = {
    Action.APPROVE: "审核通过",
    Action.RETURN: "退回补正",
    Action.REFUSE: "认定不符合条件",
    Action.SHORTLIST: "推举入围",
    Action.DECLINE: "不予入围",
    Action.DISQUALIFY: "取消资格",
    Action.RESUBMIT: "重新提交",
    Action.WITHDRAW: "撤回",
}
FINAL_STATES = frozenset({State.REFUSED, State.NOT_SHORTLISTED, State.DISQUALIFIED, State.WITHDRAWN})
# The rules a nomination can be found ineligible under at the material check, with the notice's words.
INELIGIBILITY_RULES = {
    "R1": "被推荐对象主要来自学校后勤管理服务一线的员工和团队",
    "R2c": "个人自荐须有加盖单位公章的申请人单位意见",
    "R2d": "分支机构只能在委员单位范围内推荐",
    "R9": "已获往届通报表扬的个人与集体不予参与",
    "R13": "个人申报或组织推荐均须加盖所在单位（或部门）公章",
}
FRAUD_RULE = "R11"


def state_name(code: str) -> str:
    try:
        return STATE_NAMES[State(code)]
    except ValueError:
        return code
