"""devstack/servers/postgres.py: the server's options and the databases it creates."""
from __future__ import annotations

from pathlib import Path

import pytest

from devstack.base import Layout, ports_for
from devstack.servers import postgres

pytestmark = pytest.mark.unit


def test_postgres_options_turn_fsync_off_only_for_the_test_profile_and_keep_acknowledged_commits(tmp_path):
    test_options = postgres.server_options(ports_for("test"), tmp_path, "test")
    run_options = postgres.server_options(ports_for("run"), tmp_path, "run")
    assert "fsync=off" in test_options and "fsync=off" not in run_options
    # A commit acknowledged before a SIGKILL of the server must survive it (the consumer's fault test counts).
    assert "synchronous_commit=off" not in test_options
    assert test_options[:4] == ["-p", "15432", "-k", str(tmp_path)]
    assert "listen_addresses=127.0.0.1" in run_options


def test_create_databases_sql_creates_the_role_and_each_service_database():
    sql = postgres.create_databases_sql()
    assert "CREATE ROLE tuiju LOGIN CREATEDB PASSWORD ''tuiju''" in sql
    for name in ("tuiju_intake", "tuiju_review", "tuiju_notify", "tuiju_archive"):
        assert f"'{name}'" in sql
    assert sql.count("\\gexec") == 2
    assert "GRANT pg_signal_backend TO tuiju;" in sql


def test_create_databases_sql_waits_its_turn_before_anything_else():
    first, *rest = postgres.create_databases_sql().splitlines()
    assert first == f"SELECT pg_advisory_lock({postgres.SETUP_LOCK});"
    assert not any("unlock" in line for line in rest)  # released when the session ends, after the last step


def test_create_databases_sql_for_one_more_database_names_only_it():
    sql = postgres.create_databases_sql(("tuiju_keycloak",))
    assert "ARRAY['tuiju_keycloak']" in sql


def test_postgres_socket_dir_moves_to_tmp_when_the_path_is_too_long():
    short = Layout(Path("/srv/tuiju/.devstack/test"))
    deep = Layout(Path("/" + "/".join(["very-long-folder-name"] * 6)))
    assert postgres.socket_dir(short) == short.root / "postgres-socket"
    assert postgres.socket_dir(deep).parent == Path("/tmp")
    assert postgres.socket_dir(deep) == postgres.socket_dir(deep)
