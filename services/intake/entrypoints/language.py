"""The language of refusals: Chinese, or English when the browser or API client asks for it.

Only refusals and error messages are translated (messages_en.to_english); the page chrome stays Chinese.
Views and templates call the helpers here, nowhere else decides the language.
"""
from __future__ import annotations

from flask import Flask, has_request_context, request

from services.intake.domain.messages_en import to_english


def wants_english() -> bool:
    """True when English is the best match of the request's Accept-Language among zh and en."""
    return has_request_context() and request.accept_languages.best_match(["zh", "en"]) == "en"


def refusal_text(message_zh: str) -> str:
    """A refusal as this request should read it."""
    return to_english(message_zh) if wants_english() else message_zh


def refusal_texts(messages) -> list[str]:
    return [refusal_text(message) for message in messages]


def field_problems(pairs) -> list[tuple[str, str]]:
    """(field path, message) pairs with their messages in the request's language."""
    return [(path, refusal_text(message)) for path, message in pairs]


def register(app: Flask) -> None:
    """`{{ message|refusal }}` in templates, for flashes, error summaries, field errors and scan reasons."""
    app.add_template_filter(refusal_text, "refusal")
