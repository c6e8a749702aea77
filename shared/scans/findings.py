"""What a scan found, for the applicant's status page, the reviewer and the upload.scanned event."""
from dataclasses import asdict, dataclass, field

from .photo import PhotoCheck
from .seal import SealFinding

# The uploads of a nomination (intake), and the attachment of an objection to the public notice (review).
KINDS = ("photo", "sealed_form", "certificate", "media_proof", "objection_evidence")


class Refusal(Exception):
    """A file that cannot be accepted: a stable code and the sentence shown to the applicant."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Derivative:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class QrFinding:
    texts: tuple[str, ...]
    check: str


@dataclass
class ScanFindings:
    """real_type: "jpeg" | "png" | "pdf" | None (refused); detected: what the bytes are (see sniff).
    width, height: the upright image's pixels, or a PDF's first page as rendered for preview.
    trailing_bytes/trailing_kinds: data after an image's end marker, and what it looks like.
    codes and reasons run in step: a stable code, and the sentence shown to the applicant."""

    kind: str
    size: int
    sha256: str
    real_type: str | None = None
    detected: str | None = None
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    phash: str | None = None
    trailing_bytes: int = 0
    trailing_kinds: list[str] = field(default_factory=list)
    embedded_markup: bool = False
    seal: SealFinding | None = None
    qr: QrFinding | None = None
    photo: PhotoCheck | None = None
    refused: bool = False
    reasons: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def verdict(self) -> str:
        """"refused" (not accepted), "flagged" (accepted, with something to look at) or "ok"."""
        if self.refused:
            return "refused"
        return "flagged" if self.codes else "ok"

    def refuse(self, refusal: Refusal) -> None:
        self.refused = True
        self.codes.append(refusal.code)
        self.reasons.append(refusal.message)

    def flag(self, code: str, message: str) -> None:
        self.codes.append(code)
        self.reasons.append(message)

    def as_dict(self) -> dict:
        """Plain types only (lists, not tuples), ready for JSON."""
        plain = asdict(self)
        if self.seal is not None and self.seal.box is not None:
            plain["seal"]["box"] = list(self.seal.box)
        if self.qr is not None:
            plain["qr"]["texts"] = list(self.qr.texts)
        plain["verdict"] = self.verdict
        return plain


@dataclass(frozen=True)
class ScanResult:
    findings: ScanFindings
    derivatives: list[Derivative]
