"""Many small objects of one bucket read quickly, for exports that fetch thousands of files one after another.

The S3 client's general path costs about 0.55 ms of CPU per GET (signing the headers, urllib3's pool,
retries and response wrapping); a ZIP of a domain's 16,000 scans pays that 16,000 times, serialised by the
GIL. Here each GET goes by a presigned URL (S3's own way of authorising one request, valid a few minutes)
over a plain `http.client` connection kept alive per thread: about 0.3 ms per GET, the same bytes."""
from __future__ import annotations

import http.client
import threading
import urllib.parse
from datetime import timedelta

from shared.storage import ObjectStore, ObjectTooLarge

URL_LIFETIME = timedelta(minutes=15)
TIMEOUT_SECONDS = 60
# A kept-alive connection the server has closed in the meantime fails on first use: one fresh retry.
STALE_CONNECTION = (http.client.RemoteDisconnected, http.client.CannotSendRequest, BrokenPipeError,
                    ConnectionResetError)


class ObjectUnavailable(OSError):
    def __init__(self, key: str, status: int):
        super().__init__(f"object {key!r} could not be read (HTTP {status})")
        self.key, self.status = key, status


class ObjectReader:
    """get(key) -> the object's bytes; safe to share between threads (one connection each). Close it."""

    def __init__(self, store: ObjectStore, max_size: int | None = None):
        self.store, self.max_size = store, max_size
        self._local = threading.local()
        self._connections: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def __enter__(self) -> "ObjectReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, key: str) -> bytes:
        url = urllib.parse.urlsplit(self.store.client.presigned_get_object(self.store.bucket, key,
                                                                            expires=URL_LIFETIME))
        target = f"{url.path}?{url.query}"
        try:
            return self._get(self._connection(url), key, target)
        except STALE_CONNECTION:
            self._local.connection = None
            return self._get(self._connection(url), key, target)

    def _get(self, connection: http.client.HTTPConnection, key: str, target: str) -> bytes:
        connection.request("GET", target)
        response = connection.getresponse()
        if response.status != 200:
            self._drop(connection)
            raise ObjectUnavailable(key, response.status)
        if self.max_size is None:
            return response.read()
        announced = int(response.getheader("Content-Length") or 0)
        data = b"" if announced > self.max_size else response.read(self.max_size + 1)
        if len(data) > self.max_size or not response.isclosed():
            self._drop(connection)
            raise ObjectTooLarge(self.max_size)
        return data

    def _drop(self, connection: http.client.HTTPConnection) -> None:
        """A body left unread makes the connection unusable: the thread's next GET opens a new one."""
        connection.close()
        self._local.connection = None

    def _connection(self, url: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            connection = kind(url.hostname, url.port, timeout=TIMEOUT_SECONDS)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
