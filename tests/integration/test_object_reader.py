"""The quick reader of many small objects against the devstack's real S3 server: the same bytes as the S3
client, from several threads, a clear error for a missing or too large object, and a connection the server
has dropped replaced without the caller noticing."""
from __future__ import annotations

import os
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.config import Settings
from shared.object_reader import ObjectReader, ObjectUnavailable
from shared.storage import ObjectStore, ObjectTooLarge

pytestmark = pytest.mark.integration


@pytest.fixture()
def uploads(stack):
    settings = Settings.from_env("archive")
    store = ObjectStore.from_settings(settings, settings.uploads_bucket)
    store.ensure_bucket()
    return store


def put_objects(store: ObjectStore, count: int, size: int = 30_000) -> dict[str, bytes]:
    prefix = f"reader-test/{uuid.uuid4().hex[:8]}"
    contents = {f"{prefix}/{index}-文件.pdf": os.urandom(size + index) for index in range(count)}
    for key, data in contents.items():
        store.put_bytes(key, data, content_type="application/pdf")
    return contents


def test_object_reader_gives_the_same_bytes_as_the_s3_client_from_several_threads(uploads):
    contents = put_objects(uploads, 24)
    with ObjectReader(uploads) as reader, ThreadPoolExecutor(max_workers=4) as pool:
        read = dict(zip(contents, pool.map(reader.get, list(contents) * 3)))
    assert read == {key: uploads.get_bytes(key) for key in contents}


def test_object_reader_missing_object_raises_not_found_and_goes_on(uploads):
    (key, data), = put_objects(uploads, 1).items()
    with ObjectReader(uploads) as reader:
        with pytest.raises(ObjectUnavailable) as refused:
            reader.get(f"reader-test/absent-{uuid.uuid4().hex}")
        assert refused.value.status == 404
        assert reader.get(key) == data


def test_object_reader_object_over_the_limit_is_refused_and_the_next_read_works(uploads):
    contents = put_objects(uploads, 2, size=50_000)
    small_key = f"reader-test/{uuid.uuid4().hex[:8]}/small"
    uploads.put_bytes(small_key, b"small", content_type="application/pdf")
    with ObjectReader(uploads, max_size=40_000) as reader:
        for key in contents:
            with pytest.raises(ObjectTooLarge):
                reader.get(key)
        assert reader.get(small_key) == b"small"


def test_object_reader_connection_dropped_by_the_server_is_reopened(uploads):
    keys = put_objects(uploads, 2)
    first, second = keys
    with ObjectReader(uploads) as reader:
        assert reader.get(first) == keys[first]
        reader._local.connection.sock.shutdown(socket.SHUT_RDWR)  # as a server closing an idle connection
        assert reader.get(second) == keys[second]
