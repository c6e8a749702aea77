"""Flask-Babel for a service's pages and API: the reader's language, and Messages rendered in it.

Chinese is the default; English when the best match of the request's Accept-Language among Chinese and
English is English. Templates translate their chrome with `{{ _("code") }}` (or `{{ say("code", when=…) }}` when
a parameter is a Message or a LocalTime) and messages with `|text`.
"""
from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import Babel, Domain, get_locale

from shared.i18n.catalogs import SOURCE_LOCALE, catalog_directories, render, translations
from shared.i18n.messages import message


def request_locale() -> str:
    if has_request_context() and request.accept_languages.best_match(["zh", "en"]) == "en":
        return "en"
    return SOURCE_LOCALE


def current_locale() -> str:
    locale = get_locale() if has_request_context() else None
    return str(locale) if locale is not None else SOURCE_LOCALE


def text(value: object) -> str:
    """A Message (or list, LocalTime, plain value) as this request reads it."""
    return render(value, current_locale())


def say(code: str, /, **params) -> str:
    """The message `code` with `params` (which may be Messages or LocalTimes) as this request reads it."""
    return text(message(code, **params))


def html_lang() -> str:
    return "en" if current_locale() == "en" else "zh-CN"


class _CatalogDomain(Domain):
    """The project's catalogs compiled in memory (shared.i18n.catalogs), not `.mo` files on disk."""

    def get_translations(self):
        return translations(catalog_directories(), current_locale())


class _Babel(Babel):
    @property
    def domain_instance(self):
        return _CATALOG_DOMAIN


_CATALOG_DOMAIN = _CatalogDomain()


def init_i18n(app: Flask) -> None:
    _Babel(app, default_locale=SOURCE_LOCALE, locale_selector=request_locale)
    app.add_template_filter(text, "text")
    app.add_template_global(say, "say")
    app.add_template_global(html_lang, "html_lang")
