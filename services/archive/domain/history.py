"""A nomination's history as its archive page shows it: what happened to it, in order, in Chinese, with the
reason each step carries (a return, a withdrawal, a disqualification, an objection's outcome), and the files
of its latest submission by kind and name.

Steps with nothing to tell a reader of the archive are left out (draft saves, contact checks, a file whose
check passed, mails sent); the whole log stays one link away as JSON. After the campaign's purge a payload
has lost its personal fields; what remains of it is shown, and nothing is shown for what went."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

SUBMISSIONS = ("nomination.submitted", "nomination.resubmitted")
STEP_NAMES = {
    "nomination.submitted": "提交申报",
    "nomination.resubmitted": "按退回意见重新提交",
    "nomination.returned": "退回修改",
    "nomination.withdrawn": "撤回申报",
    "nomination.advanced": "进入下一阶段",
    "nomination.disqualified": "取消资格",
    "nomination.file_replaced": "更换文件",
    "upload.scanned": "文件检查未通过",
    "objection.filed": "收到异议",
    "objection.resolved": "异议处理",
}
SCAN_VERDICTS = {"flagged": "需人工核对", "refused": "不予接受"}
OBJECTION_OUTCOMES = {"upheld": "异议成立", "dismissed": "异议不成立"}
WITHDRAWN_BY = {"applicant": "申报人", "api": "申报人（接口）", "secretariat": "秘书处", "organisation": "推荐单位"}


@dataclass(frozen=True)
class LoggedEvent:
    event_type: str
    occurred_at: datetime
    payload: dict


@dataclass(frozen=True)
class Step:
    at: datetime
    what: str
    detail: str = ""


@dataclass(frozen=True)
class FiledFile:
    kind_name: str
    filename: str
    note: str = ""


def history(events: Iterable[LoggedEvent], stage_names: Mapping[str, str]) -> list[Step]:
    """The steps worth reading, oldest first."""
    steps = []
    for event in sorted(events, key=lambda e: e.occurred_at):
        if event.event_type not in STEP_NAMES or _is_passed_scan(event):
            continue
        steps.append(Step(event.occurred_at, STEP_NAMES[event.event_type], _detail(event, stage_names)))
    return steps


def latest_files(events: Iterable[LoggedEvent], kind_names: Mapping[str, str]) -> list[FiledFile]:
    """The files of the latest submission or resubmission, by kind and name (none before one)."""
    submissions = [e for e in events if e.event_type in SUBMISSIONS]
    if not submissions:
        return []
    latest = max(submissions, key=lambda e: e.occurred_at)
    return [FiledFile(kind_names.get(f.get("kind", ""), f.get("kind", "")), f.get("filename") or "（未记录文件名）",
                      SCAN_VERDICTS.get(f.get("verdict") or "", ""))
            for f in latest.payload.get("files") or []]


def _is_passed_scan(event: LoggedEvent) -> bool:
    return event.event_type == "upload.scanned" and event.payload.get("verdict") not in SCAN_VERDICTS


def _detail(event: LoggedEvent, stage_names: Mapping[str, str]) -> str:
    payload = event.payload
    kind = event.event_type
    if kind == "nomination.advanced":
        return f"{_stage(payload.get('from_stage'), stage_names)} → {_stage(payload.get('to_stage'), stage_names)}"
    if kind == "nomination.withdrawn":
        by = WITHDRAWN_BY.get(payload.get("by", ""), payload.get("by", ""))
        return _joined(f"由{by}撤回" if by else "", _reason(payload))
    if kind == "nomination.resubmitted":
        return f"第 {payload['version']} 版" if payload.get("version") else ""
    if kind == "upload.scanned":
        verdict = SCAN_VERDICTS[payload["verdict"]]
        return _joined(payload.get("filename") or "", verdict, "；".join(payload.get("reasons") or []))
    if kind == "objection.resolved":
        return _joined(OBJECTION_OUTCOMES.get(payload.get("outcome", ""), ""), _reason(payload))
    if kind == "objection.filed":
        return payload.get("summary", "")
    return _reason(payload)


def _reason(payload: dict) -> str:
    reason = (payload.get("reason") or "").strip()
    return f"理由：{reason}" if reason else ""


def _stage(code: str | None, stage_names: Mapping[str, str]) -> str:
    return stage_names.get(code or "", code or "？")


def _joined(*parts: str) -> str:
    return "；".join(part for part in parts if part)
