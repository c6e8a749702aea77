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
    def __init__(self, folder: str, process: str):
        self.folder = Path(folder)
        self.process = process
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.folder / f"{self.process}-{os.getpid()}.jsonl"  # a forked worker writes its own file

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = "".join(json.dumps(span_record(span), ensure_ascii=False, default=str) + "\n" for span in spans)
        try:
            try:
                self._append(lines)
            except FileNotFoundError:  # the folder is made when missing, not tried on every span (a system call)
                self.folder.mkdir(parents=True, exist_ok=True)
                self._append(lines)
        except OSError:
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def _append(self, lines: str) -> None:
        with self._lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write(lines)

    def shutdown(self) -> None:
        return None


def read_spans(folder: str | Path) -> Iterator[dict]:
    for path in sorted(Path(folder).glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    yield json.loads(line)
                except ValueError:
                    continue  # a line cut short by a killed process
