"""devstack/servers/kafka.py: the broker's configuration and the wire probe that tells it is up."""
from __future__ import annotations

import base64
import socket
import struct

import pytest

from devstack.base import ports_for
from devstack.servers import kafka

pytestmark = pytest.mark.unit


def read_properties(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_kafka_properties_for_test_profile_listen_on_test_ports(tmp_path):
    properties = read_properties(kafka.kafka_properties(ports_for("test"), tmp_path / "data"))
    assert properties["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert properties["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert properties["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert properties["process.roles"] == "broker,controller"
    assert properties["log.dirs"] == str((tmp_path / "data").resolve())


def test_kafka_properties_keep_one_node_light_and_explicit(tmp_path):
    properties = read_properties(kafka.kafka_properties(ports_for("run"), tmp_path))
    assert properties["auto.create.topics.enable"] == "false"
    assert properties["num.partitions"] == "6"
    assert properties["offsets.topic.num.partitions"] == "6"
    assert properties["group.initial.rebalance.delay.ms"] == "0"
    for name in ("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                 "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
                 "share.coordinator.state.topic.min.isr"):
        assert properties[name] == "1", name


def test_log4j2_properties_send_everything_to_the_console():
    config = read_properties(kafka.log4j2_properties().replace(" = ", "="))
    assert config["appender.console.type"] == "Console"
    assert config["rootLogger.appenderRef.stdout.ref"] == config["appender.console.name"]


def test_new_kafka_cluster_id_is_22_url_safe_characters_of_16_bytes():
    cluster_ids = {kafka.new_kafka_cluster_id() for _ in range(50)}
    assert len(cluster_ids) == 50
    for cluster_id in cluster_ids:
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_metadata_request_body_grows_with_version_8():
    assert kafka.metadata_request_body(4) == struct.pack(">i?", 0, False)
    assert len(kafka.metadata_request_body(8)) == len(kafka.metadata_request_body(4)) + 2


def test_parse_api_versions_v0_reads_each_api_range():
    body = struct.pack(">hi", 0, 2) + struct.pack(">hhh", 3, 0, 13) + struct.pack(">hhh", 18, 0, 4)
    assert kafka.parse_api_versions_v0(body) == {3: (0, 13), 18: (0, 4)}


def test_parse_api_versions_v0_raises_on_an_error_code():
    with pytest.raises(ConnectionError, match="35"):
        kafka.parse_api_versions_v0(struct.pack(">hi", 35, 0))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_kafka_broker_count_is_zero_when_nothing_listens():
    assert kafka.kafka_broker_count(free_port()) == 0


def test_three_broker_cluster_shares_one_quorum_and_replicates_every_topic_three_times(tmp_path):
    from devstack.servers import kafka_ha

    nodes = [read_properties(kafka_ha.properties("test1", node, tmp_path)) for node in kafka_ha.NODES]
    assert [node["node.id"] for node in nodes] == ["1", "2", "3"]
    assert {node["controller.quorum.voters"] for node in nodes} == {
        "1@127.0.0.1:15193,2@127.0.0.1:15293,3@127.0.0.1:15393"}
    assert [node["advertised.listeners"] for node in nodes] == [
        f"PLAINTEXT://127.0.0.1:{port}" for port in (15192, 15292, 15392)]
    for node in nodes:
        for name in ("default.replication.factor", "offsets.topic.replication.factor",
                     "transaction.state.log.replication.factor", "share.coordinator.state.topic.replication.factor"):
            assert node[name] == "3", name
        for name in ("min.insync.replicas", "transaction.state.log.min.isr", "share.coordinator.state.topic.min.isr"):
            assert node[name] == "2", name


def test_one_node_broker_keeps_its_topics_on_one_replica(tmp_path):
    properties = read_properties(kafka.kafka_properties(ports_for("run"), tmp_path))
    assert properties["default.replication.factor"] == properties["min.insync.replicas"] == "1"


def test_the_ha_nodes_started_at_once_all_format_under_one_cluster_id(tmp_path):
    """Two INCONSISTENT_CLUSTER_ID failures in CI: a node read the shared id file while it was still empty."""
    from concurrent.futures import ThreadPoolExecutor

    from devstack.base import Layout
    from devstack.servers import kafka_ha

    for attempt in range(30):
        layout = Layout(tmp_path / f"profile-{attempt}")
        with ThreadPoolExecutor(3) as pool:
            chosen = list(pool.map(lambda _: kafka_ha.cluster_id(layout), range(3)))
        assert len(set(chosen)) == 1 and chosen[0], chosen
        assert [p.name for p in layout.data("kafka-ha").iterdir()] == ["cluster-id"]
