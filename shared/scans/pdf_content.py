"""Active content in a PDF's own bytes: scripts, automatic actions, launch actions, attachments.

Every name is looked for in the file's objects: outside stream bodies, with (strings) and % comments
removed, plus the decompressed object streams where PDF 1.5+ keeps its dictionaries. The long names
are also looked for in the raw bytes, so that a string imitating a stream start cannot hide them.
An /OpenAction that only opens at a page (a destination, or a /GoTo action) is harmless.
"""
import re
import zlib
from dataclasses import dataclass, field

from shared.i18n import message

from .findings import Refusal
from .limits import ScanLimits

# The names looked for, and what each is called (scan.active.<what> in the catalogs).
ACTIVE_CONTENT = {
    "JavaScript": "javascript",
    "JS": "javascript",
    "OpenAction": "open_action",
    "AA": "automatic_action",
    "Launch": "launch",
    "EmbeddedFile": "attachment",
    "EmbeddedFiles": "attachment",
    "RichMedia": "rich_media",
    "XFA": "xfa",
}
UNMISTAKABLE_NAMES = ("JavaScript", "OpenAction", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia")

_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]*)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_REFERENCE = re.compile(rb"\s*(\d+)\s+\d+\s+R")
_OBJECT_START = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_STRING_OR_COMMENT = re.compile(rb"\\.|[()%]", re.DOTALL)
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FIRST = re.compile(rb"/First\s+(\d+)")
_GOTO = re.compile(rb"/S\s*/GoTo(?=[\s/>\[])")
_PEEK = 200


@dataclass
class _Body:
    """The inspectable text of a PDF, and the first bytes of each numbered object."""

    texts: list[bytes] = field(default_factory=list)
    objects: dict[int, bytes] = field(default_factory=dict)


def active_content(data: bytes, limits: ScanLimits = ScanLimits()) -> list[str]:
    """Names of active-content keys in the file, each once, in order of first appearance."""
    body = _body(data, limits)
    found = [name for text in body.texts for name in _active_names(_without_strings(text), ACTIVE_CONTENT, body)]
    found += _active_names(data, UNMISTAKABLE_NAMES, body)
    return list(dict.fromkeys(found))


def refuse_active_content(names: list[str]) -> None:
    if names:
        what = [message(f"scan.active.{kind}") for kind in dict.fromkeys(ACTIVE_CONTENT[name] for name in names)]
        raise Refusal("pdf_active_content", message("scan.pdf_active_content", what=what))


def _active_names(text: bytes, wanted: tuple[str, ...] | dict, body: _Body) -> list[str]:
    names = []
    for match in _NAME.finditer(text):
        name = _unescaped(match.group(1)).decode("latin-1")
        if name in wanted and not (name == "OpenAction" and _is_harmless_open_action(text, match.end(), body)):
            names.append(name)
    return names


def _is_harmless_open_action(text: bytes, value_at: int, body: _Body) -> bool:
    """A destination array, or a /GoTo action to one (what LaTeX and many writers emit), by value or
    by reference. A chained /Next action is not judged harmless here."""
    value = text[value_at:value_at + _PEEK].lstrip()
    reference = _REFERENCE.match(value)
    if reference:
        value = body.objects.get(int(reference.group(1)), b"").lstrip()
    if value.startswith(b"["):
        return True
    action = value[:value.find(b">>") + 2] if value.startswith(b"<<") else b""
    return bool(_GOTO.search(action)) and b"/Next" not in action


def _unescaped(name: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)


def _body(data: bytes, limits: ScanLimits) -> _Body:
    body, pos, budget = _Body(), 0, limits.max_object_streams_total_bytes
    while (start := _STREAM_START.search(data, pos)) is not None:
        dictionary = data[_dictionary_start(data, start.start()):start.end()]
        body_end = _stream_end(data, start.end(), dictionary)
        _add_text(body, data[pos:start.end()])
        if b"/ObjStm" in _unescaped(dictionary):
            unpacked = _inflate_object_stream(dictionary, data[start.end():body_end], limits, budget)
            budget -= len(unpacked)
            _add_object_stream(body, dictionary, unpacked)
        pos = body_end
    _add_text(body, data[pos:])
    return body


def _add_text(body: _Body, text: bytes) -> None:
    body.texts.append(text)
    for match in _OBJECT_START.finditer(text):
        body.objects.setdefault(int(match.group(1)), text[match.end():match.end() + _PEEK])


def _add_object_stream(body: _Body, dictionary: bytes, unpacked: bytes) -> None:
    """An object stream starts with pairs (object number, offset from /First), then the objects."""
    body.texts.append(unpacked)
    first = _FIRST.search(dictionary)
    if not first:
        return
    start = int(first.group(1))
    numbers = [int(n) for n in unpacked[:start].split() if n.isdigit()]
    for number, offset in zip(numbers[0::2], numbers[1::2]):
        body.objects.setdefault(number, unpacked[start + offset:start + offset + _PEEK])


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
        raise Refusal("pdf_uninspectable", message("scan.pdf_uninspectable"))
    cap = min(limits.max_object_stream_bytes, budget)
    try:
        unpacked = zlib.decompressobj().decompress(body, cap + 1)
    except zlib.error as error:
        raise Refusal("pdf_damaged", message("scan.pdf_damaged")) from error
    if len(unpacked) > cap:
        raise Refusal("pdf_too_complex", message("scan.pdf_too_complex"))
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
