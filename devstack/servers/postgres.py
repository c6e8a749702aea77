"""PostgreSQL from Debian's packages: one cluster per profile, a role and one database per service."""
from __future__ import annotations

import os
import shlex
import subprocess
import time
import zlib
from pathlib import Path
from typing import Dict, List, Optional

from devstack.base import DevstackError, Layout, ports_for
from devstack.processes import is_root, read_pid, run_logged
from devstack.server import Server

PG_ROLE = "tuiju"
PG_PASSWORD = "tuiju"
SETUP_LOCK = 7_206_110  # any number of our own: the advisory lock the setup scripts take in turn
DATABASES = ("tuiju_intake", "tuiju_review", "tuiju_notify", "tuiju_archive")
READY_TIMEOUT = 60.0
STOP_GRACE = 30.0


def url(profile: str, database: str = "") -> str:
    return f"postgresql://{PG_ROLE}:{PG_PASSWORD}@127.0.0.1:{ports_for(profile)['postgres']}/{database}"


def env(profile: str) -> Dict[str, str]:
    return {"TUIJU_POSTGRES_URL": f"postgresql+psycopg://{PG_ROLE}:{PG_PASSWORD}@127.0.0.1:{ports_for(profile)['postgres']}"}


def server_options(ports: Dict[str, int], socket_dir: Path, profile: str) -> List[str]:
    options = ["-p", str(ports["postgres"]), "-k", str(socket_dir), "-c", "listen_addresses=127.0.0.1",
               "-c", "max_connections=200"]
    if profile.startswith("test"):
        # Throw-away data: no fsync, which only an operating system crash would miss. A commit is still
        # written out before it is acknowledged (synchronous_commit stays on): the tests kill PostgreSQL
        # with SIGKILL, and with it off the last commits before the kill, already acknowledged, were lost.
        options += ["-c", "fsync=off", "-c", "full_page_writes=off"]
    return options


def create_databases_sql(databases=DATABASES) -> str:
    """Idempotent psql script: the role and the databases, owned by it. One at a time: postgres's start and
    Keycloak's run it together, and two first GRANTs (or CREATE ROLEs) at once collide in the catalogue
    (`duplicate key value violates unique constraint "pg_auth_members_role_member_index"`, one CI run)."""
    names = ", ".join(f"'{name}'" for name in databases)
    return (
        f"SELECT pg_advisory_lock({SETUP_LOCK});\n"  # held until the script's session ends
        f"SELECT 'CREATE ROLE {PG_ROLE} LOGIN CREATEDB PASSWORD ''{PG_PASSWORD}''' "
        f"WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PG_ROLE}') \\gexec\n"
        f"SELECT format('CREATE DATABASE %I OWNER {PG_ROLE}', name) FROM unnest(ARRAY[{names}]) AS name "
        f"WHERE name NOT IN (SELECT datname FROM pg_database) \\gexec\n"
        # DROP DATABASE ... WITH (FORCE) in the tests must end an autovacuum worker in the database too.
        f"GRANT pg_signal_backend TO {PG_ROLE};\n"
    )


def bindir() -> Path:
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


def socket_dir(layout: Layout) -> Path:
    # A unix socket path must stay under 108 bytes; a deep clone falls back to /tmp.
    inside = layout.data("postgres-socket")
    if len(str(inside / ".s.PGSQL.65535")) < 100:
        return inside
    return Path("/tmp") / f"tuiju-pg-{zlib.crc32(str(layout.root).encode()):08x}"


def answers(profile: str) -> bool:
    """The tuiju role can log in over TCP and run a query in its intake database."""
    try:
        result = subprocess.run([str(bindir() / "psql"), "-X", "-tAc", "SELECT 1",
                                 url(profile, DATABASES[0]) + "?connect_timeout=2"],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired, DevstackError):
        return False
    return result.returncode == 0 and result.stdout.strip() == "1"


def init_cluster(layout: Layout) -> None:
    data = layout.data("postgres")
    data.mkdir(parents=True, exist_ok=True)
    give_to_postgres_user(data)
    data.chmod(0o700)
    run_logged("postgres: initdb", as_postgres_user([
        str(bindir() / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8", "--no-locale",
        "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
    ]), layout.log("postgres-initdb"), cwd=layout.root)


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


def wait_children_gone(layout: Layout, timeout: float = 10.0) -> None:
    """Backends outlive a killed postmaster briefly; a new one will not start while they hold shared memory."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and processes_working_in(layout.data("postgres")):
        time.sleep(0.1)


def remove_stale_postmaster_pid(layout: Layout, sockets: Path, port: int) -> None:
    """After a crash (kill -9) the lock files name a dead postmaster, or one not yet reaped (a zombie, which
    PostgreSQL takes for a live server). Once its backends are gone they are stale: remove them."""
    lock = layout.data("postgres") / "postmaster.pid"
    if not lock.exists() or SERVER.pid(layout):
        return
    wait_children_gone(layout)
    for path in (lock, sockets / f".s.PGSQL.{port}.lock", sockets / f".s.PGSQL.{port}"):
        path.unlink(missing_ok=True)


def run_psql_as_superuser(profile: str, layout: Layout, step: str, script: str) -> None:
    run_logged(step, as_postgres_user([
        str(bindir() / "psql"), "-X", "-v", "ON_ERROR_STOP=1", "-h", str(socket_dir(layout)),
        "-p", str(ports_for(profile)["postgres"]), "-U", "postgres", "-d", "postgres",
    ]), layout.log("postgres-ctl"), cwd=layout.root, input_text=script)


def ensure_databases(profile: str, layout: Layout, databases) -> None:
    """Create the role and these databases if missing (also for a cluster started before they were added)."""
    run_psql_as_superuser(profile, layout, "postgres: create role and databases", create_databases_sql(databases))


def start(profile: str, layout: Layout) -> Optional[subprocess.Popen]:
    ports = ports_for(profile)
    if not (layout.data("postgres") / "PG_VERSION").exists():
        init_cluster(layout)
    sockets = socket_dir(layout)
    remove_stale_postmaster_pid(layout, sockets, ports["postgres"])
    sockets.mkdir(parents=True, exist_ok=True)
    log = layout.log("postgres")
    log.touch()
    give_to_postgres_user(sockets, log)
    options = " ".join(shlex.quote(option) for option in server_options(ports, sockets, profile))
    run_logged("postgres: pg_ctl start", as_postgres_user([
        str(bindir() / "pg_ctl"), "-D", str(layout.data("postgres")), "-l", str(log), "-o", options,
        "-w", "-t", str(int(READY_TIMEOUT)), "start",
    ]), layout.log("postgres-ctl"), cwd=layout.root)
    pid = read_pid(layout.data("postgres") / "postmaster.pid")
    if pid:
        layout.pidfile("postgres").write_text(f"{pid}\n")
    ensure_databases(profile, layout, DATABASES)
    return None  # pg_ctl detaches the server; its pid is in postmaster.pid


def pg_ctl_stop(profile: str, layout: Layout) -> None:
    try:
        run_logged("postgres: pg_ctl stop", as_postgres_user([
            str(bindir() / "pg_ctl"), "-D", str(layout.data("postgres")), "-m", "fast", "-w",
            "-t", str(int(STOP_GRACE)), "stop",
        ]), layout.log("postgres-ctl"), cwd=layout.root, timeout=STOP_GRACE + 5)
    except DevstackError:
        pass  # the lifecycle's signals follow


SERVER = Server(
    name="postgres", ports=("postgres",), marker="postgres", ready_timeout=READY_TIMEOUT, stop_grace=STOP_GRACE,
    start=start, answers=answers, env=env, before_signals=pg_ctl_stop, after_kill=wait_children_gone,
    pid_path=lambda layout: layout.data("postgres") / "postmaster.pid",
)
