#!/usr/bin/env python3
"""Real servers for Tuiju on one machine, without Docker.

    python3 devstack/devstack.py provision                  install what is missing (idempotent, quick when done)
    python3 devstack/devstack.py up --profile test --fresh  start PostgreSQL, Redis, Kafka, S3 (Versity), Mailpit
    python3 devstack/devstack.py env --profile test         export lines for the services
    python3 devstack/devstack.py status | logs [SERVER] | down | kill SERVER | start SERVER

Profile "run" uses the usual ports; profile "test" the same plus 10000, so tests can run beside the demo.
Each profile keeps its data in <repo>/.devstack/<profile>/ (git-ignored); downloads and builds are cached in
$TUIJU_CACHE or ~/.cache/tuiju, outside the repo, so that fresh clones (CI) reuse them.

Standard library only: this runs before the project's virtualenv exists.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import fcntl
import http.client
import os
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
import zlib
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional

REPO = Path(__file__).resolve().parent.parent
STATE_ROOT = REPO / ".devstack"

# "test1".."test6" let several checkouts of the project (git worktrees) run their tests side by side.
# test7 sits apart: an offset 7000 away from another profile would put its SMTP port on the other's Mailpit API.
PROFILE_OFFSETS = {"run": 0, "test": 10000, **{f"test{n}": 10000 + 1000 * n for n in range(1, 7)}, "test7": 23500}
BASE_PORTS = {
    "kafka": 9092,
    "kafka_controller": 9093,
    "s3": 9000,
    "s3_console": 9001,
    "redis": 6379,
    "postgres": 5432,
    "smtp": 1025,
    "mailpit": 8025,
}
SERVERS = ("postgres", "redis", "kafka", "s3", "mailpit")
# Every port a server binds, so that "up" can tell a foreign process holding one of them.
SERVER_PORTS = {
    "postgres": ("postgres",),
    "redis": ("redis",),
    "kafka": ("kafka", "kafka_controller"),
    "s3": ("s3", "s3_console"),
    "mailpit": ("mailpit", "smtp"),
}
# A word of each server's command line: guards against a pid file naming a pid the system reused.
PROCESS_MARKERS = {
    "postgres": "postgres",
    "redis": "redis-server",
    "kafka": "kafka.Kafka",
    "s3": "versitygw",
    "mailpit": "mailpit",
}
READY_TIMEOUTS = {"postgres": 60.0, "redis": 20.0, "kafka": 90.0, "s3": 30.0, "mailpit": 30.0}
STOP_GRACE = {"postgres": 30.0, "redis": 10.0, "kafka": 30.0, "s3": 5.0, "mailpit": 10.0}

S3_ACCESS_KEY = "tuiju"
S3_SECRET_KEY = "tuiju-secret-key"
PG_ROLE = "tuiju"
PG_PASSWORD = "tuiju"
DATABASES = ("tuiju_intake", "tuiju_review", "tuiju_notify", "tuiju_archive")

DEBIAN_PACKAGES = ("redis-server", "postgresql", "chromium", "fonts-noto-cjk", "fonts-wqy-zenhei", "libzbar0", "libmagic1")
# Debian packages that bring a command the provisioning itself needs, when that command is missing.
COMMAND_PACKAGES = {"java": "openjdk-17-jre-headless", "mvn": "maven", "runuser": "util-linux"}
GO_TOOLS = {
    "versitygw": ("github.com/versity/versitygw/cmd/versitygw", "v1.8.0"),
    "mailpit": ("github.com/axllent/mailpit", "v1.33.1"),
}
KAFKA_VERSION = "4.1.1"
KAFKA_POM = REPO / "devstack" / "kafka" / "pom.xml"
KAFKA_HEAP = "512m"


class DevstackError(Exception):
    """A step that failed; str() is the one line shown to the user (which step, why, where the log is)."""


class CommandFailed(DevstackError):
    """A command run by a step exited badly; its output is in log."""

    def __init__(self, step: str, reason: str, log: Path):
        self.step, self.reason, self.log = step, reason, log
        super().__init__(f"{step}: {reason}; see {relative(log)}")


# ---------------------------------------------------------------------------------------------------------
# Pure parts: ports, environment, file layout, Kafka configuration


def check_profile(profile: str) -> str:
    if profile not in PROFILE_OFFSETS:
        raise DevstackError(f"unknown profile {profile!r}; use one of: {', '.join(PROFILE_OFFSETS)}")
    return profile


def ports_for(profile: str) -> Dict[str, int]:
    offset = PROFILE_OFFSETS[check_profile(profile)]
    return {name: port + offset for name, port in BASE_PORTS.items()}


def env_for(profile: str) -> Dict[str, str]:
    """The environment the services read to reach this profile's servers."""
    ports = ports_for(profile)
    return {
        "TUIJU_POSTGRES_URL": f"postgresql+psycopg://{PG_ROLE}:{PG_PASSWORD}@127.0.0.1:{ports['postgres']}",
        "TUIJU_KAFKA_BOOTSTRAP": f"127.0.0.1:{ports['kafka']}",
        "TUIJU_S3_ENDPOINT": f"127.0.0.1:{ports['s3']}",
        "TUIJU_S3_ACCESS_KEY": S3_ACCESS_KEY,
        "TUIJU_S3_SECRET_KEY": S3_SECRET_KEY,
        "TUIJU_S3_SECURE": "0",
        "TUIJU_REDIS_URL": f"redis://127.0.0.1:{ports['redis']}",
        "TUIJU_SMTP_HOST": "127.0.0.1",
        "TUIJU_SMTP_PORT": str(ports["smtp"]),
        "TUIJU_MAILPIT_API": f"http://127.0.0.1:{ports['mailpit']}",
    }


def render_env(profile: str) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env_for(profile).items())


def cache_dir() -> Path:
    configured = os.environ.get("TUIJU_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "tuiju"


def kafka_libs_dir() -> Path:
    return cache_dir() / f"kafka-{KAFKA_VERSION}" / "libs"


def go_binary(name: str) -> Path:
    return cache_dir() / "bin" / name


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where one profile keeps its servers' data, logs and pid files."""

    root: Path

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def pidfile(self, name: str) -> Path:
        return self.pids / f"{name}.pid"

    def data(self, name: str) -> Path:
        return self.root / name


def layout_for(profile: str) -> Layout:
    return Layout(STATE_ROOT / check_profile(profile))


def kafka_properties(ports: Dict[str, int], log_dir: Path) -> str:
    """server.properties of a one-node KRaft broker+controller, light enough for a 2-core machine."""
    broker, controller = ports["kafka"], ports["kafka_controller"]
    settings = [
        ("process.roles", "broker,controller"),
        ("node.id", "1"),
        ("controller.quorum.voters", f"1@127.0.0.1:{controller}"),
        ("listeners", f"PLAINTEXT://127.0.0.1:{broker},CONTROLLER://127.0.0.1:{controller}"),
        ("advertised.listeners", f"PLAINTEXT://127.0.0.1:{broker}"),
        ("controller.listener.names", "CONTROLLER"),
        ("inter.broker.listener.name", "PLAINTEXT"),
        ("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
        ("log.dirs", str(log_dir.resolve())),
        ("num.partitions", "6"),
        ("auto.create.topics.enable", "false"),
        ("offsets.topic.replication.factor", "1"),
        ("offsets.topic.num.partitions", "6"),
        ("transaction.state.log.replication.factor", "1"),
        ("transaction.state.log.min.isr", "1"),
        ("transaction.state.log.num.partitions", "6"),
        ("share.coordinator.state.topic.replication.factor", "1"),
        ("share.coordinator.state.topic.min.isr", "1"),
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


def postgres_server_options(ports: Dict[str, int], socket_dir: Path, profile: str) -> List[str]:
    options = ["-p", str(ports["postgres"]), "-k", str(socket_dir), "-c", "listen_addresses=127.0.0.1",
               "-c", "max_connections=200"]
    if profile.startswith("test"):
        # Throw-away data: durability only slows the tests down.
        options += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    return options


def create_databases_sql() -> str:
    """Idempotent psql script: the role and one database per service, owned by it."""
    names = ", ".join(f"'{name}'" for name in DATABASES)
    return (
        f"SELECT 'CREATE ROLE {PG_ROLE} LOGIN CREATEDB PASSWORD ''{PG_PASSWORD}''' "
        f"WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PG_ROLE}') \\gexec\n"
        f"SELECT format('CREATE DATABASE %I OWNER {PG_ROLE}', name) FROM unnest(ARRAY[{names}]) AS name "
        f"WHERE name NOT IN (SELECT datname FROM pg_database) \\gexec\n"
    )


def status_line(name: str, up: bool, port: int, pid: Optional[int]) -> str:
    return f"{name:<9} {'up' if up else 'down':<5} port {port:<6} pid {pid if pid else '-'}"


# ---------------------------------------------------------------------------------------------------------
# Processes


def is_root() -> bool:
    return os.geteuid() == 0


def read_pid(path: Path) -> Optional[int]:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def process_alive(pid: int, marker: str) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    zombie = stat.rsplit(")", 1)[-1].split()[0] == "Z"
    return not zombie and marker in cmdline


def server_pid(layout: Layout, name: str) -> Optional[int]:
    """The pid of this profile's running server, or None."""
    if name == "postgres":
        pid = read_pid(layout.data("postgres") / "postmaster.pid")
    else:
        pid = read_pid(layout.pidfile(name))
    return pid if pid and process_alive(pid, PROCESS_MARKERS[name]) else None


def spawn(layout: Layout, name: str, argv: List[str], env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
    """Start a server in its own session (it outlives this script), output appended to its log."""
    with open(layout.log(name), "ab") as log:
        log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
        log.flush()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   env=env, cwd=layout.root, start_new_session=True)
    layout.pidfile(name).write_text(f"{process.pid}\n")
    return process


def run_logged(step: str, argv: List[str], log_path: Path, *, env: Optional[Dict[str, str]] = None,
               cwd: Optional[Path] = None, input_text: Optional[str] = None, timeout: float = 900) -> None:
    """Run a command, its output appended to log_path; a failure is a DevstackError naming the step."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
        log.flush()
        try:
            result = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, timeout=timeout,
                                    input=input_text.encode() if input_text is not None else None,
                                    stdin=None if input_text is not None else subprocess.DEVNULL)
        except FileNotFoundError:
            raise CommandFailed(step, f"{argv[0]} is not installed", log_path) from None
        except subprocess.TimeoutExpired:
            raise CommandFailed(step, f"{Path(argv[0]).name} took over {timeout:.0f} s", log_path) from None
    if result.returncode != 0:
        raise CommandFailed(step, f"{Path(argv[0]).name} exit {result.returncode}", log_path)


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def signal_group(pid: int, sig: int) -> None:
    """Signal the server and its children (each server leads its own process group)."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def wait_gone(pid: int, marker: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid, marker):
            return True
        time.sleep(0.1)
    return not process_alive(pid, marker)


# ---------------------------------------------------------------------------------------------------------
# Readiness checks


def tcp_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def http_status(port: int, path: str, timeout: float = 2.0) -> Optional[int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


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


def postgres_answers(port: int) -> bool:
    """The tuiju role can log in over TCP and run a query in its intake database."""
    psql = postgres_bindir() / "psql"
    url = f"postgresql://{PG_ROLE}:{PG_PASSWORD}@127.0.0.1:{port}/{DATABASES[0]}?connect_timeout=2"
    try:
        result = subprocess.run([str(psql), "-X", "-tAc", "SELECT 1", url], capture_output=True, text=True,
                                timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == "1"


def server_answers(profile: str, name: str) -> bool:
    """Whether the server of this profile answers a real request (not just an open port)."""
    ports = ports_for(profile)
    if name == "postgres":
        return postgres_answers(ports["postgres"])
    if name == "redis":
        return redis_answers(ports["redis"])
    if name == "kafka":
        return kafka_broker_count(ports["kafka"]) >= 1
    if name == "s3":
        return http_status(ports["s3"], "/") in (200, 403)
    if name == "mailpit":
        return http_status(ports["mailpit"], "/api/v1/info") == 200 and tcp_open(ports["smtp"])
    raise DevstackError(f"unknown server {name!r}; use one of: {', '.join(SERVERS)}")


# ---------------------------------------------------------------------------------------------------------
# Starting each server


def postgres_bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0)
    if not candidates:
        raise DevstackError("postgres: no PostgreSQL server in /usr/lib/postgresql; run: devstack.py provision")
    return candidates[-1].parent


def as_postgres_user(argv: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *argv] if is_root() else argv


def give_to_postgres_user(*paths: Path) -> None:
    if not is_root():
        return
    import pwd

    account = pwd.getpwnam("postgres")
    for path in paths:
        os.chown(path, account.pw_uid, account.pw_gid)


def postgres_socket_dir(layout: Layout) -> Path:
    # A unix socket path must stay under 108 bytes; a deep clone falls back to /tmp.
    inside = layout.data("postgres-socket")
    if len(str(inside / ".s.PGSQL.65535")) < 100:
        return inside
    return Path("/tmp") / f"tuiju-pg-{zlib.crc32(str(layout.root).encode()):08x}"


def init_postgres(layout: Layout) -> None:
    data = layout.data("postgres")
    data.mkdir(parents=True, exist_ok=True)
    give_to_postgres_user(data)
    data.chmod(0o700)
    run_logged("postgres: initdb", as_postgres_user([
        str(postgres_bindir() / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8", "--no-locale",
        "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
    ]), layout.log("postgres-initdb"), cwd=layout.root)


def remove_stale_postmaster_pid(layout: Layout, socket_dir: Path, port: int) -> None:
    """After a crash (kill -9) the lock files name a dead postmaster, or one not yet reaped (a zombie, which
    PostgreSQL takes for a live server). Once its backends are gone they are stale: remove them."""
    lock = layout.data("postgres") / "postmaster.pid"
    if not lock.exists() or server_pid(layout, "postgres"):
        return
    wait_postgres_children_gone(layout)
    for path in (lock, socket_dir / f".s.PGSQL.{port}.lock", socket_dir / f".s.PGSQL.{port}"):
        path.unlink(missing_ok=True)


def start_postgres(profile: str, layout: Layout) -> Optional[subprocess.Popen]:
    ports = ports_for(profile)
    if not (layout.data("postgres") / "PG_VERSION").exists():
        init_postgres(layout)
    socket_dir = postgres_socket_dir(layout)
    remove_stale_postmaster_pid(layout, socket_dir, ports["postgres"])
    socket_dir.mkdir(parents=True, exist_ok=True)
    log = layout.log("postgres")
    log.touch()
    give_to_postgres_user(socket_dir, log)
    options = " ".join(shlex.quote(option) for option in postgres_server_options(ports, socket_dir, profile))
    run_logged("postgres: pg_ctl start", as_postgres_user([
        str(postgres_bindir() / "pg_ctl"), "-D", str(layout.data("postgres")), "-l", str(log), "-o", options,
        "-w", "-t", str(int(READY_TIMEOUTS["postgres"])), "start",
    ]), layout.log("postgres-ctl"), cwd=layout.root)
    pid = read_pid(layout.data("postgres") / "postmaster.pid")
    if pid:
        layout.pidfile("postgres").write_text(f"{pid}\n")
    run_logged("postgres: create role and databases", as_postgres_user([
        str(postgres_bindir() / "psql"), "-X", "-v", "ON_ERROR_STOP=1", "-h", str(socket_dir),
        "-p", str(ports["postgres"]), "-U", "postgres", "-d", "postgres",
    ]), layout.log("postgres-ctl"), cwd=layout.root, input_text=create_databases_sql())
    return None  # pg_ctl detaches the server; its pid is in postmaster.pid


def start_redis(profile: str, layout: Layout) -> subprocess.Popen:
    data = layout.data("redis")
    data.mkdir(exist_ok=True)
    redis = shutil.which("redis-server")
    if not redis:
        raise DevstackError("redis: redis-server is not installed; run: devstack.py provision")
    return spawn(layout, "redis", [
        redis, "--port", str(ports_for(profile)["redis"]), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--daemonize", "no", "--dir", str(data),
    ])


def java_command() -> str:
    java = shutil.which("java")
    if not java:
        raise DevstackError("kafka: java is not installed; run: devstack.py provision")
    return java


def kafka_classpath() -> str:
    libs = kafka_libs_dir()
    if not (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        raise DevstackError(f"kafka: broker jars not found in {libs}; run: devstack.py provision")
    return f"{libs}/*"


def write_kafka_config(profile: str, layout: Layout) -> Path:
    home = layout.data("kafka")
    (home / "data").mkdir(parents=True, exist_ok=True)
    (home / "server.properties").write_text(kafka_properties(ports_for(profile), home / "data"))
    (home / "log4j2.properties").write_text(log4j2_properties())
    return home


def kafka_jvm_options(home: Path, heap: str) -> List[str]:
    return [
        f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
        "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={home / 'log4j2.properties'}", f"-Dkafka.logs.dir={home / 'logs'}",
    ]


def format_kafka_storage(layout: Layout, home: Path) -> None:
    if (home / "data" / "meta.properties").exists():
        return
    run_logged("kafka: format storage", [
        java_command(), *kafka_jvm_options(home, "256m"), "-XX:TieredStopAtLevel=1", "-cp", kafka_classpath(),
        "kafka.tools.StorageTool", "format", "-t", new_kafka_cluster_id(), "-c", str(home / "server.properties"),
        "--ignore-formatted",
    ], layout.log("kafka-format"), cwd=layout.root, timeout=120)


def start_kafka(profile: str, layout: Layout) -> subprocess.Popen:
    home = write_kafka_config(profile, layout)
    format_kafka_storage(layout, home)
    return spawn(layout, "kafka", [
        java_command(), *kafka_jvm_options(home, KAFKA_HEAP), "-cp", kafka_classpath(), "kafka.Kafka",
        str(home / "server.properties"),
    ])


def go_tool(name: str) -> str:
    binary = go_binary(name)
    if not binary.exists():
        raise DevstackError(f"{name}: {binary} not built; run: devstack.py provision")
    return str(binary)


def start_s3(profile: str, layout: Layout) -> subprocess.Popen:
    ports = ports_for(profile)
    data = layout.data("s3")
    for folder in ("buckets", "versions"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ROOT_ACCESS_KEY=S3_ACCESS_KEY, ROOT_SECRET_KEY=S3_SECRET_KEY)
    return spawn(layout, "s3", [
        go_tool("versitygw"), "--port", f"127.0.0.1:{ports['s3']}", "--webui", f"127.0.0.1:{ports['s3_console']}",
        "--webui-no-tls", "--quiet", "posix", "--versioning-dir", str(data / "versions"), str(data / "buckets"),
    ], env=env)


def start_mailpit(profile: str, layout: Layout) -> subprocess.Popen:
    ports = ports_for(profile)
    data = layout.data("mailpit")
    data.mkdir(exist_ok=True)
    return spawn(layout, "mailpit", [
        go_tool("mailpit"), "--smtp", f"127.0.0.1:{ports['smtp']}", "--listen", f"127.0.0.1:{ports['mailpit']}",
        "--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--database", str(data / "mailpit.db"),
        "--max", "20000", "--disable-version-check",
    ])


STARTERS: Dict[str, Callable[[str, Layout], Optional[subprocess.Popen]]] = {
    "postgres": start_postgres,
    "redis": start_redis,
    "kafka": start_kafka,
    "s3": start_s3,
    "mailpit": start_mailpit,
}


# ---------------------------------------------------------------------------------------------------------
# Lifecycle: the functions tests import


def check_server(name: str) -> str:
    if name not in SERVERS:
        raise DevstackError(f"unknown server {name!r}; use one of: {', '.join(SERVERS)}")
    return name


def ensure_layout(profile: str) -> Layout:
    layout = layout_for(profile)
    for folder in (layout.root, layout.logs, layout.pids):
        folder.mkdir(parents=True, exist_ok=True)
    return layout


def foreign_port(profile: str, name: str) -> Optional[int]:
    """A port of this server already taken by a process that is not this profile's server."""
    ports = ports_for(profile)
    for key in SERVER_PORTS[name]:
        if tcp_open(ports[key], timeout=0.2):
            return ports[key]
    return None


def wait_ready(profile: str, name: str, process: Optional[subprocess.Popen], layout: Layout) -> None:
    port = ports_for(profile)[SERVER_PORTS[name][0]]
    deadline = time.monotonic() + READY_TIMEOUTS[name]
    while time.monotonic() < deadline:
        if server_answers(profile, name):
            return
        if process is not None and process.poll() is not None:
            raise DevstackError(f"{name}: exited with code {process.returncode} while starting; "
                                f"see {relative(layout.log(name))}")
        time.sleep(0.1)
    raise DevstackError(f"{name}: not answering on port {port} after {READY_TIMEOUTS[name]:.0f} s; "
                        f"see {relative(layout.log(name))}")


@contextlib.contextmanager
def profile_lock(profile: str) -> Iterator[None]:
    """One start or stop at a time per profile: test sessions may run `up` side by side."""
    STATE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(STATE_ROOT / f"{check_profile(profile)}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_server(profile: str, name: str) -> float:
    """Start one server of the profile (or reuse it when already running) and wait until it answers.

    Returns the seconds it took; 0.0 when the profile's own server was already up.
    """
    with profile_lock(profile):
        return _start_server(profile, check_server(name))


def _start_server(profile: str, name: str) -> float:
    layout = ensure_layout(profile)
    if server_pid(layout, name):
        started = time.monotonic()
        wait_ready(profile, name, None, layout)
        return 0.0 if time.monotonic() - started < 0.5 else time.monotonic() - started
    port = foreign_port(profile, name)
    if port:
        raise DevstackError(f"{name}: port {port} is already in use by another process "
                            f"(not this profile's server); see: ss -ltnp 'sport = :{port}'")
    started = time.monotonic()
    process = STARTERS[name](profile, layout)
    wait_ready(profile, name, process, layout)
    return time.monotonic() - started


def stop_server(profile: str, name: str) -> bool:
    """Stop one server: SIGTERM, a wait, again, then SIGKILL (pg_ctl stop -m fast for PostgreSQL).

    Returns whether it was running.
    """
    with profile_lock(profile):
        return _stop_server(profile, check_server(name))


def _stop_server(profile: str, name: str) -> bool:
    layout = layout_for(profile)
    pid = server_pid(layout, name)
    if not pid:
        return False
    marker = PROCESS_MARKERS[name]
    if name == "postgres":
        try:
            run_logged("postgres: pg_ctl stop", as_postgres_user([
                str(postgres_bindir() / "pg_ctl"), "-D", str(layout.data("postgres")), "-m", "fast", "-w",
                "-t", str(int(STOP_GRACE["postgres"])), "stop",
            ]), layout.log("postgres-ctl"), cwd=layout.root, timeout=STOP_GRACE["postgres"] + 5)
        except DevstackError:
            pass  # falls through to the signals below
    # Versity has ignored the first TERM after heavy use: a second one, then KILL.
    for sig, grace in ((signal.SIGTERM, STOP_GRACE[name]), (signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
        if wait_gone(pid, marker, 0):
            break
        signal_group(pid, sig)
        if wait_gone(pid, marker, grace):
            break
    layout.pidfile(name).unlink(missing_ok=True)
    return True


def kill_server(profile: str, name: str, sig: int = signal.SIGKILL) -> Optional[int]:
    """Send a signal to the server's whole process group (default SIGKILL: a crash, for fault tests).

    Returns the pid signalled, or None when the server was not running. After SIGKILL it waits until the
    processes are gone, so that start_server() can bind the ports again.
    """
    check_server(name)
    layout = layout_for(profile)
    pid = server_pid(layout, name)
    if not pid:
        return None
    signal_group(pid, sig)
    if sig == signal.SIGKILL:
        wait_gone(pid, PROCESS_MARKERS[name], 10.0)
        if name == "postgres":
            wait_postgres_children_gone(layout)
    return pid


def wait_postgres_children_gone(layout: Layout, timeout: float = 10.0) -> None:
    """Backends outlive a killed postmaster briefly; a new one will not start while they hold shared memory."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and processes_working_in(layout.data("postgres")):
        time.sleep(0.1)


def processes_working_in(folder: Path) -> List[int]:
    """Live processes whose working directory is folder: every PostgreSQL process works in its data directory
    (and each runs in a session of its own, so no process group reaches them all)."""
    target = str(folder.resolve())
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.readlink(proc / "cwd") == target and (proc / "stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z":
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def run_in_parallel(names: Iterable[str], action: Callable[[str], object]) -> Dict[str, object]:
    """action(name) for each name in its own thread; each result is the return value or the exception."""
    results: Dict[str, object] = {}

    def run(name: str) -> None:
        try:
            results[name] = action(name)
        except Exception as error:  # reported per server by the caller
            results[name] = error

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wipe(profile: str) -> None:
    layout = layout_for(profile)
    if layout.root.exists():
        shutil.rmtree(layout.root)
    socket_dir = postgres_socket_dir(layout)
    if socket_dir.exists():
        shutil.rmtree(socket_dir)


def up(profile: str, fresh: bool = False, servers: Iterable[str] = SERVERS,
       report: Callable[[str], None] = print) -> Dict[str, float]:
    """Start the profile's servers in parallel (reusing those already up); returns seconds per server."""
    names = [check_server(name) for name in servers]
    check_profile(profile)
    with profile_lock(profile):
        if fresh:
            run_in_parallel(SERVERS, lambda name: _stop_server(profile, name))
            wipe(profile)
        started = time.monotonic()
        results = run_in_parallel(names, lambda name: _start_server(profile, name))
    failures = [str(result) for result in results.values() if isinstance(result, BaseException)]
    for name in names:
        result = results[name]
        if not isinstance(result, BaseException):
            port = ports_for(profile)[SERVER_PORTS[name][0]]
            how = "already up" if result == 0.0 else f"ready in {result:.1f} s"
            report(f"{name:<9} {how:<16} port {port}")
    if failures:
        raise DevstackError("\n".join(failures))
    report(f"profile {profile} up in {time.monotonic() - started:.1f} s; data in {relative(layout_for(profile).root)}")
    return {name: float(results[name]) for name in names}  # type: ignore[arg-type]


def down(profile: str, report: Callable[[str], None] = print) -> None:
    check_profile(profile)
    with profile_lock(profile):
        results = run_in_parallel(SERVERS, lambda name: _stop_server(profile, name))
    for name in SERVERS:
        result = results[name]
        if isinstance(result, BaseException):
            raise result
        report(f"{name:<9} {'stopped' if result else 'was not running'}")


def server_status(profile: str) -> List[str]:
    layout = layout_for(profile)
    ports = ports_for(profile)
    lines = []
    for name in SERVERS:
        pid = server_pid(layout, name)
        port = ports[SERVER_PORTS[name][0]]
        lines.append(status_line(name, bool(pid) and tcp_open(port), port, pid))
    return lines


def tail(path: Path, lines: int) -> str:
    if not path.exists():
        return f"(no log at {relative(path)})\n"
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 200 * lines))
        text = handle.read().decode(errors="replace")
    return "\n".join(text.splitlines()[-lines:]) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Provisioning


def provision_log(step: str) -> Path:
    return STATE_ROOT / "logs" / f"provision-{step}.log"


def missing_debian_packages() -> List[str]:
    missing = [command_package for command, command_package in COMMAND_PACKAGES.items() if not shutil.which(command)]
    for package in DEBIAN_PACKAGES:
        result = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", package], capture_output=True,
                                text=True)
        if result.returncode != 0 or not result.stdout.startswith("ii"):
            missing.append(package)
    return missing


def install_debian_packages(packages: List[str]) -> None:
    log = provision_log("apt")
    if not is_root():
        raise DevstackError(f"apt: missing {' '.join(packages)}; as root run: apt-get install -y {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # No service may start on install: the system's PostgreSQL and Redis would take the run profile's ports.
    policy = Path("/usr/sbin/policy-rc.d")
    own_policy = not policy.exists()
    if own_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        run_logged("apt: apt-get update", ["apt-get", "update"], log, env=env)
        run_logged(f"apt: installing {' '.join(packages)}", ["apt-get", "install", "-y", *packages], log, env=env)
    finally:
        if own_policy:
            policy.unlink(missing_ok=True)


def go_tool_is_current(binary: Path, version: str) -> bool:
    if not binary.exists():
        return False
    go = shutil.which("go")
    if not go:
        return True  # cannot tell its version; a binary we cannot rebuild is better than none
    result = subprocess.run([go, "version", "-m", str(binary)], capture_output=True, text=True)
    return any(line.split()[:1] == ["mod"] and version in line.split() for line in result.stdout.splitlines())


def install_go_tool(name: str) -> str:
    package, version = GO_TOOLS[name]
    binary = go_binary(name)
    if go_tool_is_current(binary, version):
        return f"{name} {version} present"
    go = shutil.which("go")
    if not go:
        raise DevstackError(f"{name}: the Go toolchain (go) is not installed; it is needed to build {package}")
    binary.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, GOBIN=str(binary.parent), CGO_ENABLED=os.environ.get("CGO_ENABLED", "0"))
    log = provision_log(name)
    try:
        run_logged(name, [go, "install", f"{package}@{version}"], log, env=env)
    except CommandFailed as failure:
        raise CommandFailed(name, f"go install {package}@{version} failed ({failure.reason}; is the Go module "
                                  f"proxy reachable?)", log) from None
    return f"{name} {version} built"


def kafka_jars_present() -> bool:
    libs = kafka_libs_dir()
    return (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists() and any(libs.glob("log4j-slf4j-impl-*.jar"))


def install_kafka_jars() -> str:
    if kafka_jars_present():
        return f"kafka {KAFKA_VERSION} jars present"
    mvn = shutil.which("mvn")
    if not mvn:
        raise DevstackError("kafka: Maven (mvn) is not installed; run as root: apt-get install -y maven")
    libs = kafka_libs_dir()
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


def provision(report: Callable[[str], None] = print) -> None:
    """Install what the devstack needs; quick and silent about work already done."""
    started = time.monotonic()
    missing = missing_debian_packages()
    if missing:
        install_debian_packages(missing)
        report(f"apt: installed {' '.join(missing)} ({time.monotonic() - started:.0f} s)")
    # The Go builds use the CPU and the jar download the network: run them side by side.
    steps = ["versitygw", "mailpit", "kafka"]
    results = run_in_parallel(steps, lambda step: install_kafka_jars() if step == "kafka" else install_go_tool(step))
    failures = [str(result) for result in results.values() if isinstance(result, BaseException)]
    if failures:
        raise DevstackError("\n".join(failures))
    report(f"provisioned in {time.monotonic() - started:.1f} s: " + "; ".join(str(results[step]) for step in steps)
           + f"; cache {cache_dir()}")


# ---------------------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="devstack.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def with_profile(sub: argparse.ArgumentParser, default: Optional[str] = "run") -> argparse.ArgumentParser:
        sub.add_argument("--profile", choices=sorted(PROFILE_OFFSETS), default=default)
        return sub

    commands.add_parser("provision", help="install the servers (Debian packages, Go builds, Kafka jars)")
    with_profile(commands.add_parser("up", help="start every server and wait until each answers")).add_argument(
        "--fresh", action="store_true", help="wipe the profile's data first")
    with_profile(commands.add_parser("down", help="stop every server of the profile"))
    with_profile(commands.add_parser("status", help="one line per server"), default=None)
    with_profile(commands.add_parser("env", help="export lines for the services"))
    logs = with_profile(commands.add_parser("logs", help="tail of the servers' logs"))
    logs.add_argument("server", nargs="?", choices=SERVERS)
    logs.add_argument("-n", "--lines", type=int, default=40)
    for name, help_text in (("start", "start one server"), ("stop", "stop one server"),
                            ("kill", "SIGKILL one server (fault tests)")):
        with_profile(commands.add_parser(name, help=help_text)).add_argument("server", choices=SERVERS)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "provision":
            provision()
        elif args.command == "up":
            up(args.profile, fresh=args.fresh)
        elif args.command == "down":
            down(args.profile)
        elif args.command == "status":
            for profile in [args.profile] if args.profile else list(PROFILE_OFFSETS):
                print(f"[{profile}]")
                print("\n".join(server_status(profile)))
        elif args.command == "env":
            sys.stdout.write(render_env(args.profile))
        elif args.command == "logs":
            layout = layout_for(args.profile)
            for name in [args.server] if args.server else SERVERS:
                print(f"==> {relative(layout.log(name))} <==")
                sys.stdout.write(tail(layout.log(name), args.lines))
        elif args.command == "start":
            seconds = start_server(args.profile, args.server)
            print(f"{args.server} {'already up' if seconds == 0.0 else f'ready in {seconds:.1f} s'}")
        elif args.command == "stop":
            print(f"{args.server} {'stopped' if stop_server(args.profile, args.server) else 'was not running'}")
        elif args.command == "kill":
            pid = kill_server(args.profile, args.server)
            print(f"{args.server} {'killed (pid %d)' % pid if pid else 'was not running'}")
    except DevstackError as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
