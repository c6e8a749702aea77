"""A steady load of whole nominations (start, the form, photo, sealed form, two certificates, submit) through
intake's JSON API, by a few clients, each from loopback addresses of its own. A nomination whose request
fails (a server away) is abandoned and the client goes on with the next one after a pause."""
from __future__ import annotations

import itertools
import random
import threading
import time
import uuid
from collections import Counter
from functools import cache

from bench.intake_load import Browser, Refused, Tally
from tests.builders import form_data, random_name

CERTIFICATES = 12


@cache
def certificates() -> tuple[bytes, ...]:
    from tests.fixtures import scanfiles

    return tuple(scanfiles.certificate_jpeg(seed=900_000 + n) for n in range(CERTIFICATES))


@cache
def sealed_form() -> bytes:
    from tests.fixtures import scanfiles

    return scanfiles.sealed_form_pdf(str(uuid.uuid4()))


def files(number: int) -> list[tuple[str, str, str, bytes]]:
    from tests.fixtures import scanfiles

    photo = scanfiles.portrait_photo_jpeg(354 + number % 40, 496 + number // 40 % 60)
    pool = certificates()
    return [("photo", "photo.jpg", "image/jpeg", photo),
            ("sealed_form", "form.pdf", "application/pdf", sealed_form()),
            ("certificate", "cert1.jpg", "image/jpeg", pool[(2 * number) % CERTIFICATES]),
            ("certificate", "cert2.jpg", "image/jpeg", pool[(2 * number + 1) % CERTIFICATES])]


def nomination(client: Browser, uploads: list[tuple[str, str, str, bytes]], form: dict) -> str:
    """One whole nomination; while its files are being checked, submit is pressed again every 2 s, as an
    applicant would (intake takes it with its files pending once the checks lag behind)."""
    api = "/api/v1/nominations"
    token = client.request("start", "POST", api, (201,), json={"channel": "self", "nominee_kind": "person"}).json()["token"]
    client.tally.tokens.append(token)
    client.request("form", "PATCH", f"{api}/{token}", (200,), json=form)
    for kind, filename, content_type, data in uploads:
        client.request("upload", "POST", f"{api}/{token}/files/{kind}", (201,),
                       fields={"file": (filename, data, content_type)})
    submit = {"submit_key": str(uuid.uuid4()), "seal_confirmed": True}
    deadline = time.monotonic() + 600
    while client.request("submit", "POST", f"{api}/{token}/submit", (200, 201, 409), json=submit).status == 409:
        if time.monotonic() > deadline:
            raise Refused("submit", 409, "scans pending for 600 s")
        time.sleep(2)
    return token


class SteadyLoad:
    """`clients` threads sending nominations one after another until stopped."""

    def __init__(self, url: str, run: str, clients: int = 2, pause: float = 0.5):
        self.url, self.run, self.clients, self.pause = url, run, clients, pause
        self.numbers = itertools.count(random.randrange(1_000_000, 50_000_000, 1000))
        self.started: list[str] = []        # tokens of every nomination begun
        self.acknowledged: list[str] = []   # tokens whose submit answered 200/201
        self.acknowledged_at: list[float] = []
        self.failures: Counter = Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def email(self, number: int) -> str:
        return f"chaos-{self.run}-{number}@example.com"

    def form(self, number: int) -> dict:
        form = form_data(name=random_name("韩"), email=self.email(number))
        form["person"]["email"] = self.email(number)
        return form

    def __enter__(self) -> "SteadyLoad":
        for _ in range(self.clients):
            thread = threading.Thread(target=self.client, daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(700)

    def client(self) -> None:
        while not self.stopping.is_set():
            number = next(self.numbers)
            tally = Tally()
            try:
                token = nomination(Browser(self.url, tally, number), files(number), self.form(number))
            except Refused as refused:
                self.fail(f"{refused.step} {refused.status}")
            except Exception as error:  # a connection refused or reset while a server is away
                self.fail(f"{type(error).__name__}")
            else:
                with self.lock:
                    self.acknowledged.append(token)
                    self.acknowledged_at.append(time.monotonic())
            finally:
                with self.lock:
                    self.started.extend(tally.tokens)
            time.sleep(self.pause)

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures[what] += 1
        time.sleep(1)

    def acknowledged_since(self, moment: float) -> int:
        with self.lock:
            return sum(1 for at in self.acknowledged_at if at >= moment)
