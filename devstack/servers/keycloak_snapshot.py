"""A fresh profile's Keycloak database from a snapshot: initialising Keycloak's schema, its master realm and
the tuiju realm takes a minute or two on a busy 2-core machine; restoring a dump of the database as it was
right after that takes seconds. The snapshot is cached per Keycloak version, build and realm (files), and
taken by the first profile that initialised them the slow way."""
from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Optional

from devstack.base import Layout, cache_dir
from devstack.processes import cache_lock
from devstack.servers import postgres


def snapshot_path(version: str, build: str, realm_digest: str) -> Path:
    build_digest = hashlib.sha256(build.encode()).hexdigest()[:8]
    return cache_dir() / "keycloak-snapshots" / f"{version}-{build_digest}-{realm_digest[:16]}.sql"


def _psql(profile: str, database: str, *args: str, input_path: Optional[Path] = None, timeout: float = 120):
    command = [str(postgres.bindir() / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", *args,
               postgres.url(profile, database)]
    with open(input_path, "rb") if input_path else open(os.devnull, "rb") as stdin:
        return subprocess.run(command, stdin=stdin, capture_output=True, text=True, timeout=timeout)


def database_is_empty(profile: str, database: str) -> bool:
    answer = _psql(profile, database, "-tAc", "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
    return answer.returncode == 0 and answer.stdout.strip() == "0"


def restore(profile: str, layout: Layout, database: str, snapshot: Path) -> bool:
    """Load the snapshot into the empty database; False (and the database emptied again) when it fails."""
    if not snapshot.exists() or not database_is_empty(profile, database):
        return False
    answer = _psql(profile, database, "-1", input_path=snapshot)
    if answer.returncode == 0:
        return True
    with open(layout.log("keycloak-snapshot"), "a") as log:
        log.write(f"restoring {snapshot} failed: {answer.stderr[-2000:]}\n")
    _psql(profile, database, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return False


def take(profile: str, database: str, snapshot: Path) -> None:
    """Dump the database (a consistent snapshot while Keycloak runs) unless another profile already did."""
    if snapshot.exists():
        return
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    with cache_lock("keycloak-snapshot"):
        if snapshot.exists():
            return
        partial = snapshot.with_suffix(".partial")
        answer = subprocess.run([str(postgres.bindir() / "pg_dump"), "--no-owner", "--no-privileges", "-f",
                                 str(partial), postgres.url(profile, database)], capture_output=True, text=True,
                                timeout=300)
        if answer.returncode == 0:
            partial.rename(snapshot)
        else:
            partial.unlink(missing_ok=True)
