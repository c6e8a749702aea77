"""Spans as JSON lines, one file per process under TUIJU_TRACE_DIR, and reading them back."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Iterator, Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult


def span_record(span: ReadableSpan) -> dict:
    context, parent = span.get_span_context(), span.parent
    return {
        "trace_id": f"{context.trace_id:032x}",
        "span_id": f"{context.span_id:016x}",
        "parent_id": f"{parent.span_id:016x}" if parent else None,
        "name": span.name,
        "process": span.resource.attributes.get("service.name", "?"),
        "kind": span.kind.name.lower(),
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": span.status.status_code.name.lower(),
        "attributes": dict(span.attributes or {}),
    }


class JsonLinesSpanExporter(SpanExporter):
    """Appends each span as it ends, flushed at once (a killed process leaves its spans on disk), to a file
    kept open by the process that writes it: intake's web process ends several spans per request, and an
    open and a close for each was part of the 4.5% of its CPU that py-spy gave the tracing span. A folder
    removed while the file is open is not noticed: the spans go on to the removed file."""

    def __init__(self, folder: str, process: str):
        self.folder = Path(folder)
        self.process = process
        self._lock = threading.Lock()
        self._handle = None
        self._handle_pid = 0

    @property
    def path(self) -> Path:
        return self.folder / f"{self.process}-{os.getpid()}.jsonl"  # a forked worker writes its own file

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = "".join(json.dumps(span_record(span), ensure_ascii=False, default=str) + "\n" for span in spans)
        try:
            with self._lock:
                handle = self._open_handle()
                handle.write(lines)
                handle.flush()
        except OSError:
            self._close_handle()  # the next span opens the file again (the folder may have been removed)
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def _open_handle(self):
        if self._handle is None or self._handle_pid != os.getpid():  # a forked child opens its own
            self.folder.mkdir(parents=True, exist_ok=True)
            self._handle, self._handle_pid = open(self.path, "a", encoding="utf-8"), os.getpid()
        return self._handle

    def _close_handle(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None and self._handle_pid == os.getpid():
            try:
                handle.close()
            except OSError:
                pass

    def shutdown(self) -> None:
        with self._lock:
            self._close_handle()


def read_spans(folder: str | Path) -> Iterator[dict]:
    for path in sorted(Path(folder).glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    yield json.loads(line)
                except ValueError:
                    continue  # a line cut short by a killed process
