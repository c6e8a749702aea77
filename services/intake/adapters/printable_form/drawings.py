"""The pieces drawn on page 1: the QR code, the business domains' check boxes, the blank room for an
opinion and a seal."""
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from services.intake.adapters.printable_form.layout import GREY


class QrCode(Flowable):
    """A vector QR code of `size` points square, quiet zone included."""

    def __init__(self, text: str, size: float):
        super().__init__()
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
        code.add_data(text)
        code.make(fit=True)
        self.matrix = code.get_matrix()
        self.width = self.height = size

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        module = self.width / len(self.matrix)
        path = self.canv.beginPath()
        for row_number, row in enumerate(self.matrix):
            y = self.height - (row_number + 1) * module
            for start, length in _dark_runs(row):
                path.rect(start * module, y, length * module, module)
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules, so that neighbours print as one rectangle."""
    runs, start = [], None
    for index, dark in enumerate([*row, False]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


class DomainChoices(Flowable):
    """The business domains as check boxes in reading order, the chosen one ticked."""

    BOX, GAP, ITEM_GAP, LINE = 3.4 * mm, 1.2 * mm, 4.5 * mm, 6.2 * mm

    def __init__(self, domains: tuple[str, ...], chosen: str | None, style: ParagraphStyle):
        super().__init__()
        self.domains, self.chosen, self.style = domains, chosen, style
        self.places: list[tuple[float, int]] = []

    def wrap(self, avail_width, avail_height):
        self.width, self.places = avail_width, []
        x, line = 0.0, 0
        for domain in self.domains:
            item = self._item_width(domain)
            if x and x + item > avail_width:
                x, line = 0.0, line + 1
            self.places.append((x, line))
            x += item + self.ITEM_GAP
        self.height = (line + 1) * self.LINE
        return self.width, self.height

    def _item_width(self, domain: str) -> float:
        return self.BOX + self.GAP + pdfmetrics.stringWidth(domain, self.style.fontName, self.style.fontSize)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setLineWidth(0.7)
        for domain, (x, line) in zip(self.domains, self.places):
            y = self.height - (line + 1) * self.LINE + (self.LINE - self.BOX) / 2
            canvas.rect(x, y, self.BOX, self.BOX, stroke=1, fill=0)
            if domain == self.chosen:
                self._tick(x, y)
            canvas.drawString(x + self.BOX + self.GAP, y + 0.5, domain)

    def _tick(self, x: float, y: float) -> None:
        box, canvas = self.BOX, self.canv
        canvas.saveState()
        canvas.setLineWidth(1.3)
        path = canvas.beginPath()
        path.moveTo(x + box * 0.18, y + box * 0.55)
        path.lineTo(x + box * 0.42, y + box * 0.22)
        path.lineTo(x + box * 0.85, y + box * 0.88)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()


class OpinionSpace(Flowable):
    """Blank room for an opinion, a signature and a seal: a hint at the top, （盖章） and the date at the foot."""

    def __init__(self, height: float, hint: str, styles: dict):
        super().__init__()
        self.height, self.hint = height, hint
        self.hint_style, self.style = styles["hint"], styles["cell"]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return self.width, self.height

    def draw(self) -> None:
        canvas, right = self.canv, self.width - 4 * mm
        canvas.setFillColor(GREY)
        canvas.setFont(self.hint_style.fontName, self.hint_style.fontSize)
        canvas.drawString(0, self.height - self.hint_style.fontSize, self.hint)
        canvas.setFillColor(colors.black)
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.drawRightString(right, 8 * mm, "（盖章）")
        canvas.drawRightString(right, 1.5 * mm, "年　　　月　　　日")
