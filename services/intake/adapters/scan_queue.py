"""Which uploads have a scan task in Redis, so that each pending file is queued at most once.

A hash in the broker's Redis maps each queued upload's id to the time it was queued. An id is written
there (HSETNX) before its task is published, and removed when its task ends for good: scanned, or
failed beyond its retries (the worker's task_failure signal, also sent for a hard time limit). A task
handed back (a pool process killed, a worker restarted, the visibility timeout) keeps its entry, as it
is still queued. So the sweeper queues again only what has no entry: an upload whose queueing failed
(Redis away at upload time), one whose task failed for good, or all of them when Redis lost its data,
queue and hash together. The one entry that can outlive its task is written by a process that dies
before publishing; such entries are dropped once nothing at all is waiting or running (forget_stale)."""
from __future__ import annotations

import json
import time
from typing import Callable, Iterable

import redis

SCANS_QUEUE = "scans"
SCAN_TASK = "intake.scan_upload"
MARKERS = "tuiju:intake:scans-queued"
# kombu's Redis transport: a list per queue; delivered, unacknowledged messages in a hash of
# [message, exchange, routing key].
UNACKED = "unacked"
REDIS_TIMEOUT = 2.0


class ScanQueue:
    def __init__(self, client: redis.Redis, publish: Callable[[str], None], queue_name: str = "scans"):
        self.redis = client
        self.publish = publish
        self.queue_name = queue_name

    @classmethod
    def from_url(cls, url: str, publish: Callable[[str], None], queue_name: str = "scans") -> "ScanQueue":
        client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
        return cls(client, publish, queue_name)

    def queue(self, upload_id: str) -> bool:
        """Publish the upload's scan unless it is queued already; False when it was."""
        if not self.claim([upload_id]):
            return False
        self.publish_claimed([upload_id])
        return True

    def claim(self, upload_ids: Iterable[str]) -> list[str]:
        """Mark the uploads queued; returns those that were not marked before (this caller's to publish)."""
        upload_ids = list(upload_ids)
        if not upload_ids:
            return []
        now = time.time()
        with self.redis.pipeline(transaction=False) as pipe:
            for upload_id in upload_ids:
                pipe.hsetnx(MARKERS, upload_id, now)
            return [upload_id for upload_id, new in zip(upload_ids, pipe.execute()) if new]

    def publish_claimed(self, upload_ids: list[str]) -> None:
        """Publish claimed uploads; on a failure the rest are released, so that the sweeper retries them."""
        for number, upload_id in enumerate(upload_ids):
            try:
                self.publish(upload_id)
            except BaseException:
                self._release_quietly(upload_ids[number:])
                raise

    def release(self, upload_ids: Iterable[str]) -> None:
        upload_ids = list(upload_ids)
        if upload_ids:
            self.redis.hdel(MARKERS, *upload_ids)

    def done(self, upload_id: str) -> None:
        """The upload's task ended for good."""
        self.redis.hdel(MARKERS, upload_id)

    def queued(self, upload_ids: Iterable[str]) -> set[str]:
        upload_ids = list(upload_ids)
        if not upload_ids:
            return set()
        return {upload_id for upload_id, mark in zip(upload_ids, self.redis.hmget(MARKERS, upload_ids)) if mark}

    def size(self) -> int:
        """Uploads marked queued."""
        return int(self.redis.hlen(MARKERS))

    def waiting(self) -> int:
        """Messages waiting in the queue (each copy counts)."""
        return int(self.redis.llen(self.queue_name))

    def running(self) -> int:
        """Messages of this queue delivered to a worker and not yet acknowledged."""
        held = 0
        for raw in self.redis.hvals(UNACKED):
            try:
                held += json.loads(raw)[2] == self.queue_name
            except (ValueError, IndexError, TypeError):
                continue
        return held

    def forget_stale(self, older_than: float) -> list[str]:
        """With nothing waiting or running, an entry older than `older_than` seconds has no task: drop it."""
        if self.waiting() or self.running():
            return []
        cutoff = time.time() - older_than
        stale = [key.decode() for key, queued_at in self.redis.hgetall(MARKERS).items() if float(queued_at) < cutoff]
        self.release(stale)
        return stale

    def _release_quietly(self, upload_ids: list[str]) -> None:
        try:
            self.release(upload_ids)
        except redis.RedisError:
            pass  # Redis is away: the entries go with it, or forget_stale drops them later
