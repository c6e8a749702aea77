"""Where a nomination stands in review (stage 2 of the notice), and what each review action is called.

    material_check ──approve──▶ approved ──shortlist──▶ shortlisted
          │  └──return──▶ returned ──(resubmitted)──▶ material_check      approved ──decline──▶ not_shortlisted
          └──refuse──▶ refused (ineligible, with the rule)
    any state but a final one ──disqualify──▶ disqualified (R11)     ──(withdrawn)──▶ withdrawn

Part 2, the committee's stages after `shortlisted` (bulk acts of the secretariat, not per-nomination rules):

    shortlisted ──confirm the list──▶ candidate (the first N of the ranking) | not_selected (the rest, in order)
    not_selected ──refill (a candidate disqualified or withdrawn)──▶ candidate
    candidate ──confirm the honourees after the public notice──▶ honouree
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
    CANDIDATE = "candidate"
    NOT_SELECTED = "not_selected"
    HONOUREE = "honouree"


class Action(StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    REFUSE = "refuse"
    SHORTLIST = "shortlist"
    DECLINE = "decline"
    DISQUALIFY = "disqualify"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    SELECT = "select"
    RESERVE = "reserve"
    REFILL = "refill"
    ANNOUNCE = "announce"


STATE_NAMES = {
    State.MATERIAL_CHECK: "材料审核中",
    State.RETURNED: "已退回补正",
    State.APPROVED: "材料审核通过，待分支机构推举",
    State.REFUSED: "不符合推荐条件",
    State.SHORTLISTED: "已入围",
    State.NOT_SHORTLISTED: "未入围",
    State.DISQUALIFIED: "已取消资格",
    State.WITHDRAWN: "已撤回",
    State.CANDIDATE: "入选候选人",
    State.NOT_SELECTED: "未入选候选人（递补序列）",
    State.HONOUREE: "获通报表扬",
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
    Action.SELECT: "确定为入选候选人",
    Action.RESERVE: "列入递补序列",
    Action.REFILL: "递补为入选候选人",
    Action.ANNOUNCE: "确定为通报表扬对象",
}
FINAL_STATES = frozenset({State.REFUSED, State.NOT_SHORTLISTED, State.DISQUALIFIED, State.WITHDRAWN, State.HONOUREE})
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
