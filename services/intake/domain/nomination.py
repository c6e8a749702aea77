"""A nomination's states in intake, what may change in each, and the uploads it needs (R2c, R7, R13).

    draft ──submit──▶ submitted ──return──▶ returned ──resubmit──▶ resubmitted ──return──▶ returned …
    draft, submitted, returned, resubmitted ──withdraw──▶ withdrawn
    draft ──lapse──▶ lapsed (the close of submissions found it unsent; nothing more can be done with it)
    submitted, returned, resubmitted ──disqualify──▶ disqualified (R11, decided in review)

A submitted nomination is locked; a return opens only the fields and files it names.
"""
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum

from shared.campaign.model import Campaign, UploadRequirement
from shared.campaign.schema import SEALED_FORM
from services.intake.domain.errors import IntakeRefusal

CONTENT_TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF"}


class NominationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"
    LAPSED = "lapsed"


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    DISQUALIFY = "disqualify"
    LAPSE = "lapse"


S, A = NominationState, Action
TRANSITIONS: dict[tuple[NominationState, Action], NominationState] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.LAPSE): S.LAPSED,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.RESUBMITTED, A.RETURN): S.RETURNED,
    (S.RETURNED, A.RESUBMIT): S.RESUBMITTED,
    **{(state, A.WITHDRAW): S.WITHDRAWN for state in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED)},
    **{(state, A.DISQUALIFY): S.DISQUALIFIED for state in (S.SUBMITTED, S.RETURNED, S.RESUBMITTED)},
}
STATE_NAMES = {
    S.DRAFT: "草稿",
    S.SUBMITTED: "已提交",
    S.RETURNED: "已退回待修改",
    S.RESUBMITTED: "已重新提交",
    S.WITHDRAWN: "已撤回",
    S.DISQUALIFIED: "已取消资格",
    S.LAPSED: "未提交（征集已截止）",
}
ACTION_NAMES = {
    A.SUBMIT: "提交",
    A.RETURN: "退回修改",
    A.RESUBMIT: "重新提交",
    A.WITHDRAW: "撤回",
    A.DISQUALIFY: "取消资格",
    A.LAPSE: "截止未提交",
}
# A place in the organisation's quota is held from submission on; a withdrawal frees it, a
# disqualification does not (R11: fraud does not earn a fresh place).
QUOTA_HOLDING_STATES = frozenset({S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.DISQUALIFIED})
FINAL_STATES = frozenset({S.WITHDRAWN, S.DISQUALIFIED, S.LAPSED})
APPLICANT_ACTIONS = frozenset({A.SUBMIT, A.RESUBMIT, A.WITHDRAW})


class InvalidTransition(IntakeRefusal):
    """The message lists what the same side (applicant, or review) may do instead."""

    def __init__(self, state: str, action: str):
        super().__init__(_transition_refusal(state, action))
        self.state = state
        self.action = action


class FieldLocked(IntakeRefusal):
    def __init__(self, state: str, fields: list[str], labels: Mapping[str, str]):
        shown = "、".join(labels.get(field, field) for field in fields)
        if state == S.RETURNED:
            message = f"退回修改时只能修改退回意见指出的内容，以下内容不能修改：{shown}"
        else:
            message = f"推荐状态为“{STATE_NAMES.get(state, state)}”，以下内容不能修改：{shown}"
        super().__init__(message)
        self.fields = tuple(fields)


class UploadsIncomplete(IntakeRefusal):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = tuple(problems)


class UploadRefused(IntakeRefusal):
    pass


LAPSED_REFUSAL = "征集申报已截止，此申报未提交，不能再修改或上传材料"


# Sent and not yet decided: a file its scan flagged or refused may still be replaced until the material
# check starts (the close of submissions), so that a submission is not stuck with it (its only other exit:
# withdrawing). A verdict that came late (a submission that went through while its files were still being
# checked, on the last evening) leaves the applicant `scan_wait.replace_hours` after it.
SENT_STATES = frozenset({S.SUBMITTED, S.RESUBMITTED})
NEEDS_REPLACING = ("flagged", "refused")


def replaceable_until(campaign: Campaign, verdict_at: datetime | None) -> datetime:
    """The first instant a flagged or refused file of a sent nomination may no longer be replaced."""
    close = campaign.submission.ends_before
    if verdict_at is None:
        return close
    return max(close, verdict_at + timedelta(hours=campaign.scan_wait.replace_hours))


def may_replace_flagged(campaign: Campaign, now: datetime, verdict_at: datetime | None,
                        closed_by_announcement: bool = False) -> bool:
    """`closed_by_announcement`: the scheduler announced the close of submissions, which then counts as come
    whatever this clock says (a late verdict's hours after it still run)."""
    if closed_by_announcement:
        now = max(now, campaign.submission.ends_before)
    return now < replaceable_until(campaign, verdict_at)


def check_may_replace_flagged(campaign: Campaign, now: datetime, verdict_at: datetime | None = None,
                              closed_by_announcement: bool = False) -> None:
    if not may_replace_flagged(campaign, now, verdict_at, closed_by_announcement):
        raise UploadRefused("材料审核已开始，已提交的材料不能再更换；如评审退回修改，将开放相应材料")


# What the applicant fills in; the rest of a nomination's data (its campaign, channel, recommending
# organisation and kind of nominee) is set by the server when it starts and never written by a client.
CLIENT_SECTIONS = ("person", "team", "domain", "deeds", "media_honours", "contact")
SERVER_OWNED = ("campaign_id", "channel", "recommender", "nominee_kind")


class NotClientWritable(IntakeRefusal):
    def __init__(self, fields: list[str], labels: Mapping[str, str]):
        owned = [field for field in fields if field in SERVER_OWNED]
        if owned:
            message = f"以下内容由系统设定，不能修改：{'、'.join(labels.get(f, f) for f in owned)}"
        else:
            message = f"表单中没有以下内容：{'、'.join(fields)}"
        super().__init__(message)
        self.fields = tuple(fields)


def check_client_fields(changes: Mapping, labels: Mapping[str, str]) -> None:
    """Refuses a change to anything but the sections the applicant fills in."""
    refused = [key for key in changes if key not in CLIENT_SECTIONS]
    if refused:
        raise NotClientWritable(refused, labels)


def with_server_fields(data: Mapping, *, campaign_id: str, channel: str, nominee_kind: str) -> dict:
    """The data with the server's own values of the fields no client writes."""
    return {**data, "campaign_id": campaign_id, "channel": channel, "nominee_kind": nominee_kind}


def transition(state: str, action: str) -> NominationState:
    """The state after `action`, or InvalidTransition with the Chinese reason."""
    try:
        return TRANSITIONS[(NominationState(state), Action(action))]
    except (KeyError, ValueError):
        raise InvalidTransition(state, action) from None


def _transition_refusal(state: str, action: str) -> str:
    if state not in STATE_NAMES:
        return f"无法识别的推荐状态“{state}”"
    if action not in ACTION_NAMES:
        return f"无法识别的操作“{action}”"
    same_side = [a for a in allowed_actions(state) if (a in APPLICANT_ACTIONS) == (action in APPLICANT_ACTIONS)]
    message = f"推荐当前状态为“{STATE_NAMES[state]}”，不能{ACTION_NAMES[action]}"
    if same_side:
        return f"{message}；当前可进行的操作：{'、'.join(ACTION_NAMES[a] for a in same_side)}"
    if state in FINAL_STATES:
        return f"{message}；此推荐已结束，不能再进行任何操作"
    return message


ABANDONED_DRAFT_NAME = "已放弃的草稿"


def state_name(state: str, version: int) -> str:
    """The state in the applicant's words: a draft withdrawn before it was ever submitted was abandoned,
    not withdrawn (nothing was sent, nothing is taken back)."""
    if state == S.WITHDRAWN and not version:
        return ABANDONED_DRAFT_NAME
    return STATE_NAMES.get(state, state)


def allowed_actions(state: str) -> list[Action]:
    return [action for (from_state, action) in TRANSITIONS if from_state == state]


def holds_quota_place(state: str) -> bool:
    return state in QUOTA_HOLDING_STATES


def can_edit(state: str, field: str, returned_fields: Iterable[str] = ()) -> bool:
    """Drafts are open; a returned nomination is open in the fields (dotted paths) the return named
    and below them (`person` opens `person.phone`); every other state is locked."""
    if state == S.DRAFT:
        return True
    if state == S.RETURNED:
        return any(field == opened or field.startswith(f"{opened}.") for opened in returned_fields)
    return False


def check_edit(
    state: str,
    changed_fields: Iterable[str],
    returned_fields: Iterable[str] = (),
    labels: Mapping[str, str] | None = None,
) -> None:
    """Refuses a change that touches a locked field; `labels` give the fields' Chinese names."""
    opened = list(returned_fields)
    locked = [field for field in changed_fields if not can_edit(state, field, opened)]
    if locked:
        raise FieldLocked(state, locked, labels or {})


def required_uploads(campaign: Campaign, channel_code: str, nominee_kind: str) -> list[UploadRequirement]:
    """The uploads a nomination of this kind through this channel cannot be submitted without."""
    campaign.channel(channel_code)
    return [upload for upload in allowed_uploads(campaign, nominee_kind) if upload.is_required]


def allowed_uploads(campaign: Campaign, nominee_kind: str) -> list[UploadRequirement]:
    return [upload for upload in campaign.uploads if upload.applies_to(nominee_kind)]


def missing_uploads(
    campaign: Campaign, channel_code: str, uploaded_kinds: Iterable[str], *, nominee_kind: str
) -> list[str]:
    """The kinds still short of their minimum; `uploaded_kinds` holds one entry per uploaded file."""
    counts = Counter(uploaded_kinds)
    required = required_uploads(campaign, channel_code, nominee_kind)
    return [upload.kind for upload in required if counts[upload.kind] < upload.min_count]


def upload_problems(
    campaign: Campaign, channel_code: str, uploaded_kinds: Iterable[str], *, nominee_kind: str
) -> list[str]:
    """Every reason, in Chinese, why these uploads cannot be submitted (missing, too many, not asked for)."""
    counts = Counter(uploaded_kinds)
    allowed = {upload.kind: upload for upload in allowed_uploads(campaign, nominee_kind)}
    channel = campaign.channel(channel_code)
    problems = []
    for upload in allowed.values():
        if counts[upload.kind] < upload.min_count:
            problems.append(_missing_message(upload, counts[upload.kind], channel.requires_unit_seal_for_validity))
        elif counts[upload.kind] > upload.max_count:
            problems.append(f"{upload.name}最多上传 {upload.max_count} 份，现有 {counts[upload.kind]} 份")
    problems += [f"本推荐不需要“{kind}”类材料，请删除" for kind in counts if kind not in allowed]
    return problems


def check_uploads_complete(
    campaign: Campaign, channel_code: str, uploaded_kinds: Iterable[str], *, nominee_kind: str
) -> None:
    problems = upload_problems(campaign, channel_code, uploaded_kinds, nominee_kind=nominee_kind)
    if problems:
        raise UploadsIncomplete(problems)


def check_upload_allowed(
    campaign: Campaign, nominee_kind: str, kind: str, content_type: str, size_bytes: int, already: int
) -> UploadRequirement:
    """Refuses (UploadRefused) a file before it is stored: a kind not asked for, a type not accepted, too
    large, or one more than the maximum (`already` files of this kind are held). The declared type only:
    the scan checks the real one."""
    upload = next((u for u in allowed_uploads(campaign, nominee_kind) if u.kind == kind), None)
    if upload is None:
        raise UploadRefused(f"本推荐不需要“{kind}”类材料")
    if content_type not in upload.content_types:
        accepted = "、".join(CONTENT_TYPE_NAMES.get(t, t) for t in upload.content_types)
        raise UploadRefused(f"{upload.name}只接受 {accepted} 格式的文件")
    if size_bytes > upload.max_bytes:
        raise UploadRefused(
            f"{upload.name}文件大小 {_megabytes(size_bytes)} 超过上限 {_megabytes(upload.max_bytes)}"
        )
    if already >= upload.max_count:
        raise UploadRefused(f"{upload.name}最多上传 {upload.max_count} 份，请先删除一份再上传")
    return upload


def _missing_message(upload: UploadRequirement, count: int, seal_makes_valid: bool) -> str:
    if upload.kind == SEALED_FORM and seal_makes_valid:
        return "个人自荐须上传加盖申请人单位公章的报名表（申请人单位意见），否则报名无效"
    if upload.kind == SEALED_FORM:
        return "请上传加盖所在单位（或部门）公章的纸质报名表"
    return f"请上传{upload.name}（需 {upload.min_count} 份，已上传 {count} 份）"


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
