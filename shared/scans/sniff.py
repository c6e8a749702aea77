"""What a file really is, judged by its bytes only (never its name or declared type).

Also finds what hides after an image's end marker (a polyglot or an appended payload): such bytes
are reported; the re-encoded derivatives never carry them.
"""
import re
from dataclasses import dataclass

ACCEPTED_TYPES = ("jpeg", "png", "pdf")
PDF_HEADER_WINDOW = 1024

# What a refused file may be (scan.detected.<type> in the catalogs).
REFUSED_TYPES = ("elf", "pe", "macho", "script", "zip", "rar", "7z", "gzip", "ole", "html", "svg", "xml", "gif",
                 "webp", "heic", "video", "bmp", "tiff", "pdf_with_prefix", "empty", "unknown")

_BINARY_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF-", "pdf"),
    (b"\x7fELF", "elf"),
    (b"MZ", "pe"),
    (b"\xcf\xfa\xed\xfe", "macho"),
    (b"\xce\xfa\xed\xfe", "macho"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"#!", "script"),
)
_MARKER_AFTER_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<iframe", b"<script")
_SCRIPT_MARKERS = (b"<script", b"<?php", b"javascript:", b"#!/")
_EMBEDDED_MARKUP = (b"<!doctype html", b"<html", b"<iframe", b"<script", b"<?php")


@dataclass(frozen=True)
class Sniffed:
    real_type: str | None
    detected: str
    complete: bool
    trailing_bytes: int
    trailing_kinds: tuple[str, ...]
    embedded_markup: bool


def declared_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) as a PNG's IHDR or a JPEG's frame header states it, read without decoding."""
    if kind == "png" and len(data) >= 24 and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if kind == "jpeg":
        return _jpeg_frame_size(data)
    return None


def real_type(head: bytes) -> str | None:
    """"jpeg", "png" or "pdf" when the bytes say so, else None."""
    kind = detect_type(head)
    return kind if kind in ACCEPTED_TYPES else None


def detect_type(head: bytes) -> str:
    """Name what the bytes are, accepted or not (one of REFUSED_TYPES when refused)."""
    if not head:
        return "empty"
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "webp"
    if head[4:8] == b"ftyp":
        return "heic" if head[8:12] in _HEIC_BRANDS else "video"
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return "pdf_with_prefix"
    return _detect_text_type(head[:PDF_HEADER_WINDOW])


def _detect_text_type(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf\xfe\xff \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    if any(marker in text for marker in _HTML_MARKERS):
        return "html"
    if text.startswith(b"<?php"):
        return "script"
    if text.startswith(b"<?xml") or text.startswith(b"<!doctype"):
        return "xml"
    return "unknown"


def sniff(data: bytes) -> Sniffed:
    kind = detect_type(data[:PDF_HEADER_WINDOW])
    end = image_end(data, kind)
    if end is None:
        complete = kind == "pdf"  # a PDF's end is pdfium's business; only images are cut here
        return Sniffed(real_type(data[:PDF_HEADER_WINDOW]), kind, complete, 0, (), False)
    trailing = data[end:]
    return Sniffed(
        real_type=kind,
        detected=kind,
        complete=True,
        trailing_bytes=len(trailing),
        trailing_kinds=payload_kinds(trailing),
        embedded_markup=_has_markup(data[:end]),
    )


def image_end(data: bytes, kind: str) -> int | None:
    """Offset just after a JPEG's EOI or a PNG's IEND chunk; None when the image is cut short."""
    if kind == "jpeg":
        return _jpeg_end(data)
    if kind == "png":
        return _png_end(data)
    return None


def payload_kinds(trailing: bytes) -> tuple[str, ...]:
    if not trailing.strip(b"\x00"):
        return ()
    kinds = []
    if b"PK\x03\x04" in trailing or b"PK\x05\x06" in trailing:
        kinds.append("zip")
    lowered = trailing.lower()
    if any(marker in lowered for marker in _HTML_MARKERS):
        kinds.append("html")
    if any(marker in lowered for marker in _SCRIPT_MARKERS):
        kinds.append("script")
    if trailing.startswith(b"MZ") or b"\x7fELF" in trailing:
        kinds.append("executable")
    return tuple(kinds)


def _has_markup(image_bytes: bytes) -> bool:
    lowered = image_bytes.lower()
    return any(marker in lowered for marker in _EMBEDDED_MARKUP)


def _jpeg_end(data: bytes) -> int | None:
    pos, size = 2, len(data)
    while pos + 2 <= size:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
        elif marker == 0xD9:
            return pos + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
        else:
            pos = _after_segment(data, pos, marker)
            if pos is None:
                return None
    return None


def _after_segment(data: bytes, pos: int, marker: int) -> int | None:
    if pos + 4 > len(data):
        return None
    length = int.from_bytes(data[pos + 2:pos + 4], "big")
    if length < 2:
        return None
    pos += 2 + length
    return _after_entropy_data(data, pos) if marker == 0xDA else pos


def _after_entropy_data(data: bytes, pos: int) -> int | None:
    """Skip a scan's coded bytes up to the next marker: 0xFF followed by anything but 0x00 (stuffing),
    a restart marker or another 0xFF (fill)."""
    found = _MARKER_AFTER_SCAN.search(data, pos)
    return found.start() if found else None


def _jpeg_frame_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[pos + 7:pos + 9], "big"), int.from_bytes(data[pos + 5:pos + 7], "big")
        if marker in (0xD9, 0xDA):
            return None
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return None


def _png_end(data: bytes) -> int | None:
    pos, size = 8, len(data)
    while pos + 12 <= size:
        length = int.from_bytes(data[pos:pos + 4], "big")
        chunk_end = pos + 12 + length
        if chunk_end > size:
            return None
        if data[pos + 4:pos + 8] == b"IEND":
            return chunk_end
        pos = chunk_end
    return None
