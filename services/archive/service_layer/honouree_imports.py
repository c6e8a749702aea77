"""The secretariat's import of an earlier campaign's honouree list in two steps, the same from the page and
from the JSON API: the file is read and checked (a preview of every row it would record and every problem,
by row), and waits in the archive's bucket under a token; confirming the token records all rows or none."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from minio.error import S3Error

from services.archive.adapters.honouree_files import MAX_BYTES, UnreadableFile, read_rows
from services.archive.bootstrap import Archive
from services.archive.service_layer.registry import ImportPreview, import_honourees, preview_import

PENDING = "imports/"
KEPT_FOR = timedelta(days=1)  # a preview never confirmed is removed after this (the sealer)
MAX_TOKEN = 40


class ImportRefused(ValueError):
    """Said to the secretariat as it is (Chinese); `code` for the JSON API."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def stage_import(archive: Archive, data: bytes, filename: str) -> tuple[str | None, ImportPreview]:
    """The preview of the file, and the token that confirms it (None when the file has a problem: such a
    file is not kept, and nothing of it can be imported)."""
    try:
        rows = read_rows(data, filename)
    except UnreadableFile as refusal:
        raise ImportRefused(str(refusal), "unreadable_file") from None
    preview = preview_import(archive, rows)
    if preview.check.problems:
        return None, preview
    token = f"{uuid.uuid4().hex}-{'xlsx' if filename.lower().endswith('.xlsx') or data[:2] == b'PK' else 'csv'}"
    archive.store.put_bytes(PENDING + token, data, content_type="application/octet-stream")
    return token, preview


def confirm_import(archive: Archive, token: str) -> int:
    """Records every row of the previewed file, or none; how many were new. The file then goes."""
    if not token or len(token) > MAX_TOKEN or not token.replace("-", "").isalnum() or "-" not in token:
        raise ImportRefused("导入请求无效，请重新上传", "bad_token")
    try:
        data = archive.store.get_bytes(PENDING + token, max_size=MAX_BYTES)
    except S3Error:
        raise ImportRefused("预览已失效，请重新上传", "preview_expired") from None
    try:
        count = import_honourees(archive, read_rows(data, f"upload.{token.rsplit('-', 1)[1]}"))
    except (UnreadableFile, ValueError) as refusal:
        raise ImportRefused(f"未导入任何记录：{refusal}", "file_has_problems") from None
    archive.store.remove(PENDING + token)
    return count


def forget_stale_imports(archive: Archive, now: datetime, kept_for: timedelta = KEPT_FOR) -> int:
    """Previewed files never confirmed, removed once `kept_for` has passed; how many went. Confirming one
    after that says the preview has gone."""
    stale = list(archive.store.keys_stored_before(PENDING, now - kept_for))
    for key in stale:
        archive.store.remove(key)
    return len(stale)
