"""Presigned links for browsers on the real S3 server (Versity here), when browsers reach it at another
address than the processes do (MinIO published in compose, an Ingress in Kubernetes): a TCP forwarder on
another host and port stands for that address. The link is signed for it and downloads the object through
it; review's nomination page, its preview redirect and its CSP never name the internal endpoint."""
from __future__ import annotations

import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest
import requests

from services.review.bootstrap import bootstrap, utc_now
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.handlers import nomination_received
from services.review.service_layer.nomination_page import preview_key
from shared.campaign import demo_copy, load_campaign
from shared.config import Settings
from shared.events import new_event
from shared.storage import ObjectStore
from tests import staff as kc
from tests.integration.review.committee import register
from tests.integration.review.staff_roles import subject_of
from tests.unit.notify.builders import submission

pytestmark = pytest.mark.integration
PUBLIC_HOST = "127.0.0.2"  # another loopback address: another host than the internal 127.0.0.1


class Forwarder:
    """Accepts on PUBLIC_HOST and pipes each connection to the real S3 port, both ways."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server((PUBLIC_HOST, 0))
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                inbound, _ = self.server.accept()
            except socket.timeout:
                continue
            outbound = socket.create_connection(self.target, timeout=10)
            for source, sink in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.stop.set()
        self.server.close()


@pytest.fixture()
def public(stack):
    host, port = stack["TUIJU_S3_ENDPOINT"].split(":")
    forwarder = Forwarder((host, int(port)))
    yield forwarder
    forwarder.close()


@pytest.fixture()
def env(stack, public):
    return {**stack, "TUIJU_S3_PUBLIC_ENDPOINT": f"{PUBLIC_HOST}:{public.port}"}


def test_a_link_signed_for_the_public_endpoint_downloads_through_it_and_not_at_the_internal_one(stack, env):
    store = ObjectStore.from_settings(Settings.from_env("review", env))
    key = f"test-public/{uuid.uuid4().hex}.txt"
    store.put_bytes(key, "公开地址下载".encode(), content_type="text/plain; charset=utf-8")
    try:
        link = store.presigned_get(key)
        assert link.startswith(f"http://{env['TUIJU_S3_PUBLIC_ENDPOINT']}/") and stack["TUIJU_S3_ENDPOINT"] not in link
        fetched = requests.get(link, timeout=30)
        assert fetched.status_code == 200 and fetched.content == "公开地址下载".encode()
        at_internal = link.replace(env["TUIJU_S3_PUBLIC_ENDPOINT"], stack["TUIJU_S3_ENDPOINT"])
        assert requests.get(at_internal, timeout=30).status_code == 403  # the signature covers the host
    finally:
        store.remove(key)


def test_without_a_public_endpoint_links_stay_signed_for_the_internal_one(stack):
    store = ObjectStore.from_settings(Settings.from_env("review", stack))
    key = f"test-public/{uuid.uuid4().hex}.txt"
    store.put_bytes(key, b"internal", content_type="text/plain")
    try:
        link = store.presigned_get(key)
        assert link.startswith(f"http://{stack['TUIJU_S3_ENDPOINT']}/") and requests.get(link, timeout=30).content == b"internal"
    finally:
        store.remove(key)


def test_review_pages_give_browsers_the_public_endpoint_only(stack, env):
    from services.review.entrypoints.web import create_app

    settings = Settings.from_env("review", env)
    review = bootstrap(settings, campaign=demo_copy(load_campaign(settings.campaign_file), utc_now()))
    nomination_id, file_id = str(uuid.uuid4()), f"P-{uuid.uuid4().hex[:8]}"
    payload = submission(nomination_id=nomination_id, campaign_id=review.campaign.id, nominee_name="孟晓雯")
    payload["files"] = [*payload.get("files", []), {"file_id": file_id, "kind": "photo", "object_key": "u/photo",
                                                    "sha256": "1" * 64, "size": 1000, "content_type": "image/jpeg",
                                                    "filename": "照片.jpg"}]
    with review.sessions.begin() as session:
        nomination_received(review, session, new_event("nomination.submitted", nomination_id, payload, producer="intake"))
    review.store.put_bytes(preview_key(nomination_id, file_id, 1), b"\xff\xd8preview", content_type="image/jpeg")
    register(review, StaffMember(subject_of(kc.access_token(stack, "auditor")), "审计员", Role.AUDITOR, username="auditor"))
    client = kc.as_staff(create_app(review=review).test_client(), stack, "auditor")
    try:
        page = client.get(f"/n/{nomination_id}")
        preview = client.get(f"/n/{nomination_id}/files/{file_id}/preview/1")
        internal, public = stack["TUIJU_S3_ENDPOINT"], env["TUIJU_S3_PUBLIC_ENDPOINT"]
        assert page.status_code == 200 and "孟晓雯" in page.text and internal not in page.text
        assert f"http://{public}" in page.headers["Content-Security-Policy"]
        assert internal not in page.headers["Content-Security-Policy"]
        location = preview.headers["Location"]
        assert preview.status_code == 302 and urlsplit(location).netloc == public
        assert requests.get(location, timeout=30).content == b"\xff\xd8preview"
    finally:
        review.store.remove(preview_key(nomination_id, file_id, 1))
        review.engine.dispose()
