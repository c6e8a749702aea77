"""devstack/cli.py and the devstack.py command: arguments, the env it prints, run as a script."""
from __future__ import annotations

import subprocess
import sys

import pytest

from devstack import cli, lifecycle
from devstack.base import REPO
from devstack.servers import OPTIONAL, SERVERS

pytestmark = pytest.mark.unit


def test_cli_env_prints_one_export_per_variable(capsys):
    assert cli.main(["env", "--profile", "test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(lifecycle.env_for("test"))
    assert all(line.startswith("export TUIJU_") for line in lines)


def test_cli_refuses_an_unknown_server():
    with pytest.raises(SystemExit) as exit_info:
        cli.parse_args(["kill", "zookeeper", "--profile", "test"])
    assert exit_info.value.code == 2


def test_cli_takes_profile_after_the_server_name():
    args = cli.parse_args(["start", "keycloak", "--profile", "test3"])
    assert (args.command, args.server, args.profile) == ("start", "keycloak", "test3")


def test_every_server_has_a_module_of_its_own_in_the_registry():
    assert SERVERS == ("postgres", "redis", "kafka", "s3", "mailpit", "keycloak")
    assert all((REPO / "devstack" / "servers" / f"{name}.py").is_file() for name in SERVERS)
    assert OPTIONAL == ("kafka-ha1", "kafka-ha2", "kafka-ha3")
    assert (REPO / "devstack" / "servers" / "kafka_ha.py").is_file()


def test_cli_up_starts_only_the_servers_named_and_stop_takes_several():
    assert cli.parse_args(["up", "--profile", "test1"]).servers == []
    assert cli.parse_args(["up", "kafka-ha1", "kafka-ha2", "--profile", "test1"]).servers == ["kafka-ha1", "kafka-ha2"]
    assert cli.parse_args(["stop", "kafka-ha1", "kafka-ha3", "--profile", "test1"]).servers == ["kafka-ha1", "kafka-ha3"]


def test_cli_env_for_the_three_brokers_names_them_and_their_durability(capsys):
    assert cli.main(["env", "--kafka-ha", "--profile", "test1"]) == 0
    out = capsys.readouterr().out
    assert "export TUIJU_KAFKA_BOOTSTRAP=127.0.0.1:15192,127.0.0.1:15292,127.0.0.1:15392" in out
    assert "export TUIJU_KAFKA_REPLICATION_FACTOR=3" in out and "export TUIJU_KAFKA_MIN_INSYNC_REPLICAS=2" in out


def test_devstack_py_runs_as_a_script_with_the_package_beside_it():
    result = subprocess.run([sys.executable, str(REPO / "devstack" / "devstack.py"), "env", "--profile", "test2"],
                            capture_output=True, text=True, cwd="/", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "export TUIJU_OIDC_ISSUER=http://127.0.0.1:20080/realms/tuiju" in result.stdout


def test_unknown_server_is_a_devstack_error():
    with pytest.raises(lifecycle.DevstackError, match="unknown server 'zookeeper'"):
        lifecycle.check_server("zookeeper")
