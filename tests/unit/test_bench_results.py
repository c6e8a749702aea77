"""make bench run for some parts only keeps the other parts of the newest earlier run, each with its time."""
import json

import pytest

import bench.__main__ as bench_main
from bench.report import markdown

pytestmark = pytest.mark.unit


def test_a_run_of_some_parts_keeps_the_others_of_the_newest_earlier_run(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_main, "RESULTS", tmp_path)
    (tmp_path / "2026-12-04.json").write_text(json.dumps({"measured_at": "2026-12-04T10:00:00+00:00",
                                                          "e2e": {"old": 1}, "scans": {"old": 2}}))
    (tmp_path / "2026-12-05.json").write_text(json.dumps({"measured_at": "2026-12-05T10:00:00+00:00",
                                                          "e2e": {"old": 3}, "burst": {"old": 4}}))
    merged = bench_main.with_earlier_parts({"measured_at": "2026-12-06T01:00:00+00:00", "e2e": {"new": 5}})
    assert merged["e2e"] == {"new": 5} and merged["burst"] == {"old": 4} and "scans" not in merged
    assert merged["kept_from"] == {"burst": "2026-12-05T10:00:00+00:00"}


def test_a_whole_run_keeps_nothing_earlier(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_main, "RESULTS", tmp_path)
    (tmp_path / "2026-12-05.json").write_text(json.dumps({"measured_at": "x", "e2e": {"old": 3}}))
    assert "kept_from" not in bench_main.with_earlier_parts({"measured_at": "y", "e2e": {"new": 5}})


def test_the_table_names_what_was_kept():
    results = {"measured_at": "now", "machine": {"cpus": 2, "load_before": 1, "load_after": 2},
               "kept_from": {"burst": "2026-12-05T10:00:00+00:00"}}
    assert "Kept from earlier runs (not measured in this one): burst (2026-12-05T10:00:00+00:00)." in markdown(results, None)
