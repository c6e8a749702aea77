"""R10: 受到过各级各类媒体平台表彰与奖励的具有优先入围资质 — media-honoured nominees go first.

A media honour is {title, level, issuer, date}, a mapping as the form loads it or a MediaHonour.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

# The levels an honour is filed under, highest first. The notice says only “各级各类”; these are the
# levels Chinese honours are usually filed under, with media platforms' own awards last.
MEDIA_HONOUR_LEVELS = ("国家级", "省部级", "市厅级", "区县级", "校级", "媒体平台")


@dataclass(frozen=True)
class MediaHonour:
    title: str
    level: str
    issuer: str
    date: date

    @classmethod
    def from_mapping(cls, data: Mapping) -> "MediaHonour":
        return cls(title=data["title"], level=data["level"], issuer=data["issuer"], date=data["date"])


def level_rank(level: str) -> int | None:
    """0 for the highest level, None for a level not in MEDIA_HONOUR_LEVELS."""
    return MEDIA_HONOUR_LEVELS.index(level) if level in MEDIA_HONOUR_LEVELS else None


def has_media_priority(honours: Iterable[Mapping | MediaHonour]) -> bool:
    return highest_level(honours) is not None


def highest_level(honours: Iterable[Mapping | MediaHonour]) -> str | None:
    """The highest level among the honours that have a title and a known level."""
    ranks = [rank for rank in map(_rank_of_countable, honours) if rank is not None]
    return MEDIA_HONOUR_LEVELS[min(ranks)] if ranks else None


def priority_sort_key(honours: Iterable[Mapping | MediaHonour]) -> tuple[int, int]:
    """Sorts media-honoured nominees first, higher levels before lower."""
    level = highest_level(honours)
    if level is None:
        return (1, len(MEDIA_HONOUR_LEVELS))
    return (0, MEDIA_HONOUR_LEVELS.index(level))


def _rank_of_countable(honour: Mapping | MediaHonour) -> int | None:
    title, level = _get(honour, "title"), _get(honour, "level")
    if not isinstance(title, str) or not title.strip() or not isinstance(level, str):
        return None
    return level_rank(level)


def _get(honour: Mapping | MediaHonour, name: str) -> object:
    return honour.get(name) if isinstance(honour, Mapping) else getattr(honour, name, None)
