"""The metrics of the processes that are not web processes: where they are served, and the lag figures
read from librdkafka's statistics."""
import json
import re

import pytest
import yaml
from prometheus_client import REGISTRY

from shared.metrics import record_lag
from tests.e2e.test_whole_system import metric_ports
from tests.stack import REPO

pytestmark = pytest.mark.unit


def test_procfile_gives_every_process_type_but_the_web_ones_a_metrics_port_of_its_own():
    lines = [line for line in (REPO / "Procfile").read_text().splitlines() if line]
    web = {line.split(":")[0] for line in lines if "gunicorn" in line}
    ports = metric_ports()
    assert set(ports) == {line.split(":")[0] for line in lines} - web
    assert len(set(ports.values())) == len(ports)


def test_record_lag_sets_each_assigned_partitions_lag_and_skips_unknown_ones():
    stats = {"topics": {"nominations": {"partitions": {
        "0": {"consumer_lag": 7}, "1": {"consumer_lag": -1}, "-1": {"consumer_lag": 3}}}}}
    record_lag("unit-group", json.dumps(stats))
    value = REGISTRY.get_sample_value("tuiju_consumer_lag", {"group": "unit-group", "topic": "nominations", "partition": "0"})
    assert value == 7
    assert REGISTRY.get_sample_value("tuiju_consumer_lag", {"group": "unit-group", "topic": "nominations", "partition": "1"}) is None
    assert REGISTRY.get_sample_value("tuiju_consumer_lag", {"group": "unit-group", "topic": "nominations", "partition": "-1"}) is None


def metric_names_in_code() -> set[str]:
    names = set()
    for path in [*(REPO / "shared").rglob("*.py"), *(REPO / "services").rglob("*.py")]:
        names |= set(re.findall(r'"((?:tuiju|intake|http)_[a-z_]+)"', path.read_text()))
    return names


def test_every_metric_the_grafana_dashboard_charts_is_one_the_code_exports():
    dashboard = json.loads((REPO / "deploy" / "grafana" / "tuiju-dashboard.json").read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    used = {name for expr in expressions for name in re.findall(r"\b((?:tuiju|intake|http)_[a-z_]+)", expr)}
    exported = metric_names_in_code()
    unknown = {name for name in used
               if not {name, re.sub(r"_(bucket|count|sum|info)$", "", name)} & exported}
    assert len(expressions) >= 15
    assert unknown == set()


def test_local_prometheus_scrapes_every_process_type_of_the_procfile():
    config = yaml.safe_load((REPO / "deploy" / "prometheus" / "prometheus-local.yml").read_text())
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    assert jobs == {line.split(":")[0] for line in (REPO / "Procfile").read_text().splitlines() if line}
