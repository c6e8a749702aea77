"""Where the trace context enters and leaves a process: Flask requests and Celery tasks."""
from __future__ import annotations

from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from shared.tracing import context_from_traceparent, tracer

UNTRACED_PATHS = ("/healthz", "/readyz", "/metrics", "/favicon.ico", "/static/")


def trace_requests(app) -> None:
    """A server span per request, named by its route (never its path: private links are in paths),
    continuing a traceparent the client sent."""
    from flask import g, request

    @app.before_request
    def _start_span():
        if request.path.startswith(UNTRACED_PATHS):
            return
        route = request.url_rule.rule if request.url_rule else "unmatched"
        span = tracer().start_span(f"{request.method} {route}", context=propagate.extract(dict(request.headers)),
                                   kind=SpanKind.SERVER,
                                   attributes={"http.request.method": request.method, "http.route": route})
        g._trace = (span, context.attach(trace.set_span_in_context(span)))

    @app.after_request
    def _record_status(response):
        if "_trace" in g:
            g._trace[0].set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                g._trace[0].set_status(Status(StatusCode.ERROR))
        return response

    @app.teardown_request
    def _end_span(_error=None):
        traced = g.pop("_trace", None)
        if traced:
            span, token = traced
            span.end()
            context.detach(token)


_task_spans: dict[str, tuple] = {}


def trace_celery_tasks() -> None:
    """Inject the trace context into each task's headers when it is sent; continue it when it runs."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_inject, weak=False, dispatch_uid="tuiju-trace-publish")
    task_prerun.connect(_start_task_span, weak=False, dispatch_uid="tuiju-trace-prerun")
    task_postrun.connect(_end_task_span, weak=False, dispatch_uid="tuiju-trace-postrun")


def _inject(headers=None, **_):
    if headers is not None:
        propagate.inject(headers)


def _start_task_span(task_id=None, task=None, **_):
    traceparent = getattr(task.request, "traceparent", None) if task is not None else None
    span = tracer().start_span(f"task {task.name if task else '?'}", context=context_from_traceparent(traceparent),
                               kind=SpanKind.CONSUMER, attributes={"celery.task_id": task_id or ""})
    _task_spans[task_id] = (span, context.attach(trace.set_span_in_context(span)))


def _end_task_span(task_id=None, state=None, **_):
    traced = _task_spans.pop(task_id, None)
    if traced:
        span, token = traced
        span.set_attribute("celery.state", str(state))
        span.end()
        context.detach(token)
