"""One file's way into the S3 server, measured side by side on a quiet moment (before the load levels): the POST
of a direct upload's signed form (what an API client sends, issue 19's "upload request") against a raw PUT of the
same file, alternating file by file through one keep-alive connection, so that both meet the same machine."""
from __future__ import annotations

import statistics
import time
import uuid
from datetime import timedelta

import urllib3

from bench.intake_load import ms


def post_beside_put(store, files: list[tuple[str, str, str, bytes]]) -> dict:
    http = urllib3.PoolManager(maxsize=1, retries=False)
    times: dict[str, list[float]] = {"post": [], "put": []}
    keys = []
    try:
        for _, filename, content_type, data in files:
            post_key, put_key = (f"quarantine/bench-{uuid.uuid4().hex}" for _ in range(2))
            keys += [post_key, put_key]
            form = store.upload_form(post_key, content_type=content_type, max_size=len(data), expires=timedelta(minutes=5))
            times["post"].append(_timed(lambda: http.request(
                "POST", form.url, fields={**form.fields, "file": (filename, data, content_type)}), 204))
            url = store.signer.presigned_put_object(store.bucket, put_key)
            times["put"].append(_timed(lambda: http.request(
                "PUT", url, body=data, headers={"Content-Type": content_type}), 200))
    finally:
        for key in keys:
            store.remove(key)
    post, put = (statistics.median(values) for values in (times["post"], times["put"]))
    return {"files": len(files), "post_p50_ms": ms(post), "put_p50_ms": ms(put), "ratio": round(post / put, 2)}


def _timed(send, expected: int) -> float:
    started = time.perf_counter()
    answer = send()
    elapsed = time.perf_counter() - started
    if answer.status != expected:
        raise RuntimeError(f"S3 answered {answer.status}: {answer.data[:200]!r}")
    return elapsed
