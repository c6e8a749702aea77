"""The CJK font embedded in every PDF the services generate (intake's registration form, review's
reports): reportlab embeds TrueType outlines only, so Noto CJK (CFF) will not do; the first usable of
CJK_FONT_CANDIDATES is registered once per process under FONT_NAME."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_NAME = "TuijuCJK"
# TrueType-outlined CJK fonts, best first, as (path, index in a .ttc collection). Each must also hold the
# punctuation of the campaign's texts (“” · —), which Droid Sans Fallback lacks, so it is not listed.
CJK_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # Debian/Ubuntu: fonts-wqy-zenhei
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),  # Fedora: wqy-zenhei-fonts
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # fonts-wqy-microhei
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # fonts-arphic-uming
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),  # fonts-arphic-ukai
)
REQUIRED_GLYPHS = "推举报名表“”·—（）：〔〕"
FONT_PACKAGE_HINT = "fonts-wqy-zenhei（Debian/Ubuntu：apt-get install -y fonts-wqy-zenhei）"


class FontNotFound(RuntimeError):
    pass


@cache
def cjk_font() -> str:
    """Registers the first usable CJK font of CJK_FONT_CANDIDATES with reportlab; returns its name."""
    tried = []
    for path, index in CJK_FONT_CANDIDATES:
        if not Path(path).is_file():
            continue
        try:
            font = TTFont(FONT_NAME, path, subfontIndex=index)
        except TTFError as error:
            tried.append(f"{path}: {error}")
            continue
        if all(ord(char) in font.face.charToGlyph for char in REQUIRED_GLYPHS):
            pdfmetrics.registerFont(font)
            return FONT_NAME
        tried.append(f"{path}: 缺少所需字符 / lacks needed glyphs")
    raise FontNotFound(
        f"找不到可嵌入 PDF 的中文 TrueType 字体，请安装 {FONT_PACKAGE_HINT}。"
        f" / No embeddable CJK TrueType font found; install the Debian package fonts-wqy-zenhei."
        f" Looked for: {', '.join(path for path, _ in CJK_FONT_CANDIDATES)}"
        + (f"; unusable: {'; '.join(tried)}" if tried else "")
    )
