"""Kombu's Redis transport, with one difference: a channel whose connection was already closed raises a
connection error instead of AttributeError.

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
    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise ConnectionClosed("the broker connection was closed before this channel")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
