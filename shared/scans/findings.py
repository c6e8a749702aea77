"""What a scan found, for the applicant's status page, the reviewer and the upload.scanned event."""
from dataclasses import asdict, dataclass, field

from shared.i18n.catalogs import chinese
from shared.i18n.messages import Message, as_plain, from_plain

from .photo import PhotoCheck


@dataclass(frozen=True)
class SealFinding:
    """box is (x, y, width, height) in the pixels of the image searched; page counts from 1."""

    found: bool
    confidence: float
    box: tuple[int, int, int, int] | None
    page: int = 1


# The uploads of a nomination (intake), and the attachment of an objection to the public notice (review).
KINDS = ("photo", "sealed_form", "certificate", "media_proof", "objection_evidence")


class Refusal(Exception):
    """A file that cannot be accepted: a stable code, and what the applicant is told (`said`, a message code
    with parameters rendered in the reader's language; `message` is its Chinese text)."""

    def __init__(self, code: str, said: Message):
        self.code = code
        self.said = said
        self.message = chinese(said)
        super().__init__(self.message)


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
    codes, reasons and messages run in step: a stable code, its Chinese sentence (kept for the readers of
    stored rows and events), and the message to render in the reader's language (as_plain; reason_messages)."""

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
    messages: list[dict] = field(default_factory=list)
    error: str | None = None

    @property
    def verdict(self) -> str:
        """"refused" (not accepted), "flagged" (accepted, with something to look at) or "ok"."""
        if self.refused:
            return "refused"
        return "flagged" if self.codes else "ok"

    def refuse(self, refusal: Refusal) -> None:
        self.refused = True
        self.flag(refusal.code, refusal.said)

    def flag(self, code: str, said: Message) -> None:
        self.codes.append(code)
        self.reasons.append(chinese(said))
        self.messages.append(as_plain(said))

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


def reason_messages(findings: dict) -> list[Message]:
    """The reasons of stored findings (ScanFindings.as_dict) as messages to render: by code and parameters;
    findings stored before they kept their messages show their Chinese reasons as written."""
    reasons, messages = list(findings.get("reasons") or []), findings.get("messages")
    if isinstance(messages, list) and len(messages) == len(reasons):
        return [from_plain(said) for said in messages]
    return [Message("", {}, str(reason)) for reason in reasons]
