"""Words and formats for the admin pages: states, channels, recipients, templates, Beijing time."""
from __future__ import annotations

from datetime import datetime

from flask import Flask

from services.notify.domain.failures import FAILURE_LABELS
from services.notify.domain.labels import BEIJING
from services.notify.domain.private_links import without_private_links

STATES = {"held": "暂缓待放行", "pending": "待发送", "sent": "已发送", "failed": "失败"}
CHANNELS = {"email": "邮件", "sms": "短信"}
RECIPIENT_KINDS = {"contact": "申报联系人", "nominee": "被推荐人", "recommender": "推荐单位",
                   "objector": "异议人", "reviewer": "评审人"}
TEMPLATES = {
    "submission_received": "申报已收到",
    "resubmission_received": "补正材料已收到",
    "withdrawn": "申报已撤回",
    "scan_needs_action": "上传材料需处理",
    "returned_for_correction": "退回补正",
    "shortlisted": "入围",
    "not_shortlisted": "未入围",
    "selected_for_public_notice": "入选候选人公示",
    "objection_received": "异议已收到",
    "objection_outcome": "异议处理结果",
    "disqualified": "取消资格",
    "honouree_announced": "获评通报",
    "recommender_update": "推荐单位进展通知",
    "reviewer_digest": "评审待办汇总",
    "reminder_draft_unsubmitted": "草稿未提交提醒",
    "reminder_unused_quota": "推荐名额未用完提醒",
    "reminder_reviewer_open_work": "评审待办提醒",
    "reminder_committee_scoring": "委员评分提醒",
    "stage_announcement": "阶段开始或结束通知",
    "organisation_invited": "推荐单位账号邀请",
    "contact_verification": "联系人邮箱验证",
    "nomination_links": "申报专属链接",
}
CAUSES = {
    "nomination.submitted": "提交申报", "nomination.resubmitted": "补正后重新提交",
    "nomination.withdrawn": "撤回申报", "upload.scanned": "上传材料检查",
    "nomination.returned": "退回补正", "nomination.advanced": "评审进入下一阶段",
    "nomination.disqualified": "取消资格", "candidates.published": "候选人公示",
    "objection.filed": "提出异议", "objection.resolved": "异议处理",
    "honourees.confirmed": "结果确定", "reminder": "定时提醒", "digest": "评审汇总",
    "organisation.invited": "导入推荐单位",
    "nomination.contact_verification_requested": "请求验证联系人邮箱", "nomination.contact_verified": "联系人邮箱已验证",
    "nomination.links_requested": "找回申报链接",
    "scoring.reminder_requested": "秘书处发送评分提醒",
    "campaign.stage_opened": "阶段开始", "campaign.stage_closed": "阶段结束",
}


def beijing(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def beijing_short(moment: datetime | None) -> str:
    """`12-01 09:30`: the date and minute, for the dense list (the full time is in its title)."""
    if moment is None:
        return ""
    return moment.astimezone(BEIJING).strftime("%m-%d %H:%M")


def label(table: dict[str, str], code: str | None) -> str:
    return table.get(code or "", code or "")


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        beijing=beijing,
        beijing_short=beijing_short,
        state_label=lambda code: label(STATES, code),
        failure_label=lambda code: label(FAILURE_LABELS, code),
        channel_label=lambda code: label(CHANNELS, code),
        kind_label=lambda code: label(RECIPIENT_KINDS, code),
        template_label=lambda code: label(TEMPLATES, code),
        cause_label=lambda code: label(CAUSES, code),
        without_private_links=without_private_links,
    )
    app.jinja_env.globals.update(STATES=STATES, TEMPLATES=TEMPLATES, FAILURES=FAILURE_LABELS)
