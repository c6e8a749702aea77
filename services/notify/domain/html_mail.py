"""The HTML part of an e-mail, made from the same rendered template as its plain text, so the secretariat
edits one text and both parts follow it.

The text's shapes become HTML: paragraphs (blank lines between), lists (lines starting `- `), a first
`申报编号：…` / `Reference: …` line as a small heading, and links; a link alone on its line becomes a large
button (a finger finds it on a phone) with the address written out beneath it for copying. Everything the
text holds is escaped. One column, 16 px type, readable at 320 px and on a desktop alike; styles are inline
because mail programs drop style sheets.
"""
from __future__ import annotations

import html
import re

URL = re.compile(r"https?://[^\s<>\"'，。；、）)]+")
REFERENCE_LINE = re.compile(r"^(申报编号|Reference)[：:]\s*\S+$")
FONT = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif'
BUTTON_LABELS = {"zh": "打开链接", "en": "Open the link"}


def as_html(subject: str, body: str, lang: str = "zh") -> str:
    blocks = [block for block in re.split(r"\n\s*\n", body.strip()) if block.strip()]
    inner = "\n".join(_block(block, lang) for block in blocks)
    return (
        '<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title}</title></head>"
        '<body style="margin:0;padding:0;background:#f3f2f1;">'
        '<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff;color:#1b1b1b;'
        'font-family:{font};font-size:16px;line-height:1.6;overflow-wrap:anywhere;word-break:break-word;">'
        '<h1 style="font-size:19px;line-height:1.4;margin:0 0 16px;">{title}</h1>{inner}</div></body></html>'
    ).format(lang="zh-CN" if lang == "zh" else "en", title=html.escape(subject), font=FONT, inner=inner)


def _block(block: str, lang: str) -> str:
    lines = [line.strip() for line in block.strip().split("\n")]
    if len(lines) == 1 and REFERENCE_LINE.match(lines[0]):
        return (f'<p style="margin:0 0 16px;color:#5a5a5a;font-size:15px;">'
                f'<strong style="color:#1b1b1b;">{html.escape(lines[0])}</strong></p>')
    return "".join(_run(kind, run, lang) for kind, run in _runs(lines))


def _runs(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Consecutive lines of one shape: `list` items, a `link` alone, `text`."""
    runs: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = "list" if line.startswith("- ") else "link" if URL.fullmatch(line) else "text"
        if runs and runs[-1][0] == kind and kind != "link":
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
    return runs


def _run(kind: str, lines: list[str], lang: str) -> str:
    if kind == "link":
        return _button(lines[0], lang)
    if kind == "list":
        items = "".join(f'<li style="margin:4px 0;">{_inline(line[2:])}</li>' for line in lines)
        return f'<ul style="padding-left:20px;margin:0 0 16px;">{items}</ul>'
    return '<p style="margin:0 0 16px;">' + "<br>".join(_inline(line) for line in lines) + "</p>"


def _inline(text: str) -> str:
    """Escaped text with its addresses as links."""
    pieces, last = [], 0
    for match in URL.finditer(text):
        pieces.append(html.escape(text[last:match.start()]))
        address = html.escape(match.group(0), quote=True)
        pieces.append(f'<a href="{address}" style="color:#1d70b8;word-break:break-all;">{address}</a>')
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)


def _button(url: str, lang: str) -> str:
    address = html.escape(url, quote=True)
    return (f'<p style="margin:0 0 16px;"><a href="{address}" style="display:inline-block;background:#00703c;'
            f'color:#ffffff;font-weight:bold;text-decoration:none;padding:12px 20px;border-radius:4px;">'
            f'{BUTTON_LABELS.get(lang, BUTTON_LABELS["zh"])}</a><br>'
            f'<span style="font-size:13px;color:#5a5a5a;word-break:break-all;">{address}</span></p>')
