"""Whether a nomination's files let it be sent (R2c, R7, R13): every file's scan must be done and none
refused; a sealed form on which no seal was detected needs the applicant's word that it is sealed, and
stays flagged for the material check.

    refused file             -> FilesRefused (delete it and upload another)
    scan still running       -> ScansPending (wait: scans take seconds; the page shows their progress),
                                unless the submission may not wait (waits_for_scans): then it goes through
    no seal detected         -> SealNotConfirmed, unless the applicant confirmed the seal

R3 is about when the applicant submitted: a submission is never refused or held past a deadline because the
scans lag behind the forms (the last evening). It waits for a file still being checked only while the
scans keep up and the deadline is not near; otherwise it is recorded as submitted at that instant with the
file pending, and a file its scan flags or refuses afterwards is mailed to the applicant and may be
replaced (nomination.check_may_replace_flagged). A file already refused still blocks the submission.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.campaign.parts import require_aware, ScanWait
from shared.campaign.codes import SEALED_FORM
from shared.i18n import Message, message
from shared.i18n.messages import term
from services.intake.domain.errors import IntakeRefusal

SEAL_MISSING = "seal_missing"
SEAL_NOT_DETECTED_FLAG = "seal_not_detected"


@dataclass(frozen=True)
class ScannedFile:
    """One current upload as the submission sees it; `verdict` is None while its scan runs."""

    kind: str
    name: str  # the upload kind's name, e.g. 加盖公章的纸质报名表
    filename: str
    verdict: str | None
    codes: tuple[str, ...] = ()

    @property
    def seal_not_detected(self) -> bool:
        return self.kind == SEALED_FORM and SEAL_MISSING in self.codes


class FilesNotReady(IntakeRefusal):
    def __init__(self, refusal: Message, problems: list[Message]):
        super().__init__(refusal)
        self.problems = tuple(problems)


class FilesRefused(FilesNotReady):
    def __init__(self, files: list[ScannedFile]):
        super().__init__(message("intake.files_refused", count=len(files)),
                         [_about("intake.file_refused", f) for f in files])


class ScansPending(FilesNotReady):
    def __init__(self, files: list[ScannedFile]):
        super().__init__(message("intake.scans_pending", count=len(files)),
                         [_about("intake.file_pending", f) for f in files])


class SealNotConfirmed(FilesNotReady):
    def __init__(self, files: list[ScannedFile]):
        refusal = message("intake.seal_not_confirmed")
        super().__init__(refusal, [refusal])


def waits_for_scans(policy: ScanWait, now: datetime, deadline_ends_before: datetime, scan_lag_seconds: float) -> bool:
    """Whether a submission holding a file still being checked waits for it: only while the scans keep up
    (the oldest file waiting has waited at most `max_lag_seconds`) and the deadline (its first instant
    closed) is more than `hours_before_deadline` away."""
    near = require_aware(now) >= require_aware(deadline_ends_before) - timedelta(hours=policy.hours_before_deadline)
    return not near and scan_lag_seconds <= policy.max_lag_seconds


def check_files_ready(files: Iterable[ScannedFile], *, seal_confirmed: bool, wait_for_scans: bool = True) -> list[str]:
    """Refuses files that are not ready to send; returns the flags the material check must look at. With
    `wait_for_scans` False a file still being checked does not hold the submission back."""
    files = list(files)
    refused = [f for f in files if f.verdict == "refused"]
    if refused:
        raise FilesRefused(refused)
    pending = [f for f in files if f.verdict is None]
    if pending and wait_for_scans:
        raise ScansPending(pending)
    unsealed = [f for f in files if f.seal_not_detected]
    if unsealed and not seal_confirmed:
        raise SealNotConfirmed(unsealed)
    return [SEAL_NOT_DETECTED_FLAG] if unsealed else []


def _about(code: str, file: ScannedFile) -> Message:
    return message(code, upload=term(f"intake.upload.{file.kind}", file.name), filename=_quoted(file.filename))


def _quoted(filename: str) -> str:
    return filename.replace("“", "\"").replace("”", "\"")
