"""The hostile corpus: files and names an attacker (or a careless applicant) sends to the upload, each with
the kind of file it claims to be. Each must be refused at the upload or flagged by the scans, with a reason
in Chinese; none may answer 5xx or stop a process."""
from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from typing import Callable

from tests.fixtures import scanfiles

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Hostile:
    what: str
    kind: str
    filename: str
    content_type: str
    data: Callable[[], bytes]


def pdf_flate_bomb(inflated: int = 512 * 1024 * 1024) -> bytes:
    """A one-page PDF whose content stream inflates to half a gigabyte of zeros from about half a megabyte."""
    squeeze = zlib.compressobj(9)
    chunk = b"\x00" * (1024 * 1024)
    stream = b"".join(squeeze.compress(chunk) for _ in range(inflated // len(chunk))) + squeeze.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.7\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table))
    return out.getvalue()


def svg() -> bytes:
    return scanfiles.svg_named_png()


CORPUS = (
    Hostile("decompression bomb: a PNG declaring 50,000 × 50,000 pixels", "photo", "bomb.png", "image/png",
            scanfiles.bomb_png),
    Hostile("decompression bomb: a PDF whose stream inflates to 512 MB", "sealed_form", "form.pdf",
            "application/pdf", pdf_flate_bomb),
    Hostile("polyglot: a JPEG with a ZIP and HTML appended", "photo", "photo.jpg", "image/jpeg",
            scanfiles.jpeg_with_zip_and_html_appended),
    Hostile("polyglot: a PNG with HTML appended", "certificate", "cert.png", "image/png",
            scanfiles.png_with_appended_html),
    Hostile("renamed executable: an ELF program named photo.jpg", "photo", "photo.jpg", "image/jpeg",
            scanfiles.elf_named_jpg),
    Hostile("renamed HTML page named cert.jpg", "certificate", "cert.jpg", "image/jpeg", scanfiles.html_named_jpg),
    Hostile("renamed ZIP named form.pdf", "sealed_form", "form.pdf", "application/pdf", scanfiles.zip_named_pdf),
    Hostile("PDF with JavaScript", "sealed_form", "form.pdf", "application/pdf", scanfiles.pdf_with_javascript),
    Hostile("PDF with a launch action", "certificate", "cert.pdf", "application/pdf",
            scanfiles.pdf_with_launch_action),
    Hostile("PDF with an open action hidden in an object stream", "sealed_form", "form.pdf", "application/pdf",
            scanfiles.pdf_with_hidden_openaction_in_object_stream),
    Hostile("PDF with an embedded file", "certificate", "cert.pdf", "application/pdf",
            scanfiles.pdf_with_embedded_file),
    Hostile("encrypted PDF", "sealed_form", "form.pdf", "application/pdf", scanfiles.encrypted_pdf),
    Hostile("truncated JPEG", "certificate", "cert.jpg", "image/jpeg", scanfiles.truncated_jpeg),
    Hostile("SVG with a script, as image/svg+xml", "photo", "photo.svg", "image/svg+xml", svg),
    Hostile("SVG with a script, named photo.png", "photo", "photo.png", "image/png", scanfiles.svg_named_png),
    Hostile("empty file", "certificate", "cert.jpg", "image/jpeg", scanfiles.empty_file),
)

# Names that must never reach a path, a header or a page as given: stored as a plain last component.
HOSTILE_NAMES = (
    ("path traversal", "../../../../etc/passwd.jpg"),
    ("Windows path traversal", "..\\..\\..\\windows\\win.ini.jpg"),
    ("control characters and a header break", "photo\r\nX-Injected: 1\x00\x1b[31m.jpg"),
    ("right-to-left override hiding .exe", "photo\u202egpj.exe"),
    ("markup", "<script>alert(1)</script>.jpg"),
    ("only dots", ".."),
    ("a very long name", "长" * 5000 + ".jpg"),
)
