"""Apache Kafka, one node in KRaft mode, from Maven Central's jars (no ZooKeeper, no tarball)."""
from __future__ import annotations

import base64
import shutil
import socket
import struct
import subprocess
import uuid
from pathlib import Path
from typing import Dict, List

from devstack.base import REPO, CommandFailed, DevstackError, Layout, cache_dir, ports_for, provision_log
from devstack.processes import cache_lock, run_logged, spawn
from devstack.server import Server

KAFKA_VERSION = "4.1.1"
KAFKA_POM = REPO / "devstack" / "kafka" / "pom.xml"
KAFKA_HEAP = "512m"


def env(profile: str) -> Dict[str, str]:
    return {"TUIJU_KAFKA_BOOTSTRAP": f"127.0.0.1:{ports_for(profile)['kafka']}"}


def libs_dir() -> Path:
    return cache_dir() / f"kafka-{KAFKA_VERSION}" / "libs"


def kafka_properties(ports: Dict[str, int], log_dir: Path) -> str:
    """server.properties of a one-node KRaft broker+controller, light enough for a 2-core machine."""
    broker, controller = ports["kafka"], ports["kafka_controller"]
    return node_properties(1, broker, controller, f"1@127.0.0.1:{controller}", log_dir, replicas=1, min_insync=1)


def node_properties(node_id: int, broker: int, controller: int, voters: str, log_dir: Path, *,
                    replicas: int, min_insync: int) -> str:
    """One KRaft broker+controller. `replicas` and `min_insync` hold for the topics it creates by default
    and for its internal topics alike (offsets, transaction state, share coordinator)."""
    settings = [
        ("process.roles", "broker,controller"),
        ("node.id", str(node_id)),
        ("controller.quorum.voters", voters),
        ("listeners", f"PLAINTEXT://127.0.0.1:{broker},CONTROLLER://127.0.0.1:{controller}"),
        ("advertised.listeners", f"PLAINTEXT://127.0.0.1:{broker}"),
        ("controller.listener.names", "CONTROLLER"),
        ("inter.broker.listener.name", "PLAINTEXT"),
        ("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
        ("log.dirs", str(log_dir.resolve())),
        ("num.partitions", "6"),
        ("auto.create.topics.enable", "false"),
        ("default.replication.factor", str(replicas)),
        ("min.insync.replicas", str(min_insync)),
        ("offsets.topic.replication.factor", str(replicas)),
        ("offsets.topic.num.partitions", "6"),
        ("transaction.state.log.replication.factor", str(replicas)),
        ("transaction.state.log.min.isr", str(min_insync)),
        ("transaction.state.log.num.partitions", "6"),
        ("share.coordinator.state.topic.replication.factor", str(replicas)),
        ("share.coordinator.state.topic.min.isr", str(min_insync)),
        ("group.initial.rebalance.delay.ms", "0"),
        # A broker restarted after kill -9 waits out its previous session before it serves (default 9 s).
        ("broker.session.timeout.ms", "5000"),
        ("broker.heartbeat.interval.ms", "1000"),
        ("num.network.threads", "2"),
        ("num.io.threads", "4"),
    ]
    return "".join(f"{key}={value}\n" for key, value in settings)


def log4j2_properties() -> str:
    """A console-only log4j2 configuration: the broker's stdout is already its log file."""
    return (
        "status = warn\n"
        "shutdownHook = disable\n"  # else logging stops before the broker's own shutdown hook has finished
        "appender.console.type = Console\n"
        "appender.console.name = STDOUT\n"
        "appender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = [%d] %p %m (%c)%n\n"
        "rootLogger.level = INFO\n"
        "rootLogger.appenderRefs = stdout\n"
        "rootLogger.appenderRef.stdout.ref = STDOUT\n"
        "logger.request.name = kafka.request.logger\n"
        "logger.request.level = WARN\n"
        "logger.state.name = state.change.logger\n"
        "logger.state.level = WARN\n"
    )


def new_kafka_cluster_id() -> str:
    """What `kafka.tools.StorageTool random-uuid` prints (URL-safe base64 of 16 random bytes), without a JVM start."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


# --- readiness: a Metadata request over Kafka's own protocol (no client library before the virtualenv) ---

def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    return data


def kafka_request(sock: socket.socket, api_key: int, api_version: int, body: bytes) -> bytes:
    """One request with a v1 header (non-flexible versions only); returns the response body."""
    client_id = b"tuiju-devstack"
    message = struct.pack(">hhih", api_key, api_version, 1, len(client_id)) + client_id + body
    sock.sendall(struct.pack(">i", len(message)) + message)
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    return _recv_exact(sock, size)[4:]  # drops the correlation id


def parse_api_versions_v0(body: bytes) -> Dict[int, tuple]:
    error_code, count = struct.unpack(">hi", body[:6])
    if error_code:
        raise ConnectionError(f"ApiVersions error {error_code}")
    versions = {}
    for index in range(count):
        api_key, low, high = struct.unpack(">hhh", body[6 + 6 * index: 12 + 6 * index])
        versions[api_key] = (low, high)
    return versions


def metadata_request_body(version: int) -> bytes:
    """A Metadata request (v4..v8) for no topics: the answer lists the brokers only."""
    body = struct.pack(">i?", 0, False)
    if version >= 8:
        body += struct.pack(">??", False, False)
    return body


def kafka_broker_count(port: int) -> int:
    """Brokers the cluster reports in a Metadata response (0 while it cannot answer)."""
    metadata_key, api_versions_key = 3, 18
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2.0) as sock:
            sock.settimeout(2.0)
            versions = parse_api_versions_v0(kafka_request(sock, api_versions_key, 0, b""))
            low, high = versions[metadata_key]
            version = max(low, 4)
            if version > min(high, 8):
                return 0
            body = kafka_request(sock, metadata_key, version, metadata_request_body(version))
            (brokers,) = struct.unpack(">i", body[4:8])  # after throttle_time_ms
            return brokers
    except (OSError, KeyError, struct.error, ConnectionError):
        return 0


def answers(profile: str) -> bool:
    return kafka_broker_count(ports_for(profile)["kafka"]) >= 1


# --- starting ---

def java_command() -> str:
    java = shutil.which("java")
    if not java:
        raise DevstackError("kafka: java is not installed; run: devstack.py provision")
    return java


def kafka_classpath() -> str:
    libs = libs_dir()
    if not (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        raise DevstackError(f"kafka: broker jars not found in {libs}; run: devstack.py provision")
    return f"{libs}/*"


def write_config(profile: str, layout: Layout) -> Path:
    home = layout.data("kafka")
    (home / "data").mkdir(parents=True, exist_ok=True)
    (home / "server.properties").write_text(kafka_properties(ports_for(profile), home / "data"))
    (home / "log4j2.properties").write_text(log4j2_properties())
    return home


def jvm_options(home: Path, heap: str) -> List[str]:
    return [
        f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
        "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={home / 'log4j2.properties'}", f"-Dkafka.logs.dir={home / 'logs'}",
    ]


def format_storage(layout: Layout, home: Path, cluster_id: str | None = None, name: str = "kafka") -> None:
    if (home / "data" / "meta.properties").exists():
        return
    run_logged(f"{name}: format storage", [
        java_command(), *jvm_options(home, "256m"), "-XX:TieredStopAtLevel=1", "-cp", kafka_classpath(),
        "kafka.tools.StorageTool", "format", "-t", cluster_id or new_kafka_cluster_id(), "-c",
        str(home / "server.properties"), "--ignore-formatted",
    ], layout.log(f"{name}-format"), cwd=layout.root, timeout=120)


def start(profile: str, layout: Layout) -> subprocess.Popen:
    home = write_config(profile, layout)
    format_storage(layout, home)
    return spawn(layout, "kafka", [
        java_command(), *jvm_options(home, KAFKA_HEAP), "-cp", kafka_classpath(), "kafka.Kafka",
        str(home / "server.properties"),
    ])


# --- provisioning ---

def jars_present() -> bool:
    libs = libs_dir()
    return (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists() and any(libs.glob("log4j-slf4j-impl-*.jar"))


def provision() -> str:
    if jars_present():
        return f"kafka {KAFKA_VERSION} jars present"
    mvn = shutil.which("mvn")
    if not mvn:
        raise DevstackError("kafka: Maven (mvn) is not installed; run as root: apt-get install -y maven")
    with cache_lock("kafka"):
        if jars_present():
            return f"kafka {KAFKA_VERSION} jars present"
        return fetch_jars(mvn)


def fetch_jars(mvn: str) -> str:
    libs = libs_dir()
    partial = libs.with_name("libs.partial")
    build = cache_dir() / "kafka-build"  # Maven runs here, so no target/ appears in the repo
    for folder in (partial, build):
        if folder.exists():
            shutil.rmtree(folder)
    build.mkdir(parents=True)
    shutil.copy(KAFKA_POM, build / "pom.xml")
    log = provision_log("kafka")
    try:
        run_logged("kafka", [
            mvn, "-B", "package", f"-Dmaven.repo.local={cache_dir() / 'm2'}", f"-Dkafka.libs={partial}",
        ], log, cwd=build)
    except CommandFailed as failure:
        raise CommandFailed("kafka", f"Maven Central could not be reached or refused the build ({failure.reason})",
                            log) from None
    if libs.exists():
        shutil.rmtree(libs)
    partial.rename(libs)
    return f"kafka {KAFKA_VERSION} jars fetched ({len(list(libs.glob('*.jar')))} files)"


SERVER = Server(name="kafka", ports=("kafka", "kafka_controller"), marker="kafka.Kafka", ready_timeout=90.0,
                stop_grace=30.0, start=start, answers=answers, env=env, provision=provision)
