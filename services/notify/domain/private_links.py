"""What the secretariat's pages show of a message: its text without the links that act for someone.

A status link, a draft's edit link, an invitation or a verification link lets whoever holds it act as the
applicant or the organisation; an operator reading a message must not be able to. Every web address in the
text is hidden (its site, and the first part of its path when that is a plain word such as `n` or `org`, are kept, so
it can still be told what kind of link it was) unless
it is one of the message's public links (the public notice, the review queue, the intake start page).
Hiding by default keeps a link added later, or typed into an edited template, from showing.
"""
from __future__ import annotations

import re
from typing import Any, Mapping
from urllib.parse import urlsplit

from services.notify.domain.html_mail import URL

PUBLIC_LINK_KEYS = frozenset({"notice_url", "review_url", "intake_url"})
HIDDEN = "…（专属链接，已隐藏）"


def public_links(context: Mapping[str, Any]) -> set[str]:
    return {str(context[key]) for key in PUBLIC_LINK_KEYS if context.get(key)}


def without_private_links(text: str, context: Mapping[str, Any] | None = None) -> str:
    shown = public_links(context or {})
    return URL.sub(lambda match: match.group(0) if match.group(0) in shown else _hidden(match.group(0)), text)


def _hidden(url: str) -> str:
    """The site, and the first part of the path when it is a plain word (`n`, `org`, `verify`): the kind
    of link, never a part of a token."""
    parts = urlsplit(url)
    first = parts.path.strip("/").split("/", 1)[0]
    kind = f"{first}/" if re.fullmatch(r"[a-z]{1,10}", first) and parts.path.strip("/") != first else ""
    return f"{parts.scheme}://{parts.netloc}/{kind}{HIDDEN}"
