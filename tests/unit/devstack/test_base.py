"""devstack/base.py and lifecycle's environment: ports per profile, the environment it prints, the layout."""
from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from devstack import base, lifecycle

pytestmark = pytest.mark.unit


def test_ports_for_run_profile_are_the_usual_ports():
    assert base.ports_for("run") == {
        "kafka": 9092, "kafka_controller": 9093, "s3": 9000, "s3_console": 9001,
        "redis": 6379, "postgres": 5432, "smtp": 1025, "mailpit": 8025,
        "keycloak": 8080, "keycloak_management": 9180,
        "kafka_ha1": 4192, "kafka_ha1_controller": 4193, "kafka_ha2": 4292, "kafka_ha2_controller": 4293,
        "kafka_ha3": 4392, "kafka_ha3_controller": 4393,
    }


def test_ports_for_test_profile_add_ten_thousand_to_each():
    run, test = base.ports_for("run"), base.ports_for("test")
    assert test.keys() == run.keys()
    assert all(test[name] == run[name] + 10000 for name in run)


def test_ports_of_no_two_profiles_collide():
    taken = [(profile, port) for profile in base.PROFILE_OFFSETS for port in base.ports_for(profile).values()]
    ports = [port for _, port in taken]
    assert len(ports) == len(set(ports))


def test_keycloaks_and_the_ha_brokers_ports_differ_from_every_other_base_port_by_no_multiple_of_a_thousand():
    for name in ("keycloak", "keycloak_management", *(key for key in base.BASE_PORTS if key.startswith("kafka_ha"))):
        for other, port in base.BASE_PORTS.items():
            if other != name:
                assert (base.BASE_PORTS[name] - port) % 1000 != 0, (name, other)


def test_ports_for_unknown_profile_is_refused():
    with pytest.raises(base.DevstackError, match="unknown profile 'prod'"):
        base.ports_for("prod")


def test_env_for_test_profile_points_at_the_test_ports():
    assert lifecycle.env_for("test") == {
        "TUIJU_POSTGRES_URL": "postgresql+psycopg://tuiju:tuiju@127.0.0.1:15432",
        "TUIJU_KAFKA_BOOTSTRAP": "127.0.0.1:19092",
        "TUIJU_S3_ENDPOINT": "127.0.0.1:19000",
        "TUIJU_S3_ACCESS_KEY": "tuiju",
        "TUIJU_S3_SECRET_KEY": "tuiju-secret-key",
        "TUIJU_S3_SECURE": "0",
        "TUIJU_REDIS_URL": "redis://127.0.0.1:16379",
        "TUIJU_SMTP_HOST": "127.0.0.1",
        "TUIJU_SMTP_PORT": "11025",
        "TUIJU_MAILPIT_API": "http://127.0.0.1:18025",
        "TUIJU_OIDC_ISSUER": "http://127.0.0.1:18080/realms/tuiju",
        "TUIJU_OIDC_SECRET_INTAKE": "tuiju-dev-intake-secret",
        "TUIJU_OIDC_SECRET_REVIEW": "tuiju-dev-review-secret",
        "TUIJU_OIDC_SECRET_NOTIFY": "tuiju-dev-notify-secret",
        "TUIJU_OIDC_SECRET_ARCHIVE": "tuiju-dev-archive-secret",
        "TUIJU_TRACE_DIR": str(base.STATE_ROOT / "test" / "traces"),
    }


def test_env_for_run_profile_uses_mailpit_api_on_8025():
    env = lifecycle.env_for("run")
    assert env["TUIJU_MAILPIT_API"] == "http://127.0.0.1:8025"
    assert env["TUIJU_SMTP_PORT"] == "1025"


def test_render_env_is_sourced_by_a_shell_into_the_same_values():
    script = lifecycle.render_env("test") + 'env | grep "^TUIJU_"\n'
    output = subprocess.run(["sh", "-c", script], env={}, capture_output=True, text=True, check=True).stdout
    printed = dict(line.split("=", 1) for line in output.splitlines())
    assert printed == lifecycle.env_for("test")


def test_render_env_quotes_a_value_the_shell_would_split():
    line = next(line for line in lifecycle.render_env("run").splitlines() if "POSTGRES_URL" in line)
    assert shlex.split(line) == ["export", "TUIJU_POSTGRES_URL=postgresql+psycopg://tuiju:tuiju@127.0.0.1:5432"]


def test_layout_keeps_each_profile_under_the_repos_devstack_folder():
    layout = base.layout_for("test")
    assert layout.root == base.REPO / ".devstack" / "test"
    assert layout.log("kafka") == layout.root / "logs" / "kafka.log"
    assert layout.pidfile("s3") == layout.root / "pids" / "s3.pid"


def test_status_line_shows_state_port_and_pid():
    assert base.status_line("kafka", True, 19092, 4242) == "kafka     up    port 19092  pid 4242"
    assert base.status_line("s3", False, 9000, None) == "s3        down  port 9000   pid -"


def test_cache_dir_follows_tuiju_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("TUIJU_CACHE", str(tmp_path / "cache"))
    assert base.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("TUIJU_CACHE")
    assert base.cache_dir() == Path.home() / ".cache" / "tuiju"
