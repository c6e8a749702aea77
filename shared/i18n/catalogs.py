"""Gettext catalogs compiled in memory from the project's `.po` files, and the rendering of a Message.

The `.po` files are the only source: nothing compiled is kept in git, nothing is compiled at build time.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from shared.i18n.messages import LocalTime, Message

SOURCE_LOCALE = "zh_Hans"
LOCALES = (SOURCE_LOCALE, "en")
DOMAIN = "messages"
SHARED_TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
BEIJING_ZONES = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC")


def po_path(directory: Path, locale: str) -> Path:
    return Path(directory) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(directory: Path, locale: str) -> Catalog:
    with po_path(directory, locale).open("rb") as po:
        return read_po(po, locale=locale, domain=DOMAIN)


@lru_cache(maxsize=32)
def translations(directories: tuple[Path, ...], locale: str) -> Translations:
    """The catalogs of `directories` for `locale`, merged in order (a later one wins), compiled once."""
    merged = Translations(domain=DOMAIN)
    for directory in directories:
        compiled = io.BytesIO()
        write_mo(compiled, read_catalog(directory, locale))
        compiled.seek(0)
        merged.merge(Translations(compiled, domain=DOMAIN))
    return merged


@cache
def catalog_directories() -> tuple[Path, ...]:
    """The shared catalog, then each service's own (codes are prefixed by their owner, so none collide).
    Looked up once per process: every text a page or an answer renders asks for them (a glob of the
    services' folders each time was a dozen stat calls per message)."""
    services = SHARED_TRANSLATIONS.parent.parent / "services"
    return (SHARED_TRANSLATIONS, *sorted(path for path in services.glob("*/translations") if path.is_dir()))


def render(value: object, locale: str, directories: Sequence[Path] | None = None) -> str:
    """A Message (or a list of them, a LocalTime, a plain value) as text in `locale`."""
    chosen = tuple(directories) if directories else catalog_directories()
    catalog = translations(chosen, locale if locale in LOCALES else SOURCE_LOCALE)
    return _render(value, locale, catalog)


def _render(value: object, locale: str, catalog: Translations) -> str:
    if isinstance(value, Message):
        return _message(value, locale, catalog)
    if isinstance(value, LocalTime):
        return _local_time(value, catalog)
    if isinstance(value, (list, tuple)):
        separator = catalog.gettext("shared.list_separator")
        return separator.join(_render(item, locale, catalog) for item in value)
    return str(value)


def _message(message: Message, locale: str, catalog: Translations) -> str:
    if message.default is not None and (not message.code or locale == SOURCE_LOCALE or not _known(catalog, message.code)):
        return message.default
    text = catalog.gettext(message.code)
    if not message.params:
        return text
    return text % {name: _render(value, locale, catalog) for name, value in message.params.items()}


def _known(catalog: Translations, code: str) -> bool:
    return catalog.gettext(code) != code


def _local_time(value: LocalTime, catalog: Translations) -> str:
    local = value.instant.astimezone(ZoneInfo(value.zone))
    parts = {"year": local.year, "month": local.month, "day": local.day, "clock": f"{local:%H:%M:%S}",
             "date": f"{local:%Y-%m-%d}", "zone": value.zone}
    code = "shared.time_beijing" if value.zone in BEIJING_ZONES else "shared.time_in_zone"
    return catalog.gettext(code) % parts


def codes(directory: Path, locale: str) -> dict[str, str]:
    """Every code of one catalog with its message (for the tests)."""
    return {entry.id: entry.string for entry in read_catalog(directory, locale) if entry.id}


def chinese(value: object) -> str:
    """The source-language text (logs, a consumer's failure reason, tests)."""
    return render(value, SOURCE_LOCALE)
