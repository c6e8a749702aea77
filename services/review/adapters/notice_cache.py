"""The public pages' cache: a crowd reading the notice must not reach the database on every request.

Each web process keeps the campaign's public snapshot and its rendered pages in memory, keyed by the list's
version. Which version is current lives in Redis (`review:public:<campaign>:version`, 30 s expiry): a
process asks Redis at most once a second, and the database only when the key is missing, then sets it.
Every change of the list (publication, a refill, the announcement) deletes the key after its commit, so
every process sees the new version within a second; should that delete fail (Redis away), the expiry
bounds how long an old version can be shown. With Redis away, processes read the version from the
database, still at most once a second."""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable

import redis

log = logging.getLogger(__name__)
KEY_SECONDS = 30
CHECK_EVERY = 1.0
MAX_PAGES = 256


def version_key(campaign_id: str) -> str:
    return f"review:public:{campaign_id}:version"


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


class PublicBoard:
    """Tells every web process that a campaign's public pages changed (used after a commit)."""

    def __init__(self, client: redis.Redis):
        self.client = client

    def changed(self, campaign_id: str) -> None:
        try:
            self.client.delete(version_key(campaign_id))
        except redis.RedisError as error:
            log.warning("public pages of %s changed; Redis away, the %s s expiry applies: %s",
                        campaign_id, KEY_SECONDS, error)


class NoticeCache:
    def __init__(self, client: redis.Redis, campaign_id: str, read_version: Callable[[], int | None],
                 build: Callable[[], object], clock: Callable[[], float] = time.monotonic):
        self.client, self.key = client, version_key(campaign_id)
        self.read_version, self.build, self.clock = read_version, build, clock
        self._lock = threading.Lock()
        self._version: int | None = None
        self._checked = float("-inf")
        self._snapshot = None
        self._pages: OrderedDict = OrderedDict()
        self.database_reads = 0  # versions and snapshots read from the database (for tests and the bench)

    def snapshot(self):
        """The current snapshot (None when nothing is published)."""
        version = self._current_version()
        if version is None:
            return None
        if self._snapshot is None or self._snapshot.version < version:  # versions only grow
            with self._lock:
                if self._snapshot is None or self._snapshot.version < version:
                    self.database_reads += 1
                    self._snapshot, self._pages = self.build(), OrderedDict()
        return self._snapshot

    def page(self, variant: Hashable, render: Callable[[object], bytes]) -> tuple[object, bytes | None]:
        """The snapshot and its page for `variant` (rendered once per version and variant)."""
        snapshot = self.snapshot()
        if snapshot is None:
            return None, None
        key = (snapshot.version, variant)
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
                return snapshot, found
        body = render(snapshot)
        with self._lock:
            self._pages[key] = body
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        return snapshot, body

    def _current_version(self) -> int | None:
        now = self.clock()
        if now - self._checked < CHECK_EVERY:
            return self._version
        self._version, self._checked = self._ask(), now
        return self._version

    def _ask(self) -> int | None:
        try:
            stored = self.client.get(self.key)
        except redis.RedisError:
            self.database_reads += 1
            return self.read_version()
        if stored is not None:
            return int(stored) if stored != b"none" else None
        self.database_reads += 1
        version = self.read_version()
        try:
            self.client.set(self.key, "none" if version is None else str(version), ex=KEY_SECONDS)
        except redis.RedisError:
            pass
        return version
