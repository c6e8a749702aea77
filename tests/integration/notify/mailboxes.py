"""Mail as the notify integration tests read it back: the devstack's Mailpit through its REST API, a Mailpit
of a test's own (for a test that stops its SMTP server), and the subjects and bodies of a recipient's mail."""
from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from tests.stack import wait_until


class PrivateMailpit:
    """A Mailpit of one test's own (the devstack's build of it, a real SMTP server), for a test that stops
    its SMTP server: stopping the shared one would fail other sessions' tests, and their `devstack up`
    would start it again in the middle of the outage."""

    def __init__(self, folder: Path, *options: str):
        from devstack.provisioning import go_tool

        self.binary = go_tool("mailpit")
        self.smtp_port, self.http_port = _free_ports(2)
        self.folder = folder
        self.options = list(options)
        self.popen: subprocess.Popen | None = None
        self.api = Mailpit(f"http://127.0.0.1:{self.http_port}")

    def start(self) -> "PrivateMailpit":
        log = (self.folder / "mailpit.log").open("ab")
        self.popen = subprocess.Popen([
            self.binary, "--smtp", f"127.0.0.1:{self.smtp_port}", "--listen", f"127.0.0.1:{self.http_port}",
            "--database", str(self.folder / "mailpit.db"), "--disable-version-check", *self.options,
        ], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        wait_until(self._answers, 30, 0.1, "the private Mailpit to answer")
        return self

    def kill(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(10)

    def _answers(self) -> bool:
        try:
            self.api.search("to:nobody")
        except OSError:
            return False
        try:
            socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1).close()
        except OSError:
            return False
        return True


def _free_ports(count: int) -> list[int]:
    """Distinct free ports: each probe stays bound until all are chosen (one released before the next is
    asked for can come back again, and then the SMTP server answered on the HTTP API's port)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


# ---- reading back ------------------------------------------------------------------------------------

class Mailpit:
    def __init__(self, api: str):
        self.api = api.rstrip("/")

    def search(self, query: str) -> list[dict]:
        """Every message matching a Mailpit search (e.g. `to:someone@x`), oldest first."""
        found, start = [], 0
        while True:
            page = self._get("/api/v1/search", query=query, start=start, limit=250)
            found += page["messages"]
            start += len(page["messages"])
            if not page["messages"] or start >= page["messages_count"]:
                return sorted(found, key=lambda m: m["Created"])

    def to(self, address: str) -> list[dict]:
        return [m for m in self.search(f"to:{address}") if any(t["Address"] == address for t in m["To"])]

    def text(self, mail_id: str) -> str:
        return self._get(f"/api/v1/message/{mail_id}")["Text"]

    def html(self, mail_id: str) -> str:
        return self._get(f"/api/v1/message/{mail_id}")["HTML"]

    def delete(self, query: str) -> None:
        ids = [m["ID"] for m in self.search(query)]
        if ids:
            request = urllib.request.Request(f"{self.api}/api/v1/messages", method="DELETE",
                                             data=json.dumps({"IDs": ids}).encode(),
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=10).read()

    def _get(self, path: str, **params) -> dict:
        url = f"{self.api}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.load(answer)


CAMPAIGN = "全国教育后勤系统“2022年度最美后勤人”推举活动"


def subjects(mailpit, address: str) -> Counter:
    """The subjects of the mail to `address`, without the campaign name they all start with."""
    return Counter(mail["Subject"].removeprefix(f"{CAMPAIGN}｜") for mail in mailpit.to(address))


def wait_for_mails(mailpit, people, count: int, timeout: float = 30) -> None:
    wait_until(lambda: len(mailpit.search(f"to:@{people.domain}")) >= count, timeout, 0.3, f"{count} mails")
    time.sleep(1)  # a duplicate would arrive right behind the last one


def body_of(mailpit, address: str, subject_part: str) -> str:
    mail = next(m for m in mailpit.to(address) if subject_part in m["Subject"])
    return mailpit.text(mail["ID"])
