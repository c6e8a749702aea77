"""A nomination's states in intake and what may change in each (R7, R13).

    draft ──submit──▶ submitted ──return──▶ returned ──resubmit──▶ resubmitted ──return──▶ returned …
    draft, submitted, returned, resubmitted ──withdraw──▶ withdrawn
    draft ──lapse──▶ lapsed (the close of submissions found it unsent; nothing more can be done with it)
    submitted, returned, resubmitted ──disqualify──▶ disqualified (R11, decided in review)

A submitted nomination is locked; a return opens only the fields and files it names.
The uploads it needs (R2c): upload_rules.py; replacing a flagged file: flagged_files.py; what a client may write:
client_fields.py; the channel's name: channels.py.
"""
from collections.abc import Iterable, Mapping
from enum import StrEnum

from shared.i18n import Message, message
from shared.i18n.messages import term
from services.intake.domain.errors import IntakeRefusal


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
