"""The bench's scan sample goes through intake as the bench sends it: every file stored and on record
(an empty file, refused since uploads check for bytes, once stopped `make bench`'s scans part)."""
from __future__ import annotations

import pytest

from bench.bench_scans_inprocess import sample_uploads
from bench.scans import open_intake, remove_bench_data, store_uploads


@pytest.fixture()
def intake(stack):
    container = open_intake()
    yield container
    container.engine.dispose()


def test_every_file_of_a_round_is_stored_and_on_record(intake):
    files = sample_uploads(1)
    nomination_ids, upload_ids, _ = store_uploads(intake, files)
    try:
        assert len(upload_ids) == len(files) == len(set(upload_ids))
    finally:
        remove_bench_data(intake, nomination_ids)
