"""Messages as codes with parameters, rendered in the reader's language from gettext catalogs.

A rule says *what* it refuses (`Message("intake.quota_exceeded", quota=3, used=3)`); only an entrypoint
renders it (Flask-Babel, `shared.i18n.web`), in Chinese (zh_Hans, the source language) or English.
The catalogs are `.po` files beside the code (`<package>/translations/<locale>/LC_MESSAGES/messages.po`),
compiled in memory when first used, so a reworded message cannot lose its translation: a unit test checks
that every code has a message in both languages, with the same parameters.
"""
from shared.i18n.messages import LocalTime, Message, message

__all__ = ["LocalTime", "Message", "message"]
