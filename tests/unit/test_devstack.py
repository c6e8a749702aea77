"""The pure parts of devstack/devstack.py: ports per profile, the environment it prints, Kafka's configuration."""
from __future__ import annotations

import base64
import shlex
import socket
import struct
import subprocess
from pathlib import Path

import pytest

from devstack import devstack

pytestmark = pytest.mark.unit


def test_ports_for_run_profile_are_the_usual_ports():
    assert devstack.ports_for("run") == {
        "kafka": 9092, "kafka_controller": 9093, "s3": 9000, "s3_console": 9001,
        "redis": 6379, "postgres": 5432, "smtp": 1025, "mailpit": 8025,
    }


def test_ports_for_test_profile_add_ten_thousand_to_each():
    run, test = devstack.ports_for("run"), devstack.ports_for("test")
    assert test.keys() == run.keys()
    assert all(test[name] == run[name] + 10000 for name in run)


def test_ports_for_unknown_profile_is_refused():
    with pytest.raises(devstack.DevstackError, match="unknown profile 'prod'"):
        devstack.ports_for("prod")


def test_env_for_test_profile_points_at_the_test_ports():
    assert devstack.env_for("test") == {
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
    }


def test_env_for_run_profile_uses_mailpit_api_on_8025():
    env = devstack.env_for("run")
    assert env["TUIJU_MAILPIT_API"] == "http://127.0.0.1:8025"
    assert env["TUIJU_SMTP_PORT"] == "1025"


def test_render_env_is_sourced_by_a_shell_into_the_same_values():
    script = devstack.render_env("test") + 'env | grep "^TUIJU_"\n'
    output = subprocess.run(["sh", "-c", script], env={}, capture_output=True, text=True, check=True).stdout
    printed = dict(line.split("=", 1) for line in output.splitlines())
    assert printed == devstack.env_for("test")


def test_render_env_quotes_a_value_the_shell_would_split():
    line = next(line for line in devstack.render_env("run").splitlines() if "POSTGRES_URL" in line)
    assert shlex.split(line) == ["export", "TUIJU_POSTGRES_URL=postgresql+psycopg://tuiju:tuiju@127.0.0.1:5432"]


def read_properties(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_kafka_properties_for_test_profile_listen_on_test_ports(tmp_path):
    properties = read_properties(devstack.kafka_properties(devstack.ports_for("test"), tmp_path / "data"))
    assert properties["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert properties["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert properties["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert properties["process.roles"] == "broker,controller"
    assert properties["log.dirs"] == str((tmp_path / "data").resolve())


def test_kafka_properties_keep_one_node_light_and_explicit(tmp_path):
    properties = read_properties(devstack.kafka_properties(devstack.ports_for("run"), tmp_path))
    assert properties["auto.create.topics.enable"] == "false"
    assert properties["num.partitions"] == "6"
    assert properties["offsets.topic.num.partitions"] == "6"
    assert properties["group.initial.rebalance.delay.ms"] == "0"
    for name in ("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                 "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
                 "share.coordinator.state.topic.min.isr"):
        assert properties[name] == "1", name


def test_log4j2_properties_send_everything_to_the_console():
    config = read_properties(devstack.log4j2_properties().replace(" = ", "="))
    assert config["appender.console.type"] == "Console"
    assert config["rootLogger.appenderRef.stdout.ref"] == config["appender.console.name"]


def test_new_kafka_cluster_id_is_22_url_safe_characters_of_16_bytes():
    cluster_ids = {devstack.new_kafka_cluster_id() for _ in range(50)}
    assert len(cluster_ids) == 50
    for cluster_id in cluster_ids:
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_postgres_options_turn_durability_off_only_for_the_test_profile(tmp_path):
    test_options = devstack.postgres_server_options(devstack.ports_for("test"), tmp_path, "test")
    run_options = devstack.postgres_server_options(devstack.ports_for("run"), tmp_path, "run")
    assert "fsync=off" in test_options and "fsync=off" not in run_options
    assert test_options[:4] == ["-p", "15432", "-k", str(tmp_path)]
    assert "listen_addresses=127.0.0.1" in run_options


def test_create_databases_sql_creates_the_role_and_each_service_database():
    sql = devstack.create_databases_sql()
    assert "CREATE ROLE tuiju LOGIN CREATEDB PASSWORD ''tuiju''" in sql
    for name in ("tuiju_intake", "tuiju_review", "tuiju_notify", "tuiju_archive"):
        assert f"'{name}'" in sql
    assert sql.count("\\gexec") == 2


def test_layout_keeps_each_profile_under_the_repos_devstack_folder():
    layout = devstack.layout_for("test")
    assert layout.root == devstack.REPO / ".devstack" / "test"
    assert layout.log("kafka") == layout.root / "logs" / "kafka.log"
    assert layout.pidfile("s3") == layout.root / "pids" / "s3.pid"


def test_postgres_socket_dir_moves_to_tmp_when_the_path_is_too_long():
    short = devstack.Layout(Path("/srv/tuiju/.devstack/test"))
    deep = devstack.Layout(Path("/" + "/".join(["very-long-folder-name"] * 6)))
    assert devstack.postgres_socket_dir(short) == short.root / "postgres-socket"
    assert devstack.postgres_socket_dir(deep).parent == Path("/tmp")
    assert devstack.postgres_socket_dir(deep) == devstack.postgres_socket_dir(deep)


def test_metadata_request_body_grows_with_version_8():
    assert devstack.metadata_request_body(4) == struct.pack(">i?", 0, False)
    assert len(devstack.metadata_request_body(8)) == len(devstack.metadata_request_body(4)) + 2


def test_parse_api_versions_v0_reads_each_api_range():
    body = struct.pack(">hi", 0, 2) + struct.pack(">hhh", 3, 0, 13) + struct.pack(">hhh", 18, 0, 4)
    assert devstack.parse_api_versions_v0(body) == {3: (0, 13), 18: (0, 4)}


def test_parse_api_versions_v0_raises_on_an_error_code():
    with pytest.raises(ConnectionError, match="35"):
        devstack.parse_api_versions_v0(struct.pack(">hi", 35, 0))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_kafka_broker_count_is_zero_when_nothing_listens():
    assert devstack.kafka_broker_count(free_port()) == 0


def test_status_line_shows_state_port_and_pid():
    assert devstack.status_line("kafka", True, 19092, 4242) == "kafka     up    port 19092  pid 4242"
    assert devstack.status_line("s3", False, 9000, None) == "s3        down  port 9000   pid -"


def test_cli_env_prints_one_export_per_variable(capsys):
    assert devstack.main(["env", "--profile", "test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(devstack.env_for("test"))
    assert all(line.startswith("export TUIJU_") for line in lines)


def test_cli_refuses_an_unknown_server():
    with pytest.raises(SystemExit) as exit_info:
        devstack.parse_args(["kill", "zookeeper", "--profile", "test"])
    assert exit_info.value.code == 2


def test_cli_takes_profile_after_the_server_name():
    args = devstack.parse_args(["start", "kafka", "--profile", "test"])
    assert (args.command, args.server, args.profile) == ("start", "kafka", "test")
