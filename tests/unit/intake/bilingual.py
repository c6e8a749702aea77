"""What every bilingual message must be: Chinese and English, no code left unrendered, no Chinese left in the
English but the form's own choices (the message tests of intake share it)."""
import re

from services.intake.domain.priority import MEDIA_HONOUR_LEVELS
from shared.i18n.catalogs import render

# Chinese left in the English on purpose: the choices the form itself offers, and examples of them.
KEPT_CHINESE = {"中共党员", "群众", "中国人民大学", "后勤集团", "男", "女", "汉族", "个人", "团队", "年度",
                *MEDIA_HONOUR_LEVELS}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def stray_chinese(english: str) -> list[str]:
    """Chinese outside double quotes (where typed or campaign-specific values stay) and KEPT_CHINESE."""
    return [run for run in CJK.findall(re.sub(r'"[^"]*"', "", english)) if run not in KEPT_CHINESE]


UNRESOLVED_CODE = re.compile(r"\b(?:intake|shared|campaign)\.[a-z_]")


def assert_speaks_both(refused) -> None:
    """A refusal (or a problem it lists) in Chinese and in English, with no code left unrendered."""
    refused = getattr(refused, "refusal", refused)
    assert refused.code, f"not a message code: {refused}"
    chinese, english = render(refused, "zh_Hans"), render(refused, "en")
    assert CJK.search(chinese) and not UNRESOLVED_CODE.search(chinese), chinese
    assert not UNRESOLVED_CODE.search(english), english
    assert not stray_chinese(english), f"Chinese left in {english!r} (from {chinese!r})"
