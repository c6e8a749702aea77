"""PDF checks: active content found in the raw bytes (and inside compressed object streams) and in
pdfium's view, encryption, the page limit; then a bounded render of the first pages."""
import re
import zlib
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from .findings import Refusal
from .limits import ScanLimits

ACTIVE_CONTENT = {
    "JavaScript": "JavaScript 脚本",
    "JS": "JavaScript 脚本",
    "OpenAction": "打开时自动执行的动作 OpenAction",
    "AA": "自动触发的动作 AA",
    "Launch": "启动外部程序的动作 Launch",
    "EmbeddedFile": "嵌入的附件",
    "EmbeddedFiles": "嵌入的附件",
    "RichMedia": "多媒体内容 RichMedia",
    "XFA": "XFA 动态表单",
}
_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]*)(?=\s*(\S?))")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STRING_OR_COMMENT = re.compile(rb"\\.|[()%]", re.DOTALL)
_UNMISTAKABLE_NAMES = ("JavaScript", "OpenAction", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia")
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_XFA_FORM_TYPES = (pdfium_c.FORMTYPE_XFA_FULL, pdfium_c.FORMTYPE_XFA_FOREGROUND)


@dataclass(frozen=True)
class PdfPages:
    count: int
    rendered: list[Image.Image]


def active_content(data: bytes, limits: ScanLimits = ScanLimits()) -> list[str]:
    """Names of active-content keys in the file, in order of first appearance.

    Every name is looked for in the file's objects (outside stream bodies, strings and comments, plus
    the decompressed object streams); the long names are also looked for in the raw bytes, so that a
    fake stream cannot hide them. An /OpenAction that is only a destination array (open at page 1)
    is not active content.
    """
    objects = [_without_strings(part) for part in _dictionary_text(data, limits)]
    found = [name for text in objects for name in _active_names(text, ACTIVE_CONTENT)]
    found += _active_names(data, _UNMISTAKABLE_NAMES)
    return list(dict.fromkeys(found))


def _active_names(text: bytes, wanted) -> list[str]:
    names = []
    for match in _NAME.finditer(text):
        name = _unescaped(match.group(1)).decode("latin-1")
        if name in wanted and not (name == "OpenAction" and match.group(2) == b"["):
            names.append(name)
    return names


def _unescaped(name: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)


def _dictionary_text(data: bytes, limits: ScanLimits) -> list[bytes]:
    """The file outside stream bodies, plus the decompressed body of every object stream."""
    parts, pos, budget = [], 0, limits.max_object_streams_total_bytes
    while (start := _STREAM_START.search(data, pos)) is not None:
        dictionary = data[_dictionary_start(data, start.start()):start.end()]
        body_end = _stream_end(data, start.end(), dictionary)
        parts.append(data[pos:start.end()])
        if b"/ObjStm" in _unescaped(dictionary):
            unpacked = _inflate_object_stream(dictionary, data[start.end():body_end], limits, budget)
            budget -= len(unpacked)
            parts.append(unpacked)
        pos = body_end
    parts.append(data[pos:])
    return parts


def _dictionary_start(data: bytes, stream_keyword: int) -> int:
    window_start = max(0, stream_keyword - 8192)
    keyword = data.rfind(b"obj", window_start, stream_keyword)
    return window_start if keyword < 0 else keyword + 3


def _stream_end(data: bytes, body_start: int, dictionary: bytes) -> int:
    length = _DIRECT_LENGTH.search(dictionary)
    if length and data[body_start + int(length.group(1)):][:20].lstrip().startswith(b"endstream"):
        return body_start + int(length.group(1))
    end = data.find(b"endstream", body_start)
    return len(data) if end < 0 else end


def _inflate_object_stream(dictionary: bytes, body: bytes, limits: ScanLimits, budget: int) -> bytes:
    filters = re.findall(rb"/(\w+Decode)", dictionary)
    if filters != [b"FlateDecode"] or b"/DecodeParms" in dictionary:
        raise Refusal("pdf_uninspectable", "PDF 内部结构无法检查（使用了不常见的压缩方式）：请重新导出为普通 PDF 后上传")
    cap = min(limits.max_object_stream_bytes, budget)
    try:
        unpacked = zlib.decompressobj().decompress(body, cap + 1)
    except zlib.error as error:
        raise Refusal("pdf_damaged", "PDF 文件已损坏，无法读取：请重新导出后上传") from error
    if len(unpacked) > cap:
        raise Refusal("pdf_too_complex", "PDF 内部结构过大，无法检查：请重新导出或打印为普通 PDF 后上传")
    return unpacked


def _without_strings(text: bytes) -> bytes:
    """Drop (literal strings), which nest and escape parentheses, and % comments, so that a web
    address's '/JS' is not taken for a name. An unterminated string is kept: it may hide names."""
    kept, depth, pos, segment_start, string_open = [], 0, 0, 0, 0
    while (match := _STRING_OR_COMMENT.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if depth == 0 and token == b"(":
            kept.append(text[segment_start:match.start()])
            depth, string_open = 1, match.start()
        elif depth == 0 and token == b"%":
            kept.append(text[segment_start:match.start()])
            segment_start = pos = _line_end(text, pos)
        elif depth > 0 and token == b"(":
            depth += 1
        elif depth > 0 and token == b")":
            depth -= 1
            if depth == 0:
                segment_start = pos
    kept.append(text[segment_start:] if depth == 0 else text[string_open:])
    return b" ".join(kept)


def _line_end(text: bytes, pos: int) -> int:
    ends = [end for end in (text.find(b"\n", pos), text.find(b"\r", pos)) if end >= 0]
    return min(ends) if ends else len(text)


def refuse_active_content(names: list[str]) -> None:
    if names:
        labels = "、".join(dict.fromkeys(ACTIVE_CONTENT[name] for name in names))
        raise Refusal("pdf_active_content", f"PDF 含有不允许的内容（{labels}）：请打印或扫描为普通 PDF 后重新上传")


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
            raise Refusal("pdf_encrypted", "PDF 设有打开密码：请取消密码后重新上传") from error
        raise Refusal("pdf_damaged", "PDF 文件已损坏，无法读取：请重新导出后上传") from error


def _refuse_by_pdfium_view(document: pdfium.PdfDocument, limits: ScanLimits) -> None:
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
        raise Refusal("pdf_encrypted", "PDF 已加密：请取消加密或权限限制后重新上传")
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
        raise Refusal("pdf_damaged", "PDF 没有任何页面：请重新导出后上传")
    if count > limits.max_pdf_pages:
        raise Refusal("pdf_too_many_pages", f"PDF 页数过多：最多 {limits.max_pdf_pages} 页，本文件有 {count} 页")


def _render_page(document: pdfium.PdfDocument, index: int, limits: ScanLimits) -> Image.Image:
    page = document[index]
    try:
        width, height = page.get_size()
        if width <= 1 or height <= 1:
            raise Refusal("pdf_damaged", "PDF 页面尺寸异常，无法显示：请重新导出后上传")
        scale = min(limits.pdf_max_render_scale, limits.preview_px / max(width, height))
        return page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB")
    finally:
        page.close()
