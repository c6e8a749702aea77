"""The CJK font of generated PDFs: found once, or a refusal naming the package to install."""
from __future__ import annotations

import pytest

from shared import pdf_fonts

pytestmark = pytest.mark.unit


def test_cjk_font_missing_names_the_package_to_install(monkeypatch):
    monkeypatch.setattr(pdf_fonts, "CJK_FONT_CANDIDATES", (("/nonexistent/font.ttc", 0),))
    pdf_fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(pdf_fonts.FontNotFound, match="fonts-wqy-zenhei"):
            pdf_fonts.cjk_font()
    finally:
        pdf_fonts.cjk_font.cache_clear()


def test_cjk_font_is_registered_once():
    assert pdf_fonts.cjk_font() == pdf_fonts.FONT_NAME == pdf_fonts.cjk_font()
