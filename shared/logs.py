"""JSON logs, one object a line, carrying the correlation id of the work being done and the trace and span
ids of the span in hand (shared/tracing). configure_logging also installs the process's tracing."""
from __future__ import annotations

import contextvars
import json
import logging
import sys
from contextlib import contextmanager
from datetime import datetime, timezone

from shared.tracing import configure_tracing, ids_of_current_span

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


@contextmanager
def correlated(value: str | None):
    token = correlation_id.set(value)
    try:
        yield
    finally:
        correlation_id.reset(token)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if correlation_id.get():
            line["correlation_id"] = correlation_id.get()
        line.update(ids_of_current_span())
        for key, value in getattr(record, "fields", {}).items():
            line[key] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    configure_tracing(service)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("kafka", "urllib3", "botocore"):
        logging.getLogger(noisy).setLevel("WARNING")


def log_fields(**fields) -> dict:
    """Extra structured fields for a log call: log.info("...", extra=log_fields(n=3))."""
    return {"fields": fields}
