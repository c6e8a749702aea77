"""Every event type, at every version, with its payload schema and its topic."""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema


@dataclass(frozen=True)
class EventType:
    name: str
    version: int
    topic: str
    schema: type[Schema]


_REGISTRY: dict[tuple[str, int], EventType] = {}


def register(name: str, version: int, topic: str):
    def decorate(schema: type[Schema]) -> type[Schema]:
        _REGISTRY[(name, version)] = EventType(name, version, topic, schema)
        return schema

    return decorate


def lookup(name: str, version: int) -> EventType | None:
    _load_catalogue()
    return _REGISTRY.get((name, version))


def all_types() -> list[EventType]:
    _load_catalogue()
    return sorted(_REGISTRY.values(), key=lambda t: (t.topic, t.name, t.version))


def _load_catalogue() -> None:
    from shared.events import archive, campaigns, nominations, notifications, reviews, staff  # noqa: F401
