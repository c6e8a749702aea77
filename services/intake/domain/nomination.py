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

from shared.campaign.model import Campaign, Channel, UploadRequirement
from shared.campaign.schema import SEALED_FORM
from shared.i18n import Message, message
from shared.i18n.messages import term
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
        shown = field_names(fields, labels)
        if state == S.RETURNED:
            super().__init__("intake.field_locked_returned", fields=shown)
        else:
            super().__init__("intake.field_locked", state=state_term(state), fields=shown)
        self.fields = tuple(fields)


class UploadsIncomplete(IntakeRefusal):
    def __init__(self, problems: list[Message]):
        super().__init__(problems[0])
        self.problems = tuple(problems)


class UploadRefused(IntakeRefusal):
    pass


LAPSED_REFUSAL = "intake.lapsed"

# Where review's decisions take a sent nomination (nomination.advanced), in the applicant's words. Once review
# has decided, what it decided on stays what is on file: no file is replaced any more (the secretariat can
# still return the nomination, which opens what it names).
REVIEW_STAGE_NAMES = {
    "approved": "材料审核通过",
    "shortlisted": "已入围",
    "not_shortlisted": "未入围",
    "candidate": "已确定为候选人",
    "not_selected": "未确定为候选人",
    "honouree": "获得通报表扬",
}


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
                              closed_by_announcement: bool = False, review_stage: str | None = None) -> None:
    if review_stage is not None:
        raise UploadRefused("intake.replacement_after_decision", stage=message(f"intake.review_stage.{review_stage}"))
    if not may_replace_flagged(campaign, now, verdict_at, closed_by_announcement):
        raise UploadRefused("intake.replacement_closed")


# What the applicant fills in; the rest of a nomination's data (its campaign, channel, recommending
# organisation and kind of nominee) is set by the server when it starts and never written by a client.
CLIENT_SECTIONS = ("person", "team", "domain", "deeds", "media_honours", "contact")
SERVER_OWNED = ("campaign_id", "channel", "recommender", "nominee_kind")


class NotClientWritable(IntakeRefusal):
    def __init__(self, fields: list[str], labels: Mapping[str, str]):
        owned = [field for field in fields if field in SERVER_OWNED]
        if owned:
            super().__init__("intake.server_owned", fields=field_names(owned, labels))
        else:
            super().__init__("intake.not_in_form", fields=list(fields))
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


def _transition_refusal(state: str, action: str) -> Message:
    if state not in STATE_NAMES:
        return message("intake.unknown_state", state=state)
    if action not in ACTION_NAMES:
        return message("intake.unknown_action", action=action)
    same_side = [a for a in allowed_actions(state) if (a in APPLICANT_ACTIONS) == (action in APPLICANT_ACTIONS)]
    names = {"state": state_term(state), "action": message(f"intake.action.{action}")}
    if same_side:
        return message("intake.transition_refused_allowed", **names,
                       allowed=[message(f"intake.action.{a}") for a in same_side])
    if state in FINAL_STATES:
        return message("intake.transition_refused_final", **names)
    return message("intake.transition_refused", **names)


def state_term(state: str) -> Message:
    """A state's name as a message parameter (the catalog's words are STATE_NAMES', a unit test checks)."""
    return message(f"intake.state.{state}") if state in STATE_NAMES else Message("", {}, state)


def field_names(fields: Iterable[str], labels: Mapping[str, str]) -> list[Message]:
    """Fields by their labels (`labels` holds the Chinese; the catalog the other languages')."""
    return [term(f"intake.field.{field}", labels.get(field, field)) for field in fields]


def upload_term(upload: UploadRequirement) -> Message:
    """An upload kind by the campaign's name of it, translated where the catalog knows the kind."""
    return term(f"intake.upload.{upload.kind}", upload.name)


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
) -> list[Message]:
    """Every reason why these uploads cannot be submitted (missing, too many, not asked for)."""
    counts = Counter(uploaded_kinds)
    allowed = {upload.kind: upload for upload in allowed_uploads(campaign, nominee_kind)}
    channel = campaign.channel(channel_code)
    problems = []
    for upload in allowed.values():
        if counts[upload.kind] < upload.min_count:
            problems.append(_missing_message(upload, counts[upload.kind], channel, nominee_kind))
        elif counts[upload.kind] > upload.max_count:
            problems.append(message("intake.upload_too_many", upload=upload_term(upload), max=upload.max_count,
                                    count=counts[upload.kind]))
    problems += [message("intake.upload_not_needed_delete", kind=kind) for kind in counts if kind not in allowed]
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
        raise UploadRefused("intake.upload_not_needed", kind=kind)
    if content_type not in upload.content_types:
        accepted = [CONTENT_TYPE_NAMES.get(t, t) for t in upload.content_types]
        raise UploadRefused("intake.upload_type", upload=upload_term(upload), types=accepted)
    if size_bytes > upload.max_bytes:
        raise UploadRefused("intake.upload_too_large", upload=upload_term(upload), size=_megabytes(size_bytes),
                            max=_megabytes(upload.max_bytes))
    if already >= upload.max_count:
        raise UploadRefused("intake.upload_limit_reached", upload=upload_term(upload), max=upload.max_count)
    return upload


def _missing_message(upload: UploadRequirement, count: int, channel: Channel, nominee_kind: str) -> Message:
    if upload.kind == SEALED_FORM and channel.requires_unit_seal_for_validity:
        return message("intake.sealed_form_makes_valid", channel=channel_term(channel, nominee_kind))
    if upload.kind == SEALED_FORM:
        return message("intake.sealed_form_missing")
    return message("intake.upload_missing", upload=upload_term(upload), min=upload.min_count, count=count)


TEAM_SELF_NOMINATION = "团队自荐"


def channel_name(channel: Channel, nominee_kind: str) -> str:
    """The channel as the nomination is put forward: a team nominating itself is 团队自荐, not 个人自荐."""
    if channel.is_self_nomination and nominee_kind == "team":
        return TEAM_SELF_NOMINATION
    return channel.name


def channel_term(channel: Channel, nominee_kind: str) -> Message:
    """channel_name as a message parameter."""
    if channel.is_self_nomination and nominee_kind == "team":
        return message("intake.channel.self_team")
    return term(f"intake.channel.{channel.code}", channel.name)


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
