"""The language of what intake tells its users: Chinese, or English when the browser or API client asks.

Refusals, field messages and scan reasons are message codes with parameters (shared.i18n), rendered here
through Flask-Babel's catalogs. A text that is not a code is shown as it is written. Views and templates call
the helpers here, nowhere else decides the language.
"""
from __future__ import annotations

from flask import Flask

from shared.campaign.errors import Refusal
from shared.i18n import Message
from shared.i18n.web import init_i18n, say, text


def refusal_text(refused: Refusal | Message | str) -> str:
    """A refusal (an exception or its message) as this request reads it; a text as it is written."""
    if isinstance(refused, Refusal):
        refused = refused.refusal
    return text(refused)


said = say  # a message of the web layer's own, by its code


def refusal_texts(messages) -> list[str]:
    return [refusal_text(message) for message in messages]


def field_problems(pairs) -> list[tuple[str, str]]:
    """(field path, message) pairs with their messages in the request's language."""
    return [(path, refusal_text(message)) for path, message in pairs]


def register(app: Flask) -> None:
    """Flask-Babel (`{{ _("code") }}` in templates) and `{{ message|refusal }}` for flashes, error summaries,
    field errors and scan reasons."""
    init_i18n(app)
    app.add_template_filter(refusal_text, "refusal")
