"""Tracing with OpenTelemetry: one nomination followed from the form's POST through the outbox, the relay,
Kafka, each consumer and the Celery tasks they queue, to the mail and the archive.

Every process calls `configure_tracing("<service>-<process>")` once (configure_logging does). Spans go to
JSON-lines files under TUIJU_TRACE_DIR (one file per process; `python -m shared.tracing.show` prints one
nomination's traces from them) and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, to an OpenTelemetry collector
or Jaeger over OTLP/HTTP. The W3C trace context travels in the outbox row (trace_context), in Kafka
headers (traceparent) and in Celery's task headers, so each hop continues the trace it was given."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterable, Iterator

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

from shared.tracing.files import JsonLinesSpanExporter

TRACER_NAME = "tuiju"
_configured: dict = {}


def configure_tracing(process: str, env: dict | None = None) -> bool:
    """Install this process's tracer provider (once; a forked gunicorn or Celery child keeps its parent's,
    whose file exporter writes a file per pid). Returns whether spans go anywhere."""
    env = os.environ if env is None else env
    if _configured:
        return _configured["exporters"] > 0
    provider = TracerProvider(resource=Resource.create({"service.name": process}))
    exporters = 0
    if env.get("TUIJU_TRACE_DIR"):
        # Written as each span ends: a process killed by a test or the OS leaves its spans on disk.
        provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(env["TUIJU_TRACE_DIR"], process)))
        exporters += 1
    if env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        exporters += 1
    trace.set_tracer_provider(provider)
    _configured.update(process=process, exporters=exporters)
    return exporters > 0


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER_NAME)


def current_trace_context() -> str | None:
    """The W3C traceparent of the span in hand (what an outbox row keeps), or None outside any span."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | bytes | None) -> context.Context:
    if isinstance(traceparent, bytes):
        traceparent = traceparent.decode(errors="replace")
    return propagate.extract({"traceparent": traceparent} if traceparent else {})


def kafka_headers() -> list[tuple[str, bytes]]:
    """The current trace context as Kafka headers."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return [(name, value.encode()) for name, value in carrier.items()]


def traceparent_of(headers: Iterable[tuple[str, bytes]] | None) -> bytes | None:
    return next((value for name, value in headers or () if name == "traceparent"), None)


@contextmanager
def continued_span(name: str, traceparent: str | bytes | None, kind=trace.SpanKind.INTERNAL,
                   **attributes) -> Iterator[trace.Span]:
    """A span continuing the trace of `traceparent` (a new trace without one), current while inside."""
    with tracer().start_as_current_span(name, context=context_from_traceparent(traceparent), kind=kind,
                                        attributes={key: value for key, value in attributes.items()
                                                    if value is not None}) as span:
        yield span


def ids_of_current_span() -> dict[str, str]:
    """trace_id and span_id for a log line, when a span is in hand."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return {}
    return {"trace_id": f"{span_context.trace_id:032x}", "span_id": f"{span_context.span_id:016x}"}
