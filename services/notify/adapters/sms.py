"""Sending SMS: the provider interface, one HTTP provider adapter, and the development sink.

A failed send says whether it is permanent (the provider refused this message: retrying cannot help)
or transient (the provider is away or busy: the Celery task retries with backoff).
"""
from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

# 408 (request timeout) and 429 (too many requests) are 4xx answers that a later try can get past.
_TRANSIENT_CLIENT_ERRORS = {408, 429}


@dataclass(frozen=True)
class SmsResult:
    accepted: bool
    provider_id: str | None = None
    error: str | None = None
    permanent: bool = False


class SmsProvider(Protocol):
    def send(self, phone: str, text: str) -> SmsResult: ...


class HttpSmsProvider:
    """A provider with a JSON HTTP API: POST {"to": phone, "text": text} with a bearer key; a 2xx answer
    accepts the message, its `id` (or `message_id`) being the provider's id for it."""

    def __init__(self, url: str, api_key: str, timeout: float = 10.0):
        self.url = url
        self.api_key = api_key
        self.timeout = timeout

    def send(self, phone: str, text: str) -> SmsResult:
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"to": phone, "text": text}, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.api_key}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return SmsResult(accepted=True, provider_id=_provider_id(response.read()))
        except urllib.error.HTTPError as error:
            return _refused(error.code, error.read())
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            return SmsResult(accepted=False, error=f"SMS provider unreachable: {reason}", permanent=False)


def _provider_id(body: bytes) -> str | None:
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    found = answer.get("id") or answer.get("message_id")
    return str(found) if found is not None else None


def _refused(status: int, body: bytes) -> SmsResult:
    permanent = 400 <= status < 500 and status not in _TRANSIENT_CLIENT_ERRORS
    detail = body.decode("utf-8", errors="replace").strip()[:300]
    return SmsResult(accepted=False, error=f"HTTP {status}: {detail}", permanent=permanent)


class SinkSmsProvider:
    """The development sink: it sends nothing, and records each message as one JSON line
    ({"provider_id", "phone", "text", "at"}) appended to a file, so people and tests can read what
    would have been sent. Use it locally and in tests, never in production."""

    _lock = threading.Lock()

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def send(self, phone: str, text: str) -> SmsResult:
        provider_id = f"sink-{uuid.uuid4()}"
        record = {"provider_id": provider_id, "phone": phone, "text": text,
                  "at": datetime.now(timezone.utc).isoformat()}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as sink:
            sink.write(line)
        return SmsResult(accepted=True, provider_id=provider_id)

    def messages(self) -> list[dict]:
        """Every message recorded so far, oldest first."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as sink:
            return [json.loads(line) for line in sink if line.strip()]
