"""The language of what intake tells its users: Chinese, or English when the browser or API client asks.

Refusals are message codes with parameters (shared.i18n), rendered here through Flask-Babel's catalogs.
Texts that are not codes yet (the form's field messages, the scan's reasons) are still recognised by
messages_en.to_english. Views and templates call the helpers here, nowhere else decides the language.
"""
from __future__ import annotations

from flask import Flask

from shared.campaign.errors import Refusal
from shared.i18n import Message
from shared.i18n.web import current_locale, init_i18n, say, text
from services.intake.domain.messages_en import to_english


def wants_english() -> bool:
    return current_locale() == "en"


def refusal_text(refused: Refusal | Message | str) -> str:
    """A refusal (an exception, its message, or a Chinese text not yet a code) as this request reads it."""
    if isinstance(refused, Refusal):
        refused = refused.refusal
    if isinstance(refused, Message) and refused.code:
        return text(refused)
    chinese = refused.default if isinstance(refused, Message) else refused
    return to_english(chinese) if wants_english() else chinese


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
