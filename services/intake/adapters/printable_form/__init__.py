"""The notice's 附件 (活动报名表) filled from a nomination, as a PDF to print, seal and upload (R6, R7, R13).

`render_registration_pdf(campaign, data, nomination_id, reference=...)` takes the form data as `nomination_schema(campaign)`
loads it. Page 1 is the notice's table, with the unit's opinion left blank for its signature and official
seal, and the committee's opinion left blank for the committee (R6c). The deeds and the media honours
follow on the next pages, marked as printed for reference: the online text is authoritative (R8).

A QR code in the top right corner carries `expected_qr_text(nomination_id)`, so that the scan of the
sealed form can be matched to its nomination; the short reference (申报编号) is printed beneath it and in
every page's footer, with the page's number of the total. Nothing is printed in red: red is how a seal is found.
Fonts: a CJK TrueType font is embedded (reportlab cannot embed the CFF outlines of Noto CJK); see
shared/pdf_fonts.py.

The package: layout.py (page geometry, styles, cells), form_page.py (page 1), online_texts.py (the pages
after it), page_furniture.py (footer, page numbers, watermark), drawings.py (QR code, check boxes, opinion room).
"""
import io

from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Frame, KeepInFrame, PageBreak, PageTemplate

from services.intake.adapters.printable_form.form_page import form_page
from services.intake.adapters.printable_form.layout import (BODY_HEIGHT, BODY_WIDTH, MARGIN_BOTTOM, MARGIN_X,
                                                           paragraph_styles)
from services.intake.adapters.printable_form.online_texts import online_texts_pages
from services.intake.adapters.printable_form.page_furniture import PageCountingCanvas, page_decoration
from shared.campaign.model import Campaign
from shared.pdf_fonts import FONT_NAME, cjk_font
from shared.scans.qr import expected_qr_text


def render_registration_pdf(
    campaign: Campaign, data: dict, nomination_id: str, status_url: str | None = None, reference: str | None = None
) -> bytes:
    """The filled registration form: page 1 the notice's table, then the deeds and media honours.
    `reference` is the short number people quote (the nomination id when there is none)."""
    styles = paragraph_styles(cjk_font())
    reference = reference or nomination_id
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[PageTemplate("form", [_body_frame()], onPage=page_decoration(campaign, reference))],
        title=f"{campaign.display_name}报名表",
        author=campaign.organiser,
        subject=expected_qr_text(nomination_id),
        creator="Tuiju",
        invariant=True,
        initialFontName=FONT_NAME,  # else the canvas names Helvetica, a font not embedded
    )
    # Page 1 is one page whatever was typed: an overlong field shrinks the page rather than split the form.
    form = KeepInFrame(BODY_WIDTH, BODY_HEIGHT, form_page(campaign, data, nomination_id, reference, styles),
                       mode="shrink", hAlign="CENTER")
    document.build([form, PageBreak(), *online_texts_pages(campaign, data, styles, status_url)],
                   canvasmaker=PageCountingCanvas)
    return buffer.getvalue()


def _body_frame() -> Frame:
    return Frame(MARGIN_X, MARGIN_BOTTOM, BODY_WIDTH, BODY_HEIGHT,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
