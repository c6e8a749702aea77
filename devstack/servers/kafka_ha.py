"""Three Kafka brokers in one KRaft cluster (each a broker and a controller), for the test that kills one
under load. Topics and the brokers' internal topics have 3 replicas and min.insync.replicas 2, as with
compose's `--profile ha` and the Strimzi resources. Optional: `up` starts them only when named,

    python3 devstack/devstack.py up kafka-ha1 kafka-ha2 kafka-ha3 --profile test1
    eval "$(python3 devstack/devstack.py env --kafka-ha --profile test1)"

and a single node never answers alone (a controller quorum needs two of the three)."""
from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Dict, Tuple

from devstack.base import Layout, ports_for
from devstack.processes import spawn
from devstack.server import Server
from devstack.servers import kafka

NODES = (1, 2, 3)
REPLICAS, MIN_INSYNC = 3, 2
HEAP = "384m"


def name_of(node: int) -> str:
    return f"kafka-ha{node}"


def node_ports(profile: str, node: int) -> Tuple[int, int]:
    ports = ports_for(profile)
    return ports[f"kafka_ha{node}"], ports[f"kafka_ha{node}_controller"]


def bootstrap(profile: str) -> str:
    return ",".join(f"127.0.0.1:{node_ports(profile, node)[0]}" for node in NODES)


def voters(profile: str) -> str:
    return ",".join(f"{node}@127.0.0.1:{node_ports(profile, node)[1]}" for node in NODES)


def env(profile: str) -> Dict[str, str]:
    """What a process needs to use the three brokers instead of the profile's single one."""
    return {"TUIJU_KAFKA_BOOTSTRAP": bootstrap(profile), "TUIJU_KAFKA_REPLICATION_FACTOR": str(REPLICAS),
            "TUIJU_KAFKA_MIN_INSYNC_REPLICAS": str(MIN_INSYNC)}


def properties(profile: str, node: int, log_dir: Path) -> str:
    broker, controller = node_ports(profile, node)
    return kafka.node_properties(node, broker, controller, voters(profile), log_dir,
                                 replicas=REPLICAS, min_insync=MIN_INSYNC)


def cluster_id(layout: Layout) -> str:
    """One id for the three nodes' storage, chosen by the first node formatted. The nodes start at once: the
    id is written whole to a file of the caller's own, then linked into place (atomic, and refused if another
    node's is there). Before, a node could read the shared file between its creation and its write, find it
    empty and format its storage under an id of its own (INCONSISTENT_CLUSTER_ID, twice in CI)."""
    path = layout.data("kafka-ha") / "cluster-id"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        mine = path.with_name(f"cluster-id.{os.getpid()}.{threading.get_ident()}")
        mine.write_text(kafka.new_kafka_cluster_id())
        try:
            os.link(mine, path)
        except FileExistsError:
            pass
        finally:
            mine.unlink()
    chosen = path.read_text().strip()
    if not chosen:
        raise RuntimeError(f"{path} is empty: remove it and start the nodes again")
    return chosen


def starter(node: int):
    def start(profile: str, layout: Layout) -> subprocess.Popen:
        name = name_of(node)
        home = layout.data(name)
        (home / "data").mkdir(parents=True, exist_ok=True)
        (home / "server.properties").write_text(properties(profile, node, home / "data"))
        (home / "log4j2.properties").write_text(kafka.log4j2_properties())
        kafka.format_storage(layout, home, cluster_id(layout), name=name)
        return spawn(layout, name, [
            kafka.java_command(), *kafka.jvm_options(home, HEAP), "-cp", kafka.kafka_classpath(), "kafka.Kafka",
            str(home / "server.properties"),
        ])
    return start


def answerer(node: int):
    return lambda profile: kafka.kafka_broker_count(node_ports(profile, node)[0]) >= 1


SERVERS = tuple(
    Server(name=name_of(node), ports=(f"kafka_ha{node}", f"kafka_ha{node}_controller"),
           marker=f"{name_of(node)}/server.properties", ready_timeout=120.0, stop_grace=30.0,
           start=starter(node), answers=answerer(node), optional=True)
    for node in NODES
)
