"""A streaming Excel (.xlsx) writer: each sheet's rows go straight into its ZIP member as XML as they come,
so a list of 100,000 nominations is written in seconds and in constant memory (openpyxl, even in its
write-only mode, takes over a minute for that here). Text is written as inline strings; the first row of a
sheet can be bold. Sheets are written one after the other; their order in the workbook is given at the end."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_TITLE = 31
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
{sheets}</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_END = "</sheetData></worksheet>"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class XlsxWriter:
    def __init__(self, out: BinaryIO):
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.sheets: list[tuple[int, str]] = []  # (part number, title), written order

    def write_sheet(self, title: str, rows: Iterable[Iterable], bold_rows: int = 1) -> None:
        number = len(self.sheets) + 1
        self.sheets.append((number, self._unique(title)))
        with self.zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
            part.write(SHEET_START.encode())
            buffer: list[str] = []
            for index, row in enumerate(rows, start=1):
                buffer.append(_row(index, row, bold=index <= bold_rows))
                if len(buffer) >= 500:
                    part.write("".join(buffer).encode())
                    buffer = []
            part.write(("".join(buffer) + SHEET_END).encode())

    def close(self, order: list[str] | None = None) -> None:
        """`order`: the titles in the order the workbook shows them (default: as written)."""
        sheets = sorted(self.sheets, key=lambda s: order.index(s[1])) if order else self.sheets
        self.zip.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\n'
            for n, _ in self.sheets)))
        self.zip.writestr("_rels/.rels", ROOT_RELS)
        self.zip.writestr("xl/styles.xml", STYLES)
        self.zip.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            + "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>' for n, title in sheets)
            + "</sheets></workbook>"))
        self.zip.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n, _ in self.sheets)
            + f'<Relationship Id="rId{len(self.sheets) + 1}" Type="{REL}/styles" Target="styles.xml"/>'
            + "</Relationships>"))
        self.zip.close()

    def _unique(self, title: str) -> str:
        base = _TITLE_FORBIDDEN.sub("_", title)[:MAX_TITLE] or "Sheet"
        taken, candidate, n = {t for _, t in self.sheets}, base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base[:MAX_TITLE - len(str(n)) - 1]}~{n}"
        return candidate


def _row(index: int, values: Iterable, bold: bool) -> str:
    style = ' s="1"' if bold else ""
    return f'<row r="{index}">' + "".join(_cell(value, style) for value in values) + "</row>"


def _cell(value, style: str) -> str:
    if value is None or value == "":
        return "<c/>"
    if value.__class__ is str:
        text = value
    elif isinstance(value, bool):
        text = "是" if value else ""
    elif isinstance(value, (int, float)):
        return f"<c{style}><v>{value}</v></c>"
    else:
        text = str(value)
    if NEEDS_CARE.search(text):  # most cells need neither escaping nor cleaning: skip both
        text = escape(ILLEGAL_XML.sub("", text))
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text[:32767]}</t></is></c>'
