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


BLOCKS = 6  # alternating: form, body, form, body, ...


def form_beside_body(url: str, meter, nominations: int, nomination_files) -> tuple[dict, list[str]]:
    """intake-web's CPU per upload request, a multipart form's file against the file as the whole body, in
    alternating blocks of `nominations` whole sets of files (four each), each block to nominations started
    before it. Returns the figures and the tokens started (for the bench's clean-up)."""
    from bench.intake_load import Browser, Tally, bare_upload, intake_upload, next_number

    cpu_ms: dict[str, list[float]] = {"form": [], "body": []}
    tokens: list[str] = []
    for block in range(BLOCKS):
        way, send = ("form", intake_upload) if block % 2 == 0 else ("body", bare_upload)
        drafts = []
        for _ in range(nominations):
            client = Browser(url, Tally(), next_number())
            token = client.request("start", "POST", "/api/v1/nominations", (201,),
                                   json={"channel": "self", "nominee_kind": "person"}).json()["token"]
            drafts.append((client, token))
        tokens += [token for _, token in drafts]
        before, sent = meter.measure(), 0
        for number, (client, token) in enumerate(drafts):
            for kind, filename, content_type, data in nomination_files(number):
                send(client, token, kind, filename, content_type, data)
                sent += 1
        cpu_ms[way].append(1000 * meter.since(before)["intake-web"] / sent)
    form, body = (statistics.median(values) for values in (cpu_ms["form"], cpu_ms["body"]))
    return {"uploads_per_block": 4 * nominations, "blocks": BLOCKS, "form_cpu_ms": round(form, 2),
            "body_cpu_ms": round(body, 2), "ratio": round(body / form, 2)}, tokens
