"""PDF checks through pdfium's view (password, encryption, scripts, attachments, XFA, the page
limit), then a bounded render of the first pages. The file's own bytes are checked by pdf_content."""
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from shared.i18n import message

from .findings import Refusal
from .limits import ScanLimits
from .pdf_content import active_content, refuse_active_content

__all__ = ["PdfPages", "active_content", "open_and_render", "refuse_active_content"]

_XFA_FORM_TYPES = (pdfium_c.FORMTYPE_XFA_FULL, pdfium_c.FORMTYPE_XFA_FOREGROUND)


@dataclass(frozen=True)
class PdfPages:
    count: int
    rendered: list[Image.Image]


def open_and_render(data: bytes, limits: ScanLimits = ScanLimits()) -> PdfPages:
    """Open with pdfium, refuse what its view shows (password, encryption, scripts, attachments, XFA,
    too many pages), and render the first pages with the longer side at most limits.preview_px."""
    document = _open(data)
    try:
        _refuse_by_pdfium_view(document, limits)
        count = len(document)
        pages = [_render_page(document, index, limits) for index in range(min(count, limits.pdf_pages_rendered))]
        return PdfPages(count, pages)
    finally:
        document.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise Refusal("pdf_encrypted", message("scan.pdf_password")) from error
        raise Refusal("pdf_damaged", message("scan.pdf_damaged")) from error


def _refuse_by_pdfium_view(document: pdfium.PdfDocument, limits: ScanLimits) -> None:
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
        raise Refusal("pdf_encrypted", message("scan.pdf_encrypted"))
    names = []
    if pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0:
        names.append("JavaScript")
    if document.count_attachments() > 0:
        names.append("EmbeddedFiles")
    if document.get_formtype() in _XFA_FORM_TYPES:
        names.append("XFA")
    refuse_active_content(names)
    count = len(document)
    if count == 0:
        raise Refusal("pdf_damaged", message("scan.pdf_no_pages"))
    if count > limits.max_pdf_pages:
        raise Refusal("pdf_too_many_pages", message("scan.pdf_too_many_pages", max=limits.max_pdf_pages, count=count))


def _render_page(document: pdfium.PdfDocument, index: int, limits: ScanLimits) -> Image.Image:
    page = document[index]
    try:
        width, height = page.get_size()
        if width <= 1 or height <= 1:
            raise Refusal("pdf_damaged", message("scan.pdf_page_size"))
        scale = min(limits.pdf_max_render_scale, limits.preview_px / max(width, height))
        return page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB")
    finally:
        page.close()
