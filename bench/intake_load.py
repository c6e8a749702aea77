"""Intake under load: complete nominations per second (start, the whole form, photo, sealed form, two
certificates, submit) by N concurrent clients, through the JSON API (files through intake, or "direct":
straight to the S3 server with a signed form, then confirmed) and through the HTML pages (as a
browser: CSRF token, session cookie, every redirect followed), against intake's gunicorn as the Procfile
runs it; beside it, in the same run, the raw S3 PUT rate of the same files and a bare endpoint
(/healthz: Flask and gunicorn, no database) at the same concurrency.

Each client is a thread with its own keep-alive connection, running nominations one after another
until the level's time is up. A nomination is counted when its submit answered; any other answer than
the expected one is an error (the nomination is abandoned, the error's step and status recorded).
"""
from __future__ import annotations

import itertools
import random
import re
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import quote, urljoin

import urllib3

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMIT_KEY = re.compile(r'name="submit_key" value="([^"]+)"')
TOKEN = re.compile(r"/n/([^/?#]+)")

# Each nomination's number names its client address (applicant_address): numbered across the levels of a
# run and from a random start, a run does not reuse the addresses an earlier one used within the hour
# intake counts drafts per address for (30 an hour): a second run within the hour got 429s.
_numbers = itertools.count(random.randrange(10_000_000))
_numbers_lock = threading.Lock()


def next_number() -> int:
    with _numbers_lock:
        return next(_numbers)


class Refused(Exception):
    def __init__(self, step: str, status: int, body: str = ""):
        super().__init__(f"{step}: {status} {body[:200]}")
        self.step, self.status = step, status


@dataclass
class Tally:
    """What the clients of one level measured (threads append; read after they are done)."""
    nominations: list[float] = field(default_factory=list)
    steps: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    tokens: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def step(self, name: str, seconds: float) -> None:
        with self.lock:
            self.steps[name].append(seconds)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


class Browser:
    """One client: a connection pool of one, a cookie jar, and the time of each request."""

    def __init__(self, base_url: str, tally: Tally, number: int = 0):
        self.base = base_url
        self.http = urllib3.PoolManager(maxsize=1, retries=False, timeout=urllib3.Timeout(connect=5, read=60),
                                        source_address=(applicant_address(number), 0))
        self.cookies: dict[str, str] = {}
        self.tally = tally

    def request(self, step: str, method: str, path: str, expect: tuple[int, ...], **options):
        headers = options.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        answer = self.http.request(method, urljoin(self.base, path), headers=headers, redirect=False, **options)
        self.tally.step(step, time.perf_counter() - started)
        for value in answer.headers.getlist("Set-Cookie"):
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(value).items()})
        if answer.status not in expect:
            raise Refused(step, answer.status, answer.data.decode(errors="replace"))
        return answer

    def follow(self, step: str, answer) -> str:
        """A browser's GET of the page a POST redirected to."""
        return self.request(step, "GET", answer.headers["Location"], (200,)).data.decode()


def applicant_address(number: int) -> str:
    """Each nomination from a loopback address of its own, as the last evening's applicants come from
    many addresses: intake limits drafts and uploads per client address."""
    return f"127.{1 + number // 65_000 % 250}.{number // 250 % 260 % 256}.{1 + number % 250}"


def json_nomination(client: Browser, files: list[tuple[str, str, str, bytes]], form: dict, upload=None) -> str:
    api = "/api/v1/nominations"
    start = {"channel": "self", "nominee_kind": "person", "form": form}  # the whole form with the start
    token = client.request("start", "POST", api, (201,), json=start).json()["token"]
    client.tally.tokens.append(token)
    for kind, filename, content_type, data in files:
        (upload or intake_upload)(client, token, kind, filename, content_type, data)
    submit = {"submit_key": str(uuid.uuid4())}
    if client.request("submit", "POST", f"{api}/{token}/submit", (200, 201, 409), json=submit).status == 409:
        wait_for_scans(client, token)  # submission waits for the files' scans (issue 14, item 3)
        client.request("submit", "POST", f"{api}/{token}/submit", (200, 201), json=submit)
    return token


def direct_nomination(client: Browser, files: list[tuple[str, str, str, bytes]], form: dict) -> str:
    """As json_nomination, but each file goes straight to the S3 server: a slot, the POST to S3, the confirmation."""
    return json_nomination(client, files, form, upload=direct_upload)


def direct_upload(client: Browser, token: str, kind: str, filename: str, content_type: str, data: bytes) -> None:
    slot = client.request("upload slot", "POST", f"/api/v1/nominations/{token}/files/{kind}/direct", (201,),
                          json={"filename": filename, "content_type": content_type, "size": len(data)}).json()
    fields = {**slot["form"]["fields"], "file": (filename, data, content_type)}
    client.request("upload to S3", "POST", slot["form"]["url"], (204,), fields=fields)
    client.request("upload confirm", "POST", slot["confirm_url"], (201,), json={"slot": slot["slot"]})


def bare_upload(client: Browser, token: str, kind: str, filename: str, content_type: str, data: bytes) -> None:
    client.request("upload", "POST", f"/api/v1/nominations/{token}/files/{kind}", (201,), body=data,
                   headers={"Content-Type": content_type,
                            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


def intake_upload(client: Browser, token: str, kind: str, filename: str, content_type: str, data: bytes) -> None:
    client.request("upload", "POST", f"/api/v1/nominations/{token}/files/{kind}", (201,),
                   fields={"file": (filename, data, content_type)})


def wait_for_scans(client: Browser, token: str, timeout: float = 600) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        files = client.request("status", "GET", f"/api/v1/nominations/{token}", (200,)).json()["files"]
        if all(f["status"] != "pending" for f in files):
            client.tally.step("scan wait", time.perf_counter() - started)
            return
        time.sleep(0.5)
    raise Refused("scan wait", 0, "scans not done")


def html_nomination(client: Browser, files: list[tuple[str, str, str, bytes]], form: dict) -> str:
    csrf = CSRF.search(client.request("start page", "GET", "/", (200,)).data.decode()).group(1)
    started = client.request("start", "POST", "/start", (302,), fields={"csrf_token": csrf, "nominee_kind": "person"})
    token = TOKEN.search(started.headers["Location"]).group(1)
    client.tally.tokens.append(token)
    client.follow("task list", started)
    for part, roots in (("basic", ("person", "domain", "contact")), ("deeds", ("deeds", "media_honours"))):
        client.request("form page", "GET", f"/n/{token}/{part}", (200,))
        fields = {name: value for name, value in flatten(form).items() if name.split(".")[0] in roots}
        client.follow("task list", client.request("form", "POST", f"/n/{token}/{part}", (302,),
                                                  fields={"csrf_token": csrf, **fields}))
    client.request("files page", "GET", f"/n/{token}/files", (200,))
    for kind, filename, content_type, data in files:
        answer = client.request("upload", "POST", f"/n/{token}/files/{kind}", (302,),
                                fields={"csrf_token": csrf, "file": (filename, data, content_type)})
        client.follow("files page", answer)
    key = SUBMIT_KEY.search(client.request("check page", "GET", f"/n/{token}/check", (200,)).data.decode()).group(1)
    done = client.request("submit", "POST", f"/n/{token}/submit", (302, 400),
                          fields={"csrf_token": csrf, "submit_key": key})
    if done.status == 400:  # submission waits for the files' scans (issue 14, item 3)
        wait_for_scans(client, token)
        done = client.request("submit", "POST", f"/n/{token}/submit", (302,),
                              fields={"csrf_token": csrf, "submit_key": key})
    client.follow("done page", done)
    return token


def flatten(tree, prefix: str = "") -> dict[str, str]:
    """{"person": {"name": "张三"}, "media_honours": [{...}]} -> {"person.name": "张三", "media_honours.0.title": ...}"""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    flat = {}
    for key, value in items:
        name = f"{prefix}{key}"
        if isinstance(value, (dict, list)):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


FLOWS = {"api": json_nomination, "direct": direct_nomination, "html": html_nomination}


def run_level(base_url: str, flow: str, clients: int, seconds: float, nomination_files, form) -> dict:
    """`clients` threads doing whole nominations until `seconds` have passed; their figures."""
    tally = Tally()
    deadline = time.monotonic() + seconds

    def one_client() -> None:
        while time.monotonic() < deadline:
            number = next_number()
            client = Browser(base_url, tally, number)
            started = time.perf_counter()
            try:
                FLOWS[flow](client, nomination_files(number), form(number))
            except Refused as refused:
                tally.errors[f"{refused.step} {refused.status}"] += 1
                continue
            except (urllib3.exceptions.HTTPError, OSError) as error:
                tally.errors[type(error).__name__] += 1
                continue
            with tally.lock:
                tally.nominations.append(time.perf_counter() - started)

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(one_client) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - began
    return {**summarise(tally, elapsed, clients), "tokens": tally.tokens}


def summarise(tally: Tally, elapsed: float, clients: int) -> dict:
    done = tally.nominations
    return {
        "clients": clients, "seconds": round(elapsed, 1), "nominations": len(done),
        "per_s": round(len(done) / elapsed, 2), "p50_ms": ms(percentile(done, 0.5)), "p99_ms": ms(percentile(done, 0.99)),
        "errors": sum(tally.errors.values()), "error_kinds": dict(tally.errors),
        "steps": {name: {"n": len(values), "p50_ms": ms(percentile(values, 0.5)), "p99_ms": ms(percentile(values, 0.99)),
                         "mean_ms": ms(statistics.fmean(values))} for name, values in sorted(tally.steps.items())},
    }


def raw_put_level(store, clients: int, seconds: float, nomination_files) -> dict:
    """The same files PUT straight to S3 by `clients` threads: nominations' worth of PUTs per second."""
    tally = Tally()
    keys: list[str] = []
    deadline = time.monotonic() + seconds
    run = uuid.uuid4().hex[:8]

    def one_client(client: int) -> None:
        number = client
        while time.monotonic() < deadline:
            started = time.perf_counter()
            for index, (_, _, content_type, data) in enumerate(nomination_files(number)):
                key = f"bench/{run}/{number}-{index}"
                put_started = time.perf_counter()
                store.put_bytes(key, data, content_type=content_type)
                tally.step("put", time.perf_counter() - put_started)
                with tally.lock:
                    keys.append(key)
            with tally.lock:
                tally.nominations.append(time.perf_counter() - started)
            number += clients

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one_client, range(clients)))
    figures = summarise(tally, time.perf_counter() - began, clients)
    for key in keys:
        store.remove(key)
    return figures


def bare_level(base_url: str, clients: int, seconds: float) -> dict:
    """GET /healthz by `clients` threads: what gunicorn and Flask cost without any work."""
    tally = Tally()
    deadline = time.monotonic() + seconds

    def one_client() -> None:
        client = Browser(base_url, tally)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                client.request("healthz", "GET", "/healthz", (200,))
            except Refused as refused:
                tally.errors[f"healthz {refused.status}"] += 1
                continue
            with tally.lock:
                tally.nominations.append(time.perf_counter() - started)

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(one_client) for _ in range(clients)]:
            future.result()
    figures = summarise(tally, time.perf_counter() - began, clients)
    figures["requests_per_s"] = figures.pop("per_s")
    return figures
