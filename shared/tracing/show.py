"""Print one nomination's traces from the span files: `python -m shared.tracing.show ID_OR_REFERENCE`.

Every trace that touched the nomination (a span whose event key is its id, or whose event carries its
申报编号) is printed whole, as a tree: time from the trace's start, duration, process, span."""
from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict

from shared.tracing.files import read_spans


def traces_of(spans: list[dict], nomination: str) -> dict[str, list[dict]]:
    """The whole traces (by trace id, oldest first) that touched the nomination."""
    by_trace: dict[str, list[dict]] = defaultdict(list)
    for span in spans:
        by_trace[span["trace_id"]].append(span)
    touched = {span["trace_id"] for span in spans
               if nomination in (span["attributes"].get("tuiju.key"), span["attributes"].get("tuiju.reference"))}
    found = {trace_id: sorted(by_trace[trace_id], key=lambda span: span["start_ns"]) for trace_id in touched}
    return dict(sorted(found.items(), key=lambda item: item[1][0]["start_ns"]))


def tree_lines(spans: list[dict]) -> list[str]:
    ids = {span["span_id"] for span in spans}
    children: dict[str | None, list[dict]] = defaultdict(list)
    for span in spans:
        children[span["parent_id"] if span["parent_id"] in ids else None].append(span)
    start = min(span["start_ns"] for span in spans)
    lines: list[str] = []

    def walk(span: dict, depth: int) -> None:
        offset = (span["start_ns"] - start) / 1e6
        took = ((span["end_ns"] or span["start_ns"]) - span["start_ns"]) / 1e6
        event = span["attributes"].get("tuiju.event_type", "")
        flag = "  ERROR" if span["status"] == "error" else ""
        lines.append(f"{offset:9.1f} ms {took:8.1f} ms  {'  ' * depth}{span['process']}: {span['name']}"
                     f"{'  [' + event + ']' if event and event not in span['name'] else ''}{flag}")
        for child in sorted(children[span["span_id"]], key=lambda s: s["start_ns"]):
            walk(child, depth + 1)

    for root in sorted(children[None], key=lambda s: s["start_ns"]):
        walk(root, 0)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.tracing.show", description=__doc__.splitlines()[0])
    parser.add_argument("nomination", help="the nomination's id or its 申报编号 (2022-00042)")
    parser.add_argument("--dir", default=os.environ.get("TUIJU_TRACE_DIR", ""),
                        help="the span files' folder (default: TUIJU_TRACE_DIR)")
    args = parser.parse_args(argv)
    if not args.dir:
        parser.error("no span folder: set TUIJU_TRACE_DIR or pass --dir")
    traces = traces_of(list(read_spans(args.dir)), args.nomination)
    if not traces:
        print(f"no trace touches {args.nomination} in {args.dir}", file=sys.stderr)
        return 1
    for trace_id, spans in traces.items():
        print(f"trace {trace_id} ({len(spans)} spans, processes: {', '.join(sorted({s['process'] for s in spans}))})")
        print("\n".join(tree_lines(spans)))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
