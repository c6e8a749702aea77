"""The uploads a nomination needs (R2c, R7): which kinds, how many, of what type and size; why a set of
files cannot be submitted, and why one file is refused before it is stored."""
from collections import Counter
from collections.abc import Iterable

from shared.campaign.codes import SEALED_FORM
from shared.campaign.model import Campaign
from shared.campaign.parts import Channel, UploadRequirement
from shared.i18n import Message, message
from shared.i18n.messages import term
from services.intake.domain.channels import channel_term
from services.intake.domain.errors import IntakeRefusal

CONTENT_TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF"}


class UploadsIncomplete(IntakeRefusal):
    def __init__(self, problems: list[Message]):
        super().__init__(problems[0])
        self.problems = tuple(problems)


class UploadRefused(IntakeRefusal):
    pass


def upload_term(upload: UploadRequirement) -> Message:
    """An upload kind by the campaign's name of it, translated where the catalog knows the kind."""
    return term(f"intake.upload.{upload.kind}", upload.name)


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
        raise UploadRefused("intake.upload_not_needed", kind=_quoted(kind))
    if content_type not in upload.content_types:
        accepted = [CONTENT_TYPE_NAMES.get(t, t) for t in upload.content_types]
        raise UploadRefused("intake.upload_type", upload=upload_term(upload), types=accepted)
    if size_bytes > upload.max_bytes:
        raise UploadRefused("intake.upload_too_large", upload=upload_term(upload), size=_megabytes(size_bytes),
                            max=_megabytes(upload.max_bytes))
    if already >= upload.max_count:
        raise UploadRefused("intake.upload_limit_reached", upload=upload_term(upload), max=upload.max_count)
    return upload


def check_has_bytes(upload: UploadRequirement, size_bytes: int) -> None:
    """A stored file of no bytes is refused at once (a broken upload, often from a phone): its scan would
    only find it unreadable, a minute later."""
    if size_bytes <= 0:
        raise UploadRefused("intake.upload_empty", upload=upload_term(upload))


def _missing_message(upload: UploadRequirement, count: int, channel: Channel, nominee_kind: str) -> Message:
    if upload.kind == SEALED_FORM and channel.requires_unit_seal_for_validity:
        return message("intake.sealed_form_makes_valid", channel=channel_term(channel, nominee_kind))
    if upload.kind == SEALED_FORM:
        return message("intake.sealed_form_missing")
    return message("intake.upload_missing", upload=upload_term(upload), min=upload.min_count, count=count)


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


QUOTED_KIND_MAX = 30


def _quoted(kind: str) -> str:
    """A kind the address names, as the refusal repeats it: never longer than any kind a campaign has."""
    return kind if len(kind) <= QUOTED_KIND_MAX else kind[:QUOTED_KIND_MAX] + "…"
