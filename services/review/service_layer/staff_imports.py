"""The secretariat's import of a staff list in two steps: the file is read and checked, and a preview says
whom it adds and what it changes for whom (domain/staff_import.py); the file waits in review's bucket under
a token for an hour (review's beat removes it after, when it was never confirmed). Confirming the token saves
every row of that same file, or none."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from minio.error import S3Error

from services.review.adapters.staff_files import staff_rows
from services.review.domain.people import StaffMember
from services.review.domain.staff_import import StaffChange, counts, staff_changes
from services.review.service_layer.staff import ImportResult, checked_members, import_members, staff_members
from shared.db import reading

if TYPE_CHECKING:
    from services.review.bootstrap import Review

HELD = "staff-imports/"
MAX_BYTES = 2 * 1024 * 1024
KEPT_FOR = timedelta(hours=1)
TOKEN = re.compile(r"^(?P<at>\d{10})-[0-9a-f]{32}-(?P<kind>csv|xlsx)$")


class StaffImportRefused(ValueError):
    """Said to the secretariat as it is."""


@dataclass(frozen=True)
class StaffImportPreview:
    token: str | None  # None: the file has problems and is not kept
    changes: tuple[StaffChange, ...]
    problems: dict[int, dict[str, str]]

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.changes)


def preview_staff_import(review: "Review", filename: str, data: bytes) -> StaffImportPreview:
    """Raises UnreadableFile for a file that is not a readable list."""
    members, problems = checked_members(review, staff_rows(filename, data))
    if not members and not problems:
        problems = {0: {"file": "文件中没有人员：表头下没有数据行"}}
    if problems:
        return StaffImportPreview(None, (), problems)
    with reading(review.sessions) as session:
        current = {member.subject: member for member in staff_members(session)}
    kind = "xlsx" if data[:2] == b"PK" else "csv"
    token = f"{int(review.clock().timestamp()):010d}-{uuid.uuid4().hex}-{kind}"
    review.store.put_bytes(HELD + token, data, content_type="application/octet-stream")
    return StaffImportPreview(token, tuple(staff_changes(current, members)), {})


def confirm_staff_import(review: "Review", token: str, *, by: StaffMember | None) -> ImportResult:
    match = TOKEN.match(token or "")
    if match is None:
        raise StaffImportRefused("导入请求无效，请重新上传文件")
    if review.clock().timestamp() - int(match["at"]) > KEPT_FOR.total_seconds():
        _forget(review, token)
        raise StaffImportRefused("预览已超过 1 小时失效，请重新上传文件")
    try:
        data = review.store.get_bytes(HELD + token, max_size=MAX_BYTES)
    except S3Error:
        raise StaffImportRefused("预览已失效（文件已导入或已过期），请重新上传文件") from None
    result = import_members(review, staff_rows(f"held.{match['kind']}", data), by=by)
    _forget(review, token)
    return result


def forget_stale_staff_imports(review: "Review") -> int:
    """Held files never confirmed, removed once their hour is over (review's beat); how many went."""
    now = review.clock().timestamp()
    stale = [key for key in review.store.keys(HELD)
             if (match := TOKEN.match(key[len(HELD):])) is None or now - int(match["at"]) > KEPT_FOR.total_seconds()]
    for key in stale:
        review.store.remove(key)
    return len(stale)


def _forget(review: "Review", token: str) -> None:
    review.store.remove(HELD + token)
