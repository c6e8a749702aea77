"""What every page carries: the footer with the reference, `第 n / N 页`, and a demo's watermark."""
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from services.intake.adapters.printable_form.layout import (GREY, MARGIN_BOTTOM, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH,
                                                           WATERMARK_GREY)
from shared.campaign.model import Campaign
from shared.pdf_fonts import FONT_NAME


def page_decoration(campaign: Campaign, reference: str):
    footer = f"申报编号：{reference}　·　本表由推举系统依据线上填写内容生成"

    def decorate(canvas, document) -> None:
        canvas.saveState()
        if campaign.is_demo:
            _watermark(canvas)
        canvas.setFont(FONT_NAME, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 7 * mm, footer)
        canvas.restoreState()

    return decorate


class PageCountingCanvas(Canvas):
    """Holds each page until the last is drawn, then numbers them all `第 n / N 页`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.saveState()
            self.setFont(FONT_NAME, 7.5)
            self.setFillColor(GREY)
            self.drawRightString(PAGE_WIDTH - MARGIN_X, MARGIN_BOTTOM - 7 * mm, f"第 {self._pageNumber} / {total} 页")
            self.restoreState()
            super().showPage()
        super().save()


def _watermark(canvas) -> None:
    canvas.setFillColor(WATERMARK_GREY)
    canvas.setFont(FONT_NAME, 34)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(35)
    for offset in (-80 * mm, 0, 80 * mm):
        canvas.drawCentredString(0, offset, "演示 · 非正式报名表")
    canvas.rotate(-35)
    canvas.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
