"""shared/tracing: the span files, the trace context as Kafka headers, log lines with the trace's ids, and the
command that prints one nomination's traces."""
from __future__ import annotations

import json
import logging
import os

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from shared.logs import JsonFormatter
from shared.tracing import context_from_traceparent, ids_of_current_span, kafka_headers, traceparent_of
from shared.tracing.files import JsonLinesSpanExporter, read_spans
from shared.tracing.show import main, traces_of, tree_lines

pytestmark = pytest.mark.unit
PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.fixture()
def provider(tmp_path):
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(str(tmp_path), "intake-relay")))
    return provider


def test_span_files_keep_each_span_with_its_parent_and_process(provider, tmp_path):
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("publish nominations", context=context_from_traceparent(PARENT),
                                      attributes={"tuiju.key": "n-1"}):
        pass
    [span] = list(read_spans(tmp_path))
    assert span["trace_id"] == "0af7651916cd43dd8448eb211c80319c"
    assert span["parent_id"] == "b7ad6b7169203331"
    assert span["attributes"] == {"tuiju.key": "n-1"}
    assert (tmp_path / next(p.name for p in tmp_path.iterdir())).name.startswith("intake-relay-")


def test_each_span_is_on_disk_as_it_ends_and_a_forked_child_writes_a_file_of_its_own(provider, tmp_path):
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("first"):
        pass
    assert [span["name"] for span in read_spans(tmp_path)] == ["first"]  # no buffer held back
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's exit code is the test's check
        with tracer.start_as_current_span("in the child"):
            pass
        os._exit(0)
    os.waitpid(child, 0)
    with tracer.start_as_current_span("second"):
        pass
    files = {path.name.rsplit("-", 1)[1]: path for path in tmp_path.iterdir()}
    assert set(files) == {f"{os.getpid()}.jsonl", f"{child}.jsonl"}
    assert [json.loads(line)["name"] for line in files[f"{child}.jsonl"].read_text().splitlines()] == ["in the child"]
    assert sorted(span["name"] for span in read_spans(tmp_path)) == ["first", "in the child", "second"]


def test_a_line_cut_short_by_a_killed_process_is_skipped(tmp_path):
    (tmp_path / "x-1.jsonl").write_text(json.dumps({"trace_id": "a"}) + "\n{\"trace_id\": \"b\", \"na")
    assert [span["trace_id"] for span in read_spans(tmp_path)] == ["a"]


def test_kafka_headers_carry_the_current_span_and_a_consumer_reads_them_back(provider):
    with provider.get_tracer("test").start_as_current_span("submit") as span:
        headers = kafka_headers()
        expected = f"{span.get_span_context().trace_id:032x}"
    traceparent = traceparent_of([("event_type", b"x"), *headers])
    assert traceparent.decode().split("-")[1] == expected


def test_no_span_in_hand_means_no_header_and_no_ids():
    assert kafka_headers() == [] and ids_of_current_span() == {}
    assert traceparent_of(None) is None


def test_log_lines_carry_the_trace_and_span_of_the_work_in_hand(provider):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message sent", None, None)
    with provider.get_tracer("test").start_as_current_span("task", context=context_from_traceparent(PARENT)):
        line = json.loads(JsonFormatter("notify-worker").format(record))
    assert line["trace_id"] == "0af7651916cd43dd8448eb211c80319c" and len(line["span_id"]) == 16


def span(span_id, parent, name, process, start, **attributes):
    return {"trace_id": "t1", "span_id": span_id, "parent_id": parent, "name": name, "process": process,
            "kind": "internal", "start_ns": start, "end_ns": start + 2_000_000, "status": "unset",
            "attributes": attributes}


def test_traces_of_a_nomination_are_whole_and_printed_as_a_tree(tmp_path, capsys):
    spans = [span("a", None, "POST /n/<token>/submit", "intake-web", 0),
             span("b", "a", "publish nominations", "intake-relay", 5_000_000, **{"tuiju.key": "n-1"}),
             span("c", "b", "consume nomination.submitted", "notify-consumer", 9_000_000, **{"tuiju.key": "n-1"}),
             {**span("d", None, "publish nominations", "intake-relay", 0, **{"tuiju.key": "n-2"}), "trace_id": "t2"}]
    assert list(traces_of(spans, "n-1")) == ["t1"] and traces_of(spans, "n-3") == {}
    lines = tree_lines(traces_of(spans, "n-1")["t1"])
    assert [" ".join(line.split()) for line in lines] == [
        "0.0 ms 2.0 ms intake-web: POST /n/<token>/submit", "5.0 ms 2.0 ms intake-relay: publish nominations",
        "9.0 ms 2.0 ms notify-consumer: consume nomination.submitted"]
    assert [len(line) - len(line.lstrip(" ")) for line in (l.split(" ms ")[-1] for l in lines)] == [1, 3, 5]
    (tmp_path / "p-1.jsonl").write_text("".join(json.dumps(s) + "\n" for s in spans))
    assert main(["n-1", "--dir", str(tmp_path)]) == 0
    assert "trace t1 (3 spans" in capsys.readouterr().out
    assert main(["n-3", "--dir", str(tmp_path)]) == 1
