"""scan_upload: every check one uploaded file gets, as a pure function (bytes in, findings out)."""
import struct
import zlib
from dataclasses import dataclass, replace

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from . import pdf
from .findings import KINDS, Derivative, QrFinding, Refusal, ScanFindings, ScanResult
from .images import as_array, decode_image, preview_derivatives, shrunk
from .limits import ScanLimits
from .phash import phash, sha256_hex
from .photo import check_portrait
from .qr import qr_check, read_qr
from .seal import SealFinding, find_seal
from .sniff import REFUSED_TYPE_LABELS, Sniffed, sniff

# What a decoder may throw on a hostile or broken file. Anything else (a bug, a worker's time limit)
# is not the file's fault and propagates.
DECODER_FAILURES = (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError,
                    ArithmeticError, MemoryError, RuntimeError, struct.error, zlib.error, cv2.error,
                    pdfium.PdfiumError)
TYPE_HINTS = {
    "heic": "：请在手机相册中将照片导出为 JPG 后上传",
    "zip": "：压缩包请解压后逐个上传，Word、Excel 文档请打印后扫描上传",
    "ole": "：请打印后扫描，或导出为 PDF 后上传",
    "gif": "：请另存为 JPG 或 PNG 后上传",
    "webp": "：请另存为 JPG 或 PNG 后上传",
    "bmp": "：请另存为 JPG 或 PNG 后上传",
    "tiff": "：请另存为 JPG、PNG 或 PDF 后上传",
}
PAYLOAD_LABELS = {"zip": "ZIP 压缩包", "html": "HTML 网页", "script": "脚本", "executable": "可执行程序"}


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
        findings.refuse(Refusal("unreadable", "文件无法读取，可能已损坏：请重新导出后上传"))
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
        raise Refusal("empty_file", "文件为空（0 字节）：请重新选择文件上传")
    if sniffed.real_type is None:
        label = REFUSED_TYPE_LABELS.get(sniffed.detected, REFUSED_TYPE_LABELS["unknown"])
        hint = TYPE_HINTS.get(sniffed.detected, "")
        raise Refusal("unsupported_type", f"文件类型不受支持：仅接受 JPG、PNG、PDF（检测到 {label}）{hint}")
    if len(data) > limits.max_bytes:
        raise Refusal("file_too_large", f"文件过大：最大 {limits.max_bytes / 1048576:.0f} MB，"
                                        f"本文件 {len(data) / 1048576:.1f} MB")
    if kind == "photo" and sniffed.real_type == "pdf":
        raise Refusal("photo_not_image", "照片须为 JPG 或 PNG 图片，不接受 PDF：请上传一寸证件照图片")
    if not sniffed.complete:
        raise Refusal("image_truncated", "图片文件不完整（可能上传中断或文件已损坏）：请重新上传")
    _flag_hidden_payload(sniffed, findings)
    return sniffed


def _flag_hidden_payload(sniffed: Sniffed, findings: ScanFindings) -> None:
    """Appended data is not refused (phones append motion clips); what looks hostile is flagged."""
    if sniffed.trailing_kinds:
        labels = "、".join(PAYLOAD_LABELS[kind] for kind in sniffed.trailing_kinds)
        findings.flag("image_appended_data", f"图片末尾附带了额外数据（{labels}），可能被改动过："
                                             "预览已去除这些数据，请上传相机或扫描仪生成的原始图片")
    if sniffed.embedded_markup:
        findings.flag("image_embedded_markup", "图片内部含有网页代码，可能被改动过：请上传相机或扫描仪生成的原始图片")


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
        findings.flag("seal_missing", "未检测到公章：请上传加盖单位公章的报名表扫描件")


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
        findings.flag("qr_other_nomination", "报名表上的二维码属于另一份推荐材料：请上传本推荐对应报名表的盖章扫描件")


def _check_photo(findings: ScanFindings, limits: ScanLimits) -> None:
    check = check_portrait(findings.width, findings.height, limits)
    findings.photo = check
    if not check.aspect_ok:
        findings.flag("photo_aspect", f"照片比例不符合一寸证件照（宽:高约 5:7，本照片 {findings.width}×"
                                      f"{findings.height} 像素）：请上传一寸证件照")
    if not check.resolution_ok:
        findings.flag("photo_low_resolution", f"照片分辨率偏低（{findings.width}×{findings.height} 像素，"
                                              f"至少需 {limits.photo_min_width_px}×{limits.photo_min_height_px}）："
                                              "请上传更清晰的证件照")
