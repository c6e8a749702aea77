"""A campaign's time zone: its name checked, and a naive campaign time made aware in it."""
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def localise(moment: datetime, zone: tzinfo) -> datetime:
    """An aware datetime in `zone`; a naive one is taken as wall-clock time there."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def zone_named(name: object) -> ZoneInfo | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
