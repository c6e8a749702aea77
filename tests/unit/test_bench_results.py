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


def test_celerys_own_cost_is_measured_against_its_pool_running_the_task_back_to_back():
    from bench.scans import celery_own_cost

    # two pool processes, 50 ms a task: 40 files/s back to back; 36 measured is 10% lost to Celery itself
    assert celery_own_cost(36.0, 50.0) == 0.1
    assert celery_own_cost(40.0, 50.0) == 0.0


def test_the_last_evenings_campaign_lets_no_submission_wait_for_its_scans(tmp_path):
    from bench.intake_bench import evening_campaign
    from shared.campaign.loading import load_campaign

    campaign = load_campaign(evening_campaign(tmp_path))
    assert campaign.scan_wait.hours_before_deadline >= 24 * 365  # longer than any submission window
    assert campaign.scan_wait.max_lag_seconds == 60  # the rest of the campaign as it is


def test_the_intake_table_says_which_day_it_measured():
    level = {"per_s": 1, "p50_ms": 1, "p99_ms": 1, "errors": 0, "steps": {"submit": {"p50_ms": 1, "p99_ms": 1}}}
    intake = {"levels": [1], "seconds_per_level": 15, "worker_nice": 0, "api": [level], "html": [level],
              "raw_put": [{"per_s": 1, "steps": {"put": {"p50_ms": 1, "p99_ms": 1}}}],
              "bare": [{"requests_per_s": 1, "p50_ms": 1}], "scan_backlog": [{"pending": 0, "oldest_s": 0}]}
    machine = {"cpus": 2, "load_before": 1, "load_after": 2}
    evening = markdown({"measured_at": "now", "machine": machine, "intake": {**intake, "last_evening": True}}, None)
    usual = markdown({"measured_at": "now", "machine": machine, "intake": intake}, None)
    assert "the last evening: no submission waits for its scans" in evening
    assert "a usual day: a submission waits for its scans" in usual


def test_the_request_table_sets_each_upload_beside_the_raw_put_and_sums_a_direct_uploads_three_requests():
    def step(p50):
        return {"p50_ms": p50, "p99_ms": 2 * p50}

    def level(steps):
        return {"per_s": 1, "p50_ms": 1, "p99_ms": 1, "errors": 0, "steps": steps}

    api = level({"upload": step(16.0), "submit": step(12.0)})
    direct = level({"upload slot": step(3.0), "upload to S3": step(1.6), "upload confirm": step(5.4)})
    intake = {"levels": [1], "seconds_per_level": 15, "worker_nice": 0, "api": [api], "direct": [direct],
              "raw_put": [{"per_s": 1, "steps": {"put": step(0.8)}}],
              "bare": [{"requests_per_s": 1, "p50_ms": 1}], "scan_backlog": [{"pending": 0, "oldest_s": 0}]}
    table = markdown({"measured_at": "now", "machine": {"cpus": 2, "load_before": 1, "load_after": 2},
                      "intake": intake}, None)
    assert "| upload | 16.0 | 32.0 | 20.0× |" in table
    assert "| upload to S3 | 1.6 | 3.2 | 2.0× |" in table
    assert "| a file straight to S3, its three requests | 10.0 | | 12.5× |" in table
    assert "| clients | API nom/s | API p50 / p99 ms | API, files to S3 nom/s |" in table


def test_the_request_table_gives_the_quiet_side_by_side_upload_ratio():
    step = {"p50_ms": 1, "p99_ms": 1}
    level = {"per_s": 1, "p50_ms": 1, "p99_ms": 1, "errors": 0, "steps": {"upload": step}}
    intake = {"levels": [1], "seconds_per_level": 15, "worker_nice": 0, "api": [level],
              "raw_put": [{"per_s": 1, "steps": {"put": step}}], "bare": [{"requests_per_s": 1, "p50_ms": 1}],
              "scan_backlog": [{"pending": 0, "oldest_s": 0}],
              "upload_paths": {"files": 100, "post_p50_ms": 1.0, "put_p50_ms": 0.8, "ratio": 1.25}}
    table = markdown({"measured_at": "now", "machine": {"cpus": 2, "load_before": 1, "load_after": 2},
                      "intake": intake}, None)
    assert "a direct upload's POST 1.0 ms against a raw PUT 0.8 ms (p50), **1.25×**" in table
