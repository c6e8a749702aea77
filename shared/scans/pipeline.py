"""scan_upload: every check one uploaded file gets, as a pure function (bytes in, findings out)."""
import struct
import zlib
from dataclasses import dataclass, replace

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from . import pdf
from .findings import KINDS, Derivative, QrFinding, Refusal, ScanFindings, ScanResult, SealFinding
from .images import as_array, decode_image, preview_derivatives, shrunk
from .limits import ScanLimits
from .phash import phash, sha256_hex
from .photo import check_portrait
from .qr import qr_check, read_qr
from .seal import find_seal
from .sniff import REFUSED_TYPES, Sniffed, sniff
from shared.i18n import Message, message

# What a decoder may throw on a hostile or broken file. Anything else (a bug, a worker's time limit)
# is not the file's fault and propagates.
DECODER_FAILURES = (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError,
                    ArithmeticError, MemoryError, RuntimeError, struct.error, zlib.error, cv2.error,
                    pdfium.PdfiumError)
# What to do with a refused type (scan.type_hint.<hint> in the catalogs), by what the bytes are.
TYPE_HINTS = {"heic": "heic", "zip": "zip", "ole": "ole", "gif": "image", "webp": "image", "bmp": "image",
              "tiff": "tiff"}
# What data after an image's end looks like (scan.payload.<kind> in the catalogs).
PAYLOADS = ("zip", "html", "script", "executable")


@dataclass(frozen=True)
class _Pages:
    """Each page (an image is one page) at full size, and shrunk to preview size."""

    full: list[Image.Image]
    previews: list[Image.Image]

    @classmethod
    def of(cls, full: list[Image.Image], limits: ScanLimits) -> "_Pages":
        return cls(full, [shrunk(page, limits.preview_px) for page in full])


def scan_upload(data: bytes, kind: str, nomination_id: str, limits: ScanLimits = ScanLimits()) -> ScanResult:
    """Check one uploaded file and make its clean derivatives. Never raises for a bad file.

    Steps: SHA-256; the real type by its bytes (and what follows an image's end); the size limit;
    a safe decode (image) or active-content, encryption and page checks then a bounded render (PDF);
    preview and thumbnail derivatives; the perceptual hash; then by kind: the seal and the form's QR
    code (sealed_form), the 1-inch portrait shape (photo). A refused file has no derivatives.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown upload kind: {kind!r}")
    findings = ScanFindings(kind=kind, size=len(data), sha256=sha256_hex(data))
    try:
        derivatives = _scan(data, kind, nomination_id, findings, limits)
    except Refusal as refusal:
        findings.refuse(refusal)
        derivatives = []
    except DECODER_FAILURES as error:
        findings.refuse(Refusal("unreadable", message("scan.unreadable")))
        findings.error = f"{type(error).__name__}: {error}"
        derivatives = []
    return ScanResult(findings, derivatives)


def _scan(data: bytes, kind: str, nomination_id: str, findings: ScanFindings, limits: ScanLimits) -> list[Derivative]:
    sniffed = _accepted_type(data, kind, findings, limits)
    pages = _read_pdf(data, findings, limits) if sniffed.real_type == "pdf" else _read_image(data, findings, limits)
    findings.phash = phash(np.asarray(pages.previews[0]))
    if kind == "sealed_form":
        _check_seal(pages, findings, limits)
        _check_qr(pages, nomination_id, findings, limits)
    elif kind == "photo":
        _check_photo(findings, limits)
    return preview_derivatives(pages.previews, limits)


def _accepted_type(data: bytes, kind: str, findings: ScanFindings, limits: ScanLimits) -> Sniffed:
    sniffed = sniff(data)
    findings.real_type, findings.detected = sniffed.real_type, sniffed.detected
    findings.trailing_bytes, findings.trailing_kinds = sniffed.trailing_bytes, list(sniffed.trailing_kinds)
    findings.embedded_markup = sniffed.embedded_markup
    if sniffed.detected == "empty":
        raise Refusal("empty_file", message("scan.empty_file"))
    if sniffed.real_type is None:
        raise Refusal("unsupported_type", unsupported_type(sniffed.detected))
    if len(data) > limits.max_bytes:
        raise Refusal("file_too_large", message("scan.file_too_large", max=f"{limits.max_bytes / 1048576:.0f}",
                                                size=f"{len(data) / 1048576:.1f}"))
    if kind == "photo" and sniffed.real_type == "pdf":
        raise Refusal("photo_not_image", message("scan.photo_not_image"))
    if not sniffed.complete:
        raise Refusal("image_truncated", message("scan.image_truncated"))
    _flag_hidden_payload(sniffed, findings)
    return sniffed


def unsupported_type(detected: str) -> Message:
    """What a refused type is, and what to do with it when there is something to do."""
    what = message(f"scan.detected.{detected if detected in REFUSED_TYPES else 'unknown'}")
    if detected in TYPE_HINTS:
        return message("scan.unsupported_type_with_hint", what=what, hint=message(f"scan.type_hint.{TYPE_HINTS[detected]}"))
    return message("scan.unsupported_type", what=what)


def _flag_hidden_payload(sniffed: Sniffed, findings: ScanFindings) -> None:
    """Appended data is not refused (phones append motion clips); what looks hostile is flagged."""
    if sniffed.trailing_kinds:
        what = [message(f"scan.payload.{kind}") for kind in sniffed.trailing_kinds]
        findings.flag("image_appended_data", message("scan.image_appended_data", what=what))
    if sniffed.embedded_markup:
        findings.flag("image_embedded_markup", message("scan.image_embedded_markup"))


def _read_image(data: bytes, findings: ScanFindings, limits: ScanLimits) -> _Pages:
    image = decode_image(data, limits)
    findings.width, findings.height = image.size
    return _Pages.of([image], limits)


def _read_pdf(data: bytes, findings: ScanFindings, limits: ScanLimits) -> _Pages:
    pdf.refuse_active_content(pdf.active_content(data, limits))
    rendered = pdf.open_and_render(data, limits)
    findings.pages = rendered.count
    findings.width, findings.height = rendered.rendered[0].size
    return _Pages.of(rendered.rendered, limits)


def _check_seal(pages: _Pages, findings: ScanFindings, limits: ScanLimits) -> None:
    seals = [find_seal(np.asarray(page), limits.seal_work_px) for page in pages.previews]
    best = max(seals, key=lambda seal: (seal.found, seal.confidence))
    number = seals.index(best) + 1
    findings.seal = replace(_in_page_pixels(best, pages.full[number - 1], pages.previews[number - 1]), page=number)
    if not best.found:
        findings.flag("seal_missing", message("scan.seal_missing"))


def _in_page_pixels(seal: SealFinding, page: Image.Image, preview: Image.Image) -> SealFinding:
    """find_seal ran on the preview; report the box in the page's own pixels."""
    scale = page.width / preview.width
    if seal.box is None or scale == 1.0:
        return seal
    return replace(seal, box=tuple(round(v * scale) for v in seal.box))


def _check_qr(pages: _Pages, nomination_id: str, findings: ScanFindings, limits: ScanLimits) -> None:
    texts = list(dict.fromkeys(text for page in pages.full for text in read_qr(as_array(page, limits.qr_work_px))))
    findings.qr = QrFinding(tuple(texts), qr_check(texts, nomination_id))
    if findings.qr.check == "other_nomination":
        findings.flag("qr_other_nomination", message("scan.qr_other_nomination"))


def _check_photo(findings: ScanFindings, limits: ScanLimits) -> None:
    check = check_portrait(findings.width, findings.height, limits)
    findings.photo = check
    if not check.aspect_ok:
        findings.flag("photo_aspect", message("scan.photo_aspect", width=findings.width, height=findings.height))
    if not check.resolution_ok:
        findings.flag("photo_low_resolution", message(
            "scan.photo_low_resolution", width=findings.width, height=findings.height,
            min_width=limits.photo_min_width_px, min_height=limits.photo_min_height_px))
