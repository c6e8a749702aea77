"""Kombu's Redis transport, with two differences: a channel whose connection was already closed raises a
connection error instead of AttributeError, and a channel keeps one client for its plain commands.

When Redis goes away, the worker's consumer closes its connection and then the channels of its steps
(gossip's and remote control's auto-deleted fanout queues among them). Kombu's channel then builds a
client from the closed connection (`connection.client` is None) and raises AttributeError, which Celery
does not expect there: the worker ended during a 30 s Redis outage in the fault suite. A connection error
is what Celery ignores while closing and reconnects on everywhere else."""
from __future__ import annotations

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

TRANSPORT = "shared.celery_redis:Transport"


class ConnectionClosed(RedisConnectionError):
    """The channel's connection was closed before the channel."""


class Channel(kombu_redis.Channel):
    _plain_client: tuple | None = None  # (the connection pool, a client of it)

    def _create_client(self, asynchronous=False):
        """One client per connection pool for the channel's plain commands (a publish's LPUSH among them).
        Kombu built a new one for every message, its 150 response callbacks with it: a millisecond of CPU
        in each upload's request (issue 19's profile). The pool is still the one that lends connections;
        a new pool (after a reconnection) gets a new client."""
        if asynchronous:
            return super()._create_client(asynchronous=True)
        pool = self.pool
        if self._plain_client is None or self._plain_client[0] is not pool:
            self._plain_client = (pool, super()._create_client())
        return self._plain_client[1]

    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise ConnectionClosed("the broker connection was closed before this channel")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
