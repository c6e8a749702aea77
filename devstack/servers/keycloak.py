"""Keycloak, the staff's identity provider (OpenID Connect), from Maven Central's distribution zip.

Built once for PostgreSQL into the shared cache; each profile runs it on its own PostgreSQL database
(`tuiju_keycloak`) and gets the realm of deploy/keycloak/ through the admin API, with the demo users and
loopback redirect URIs added (devstack_realm); the realm is imported again whenever that file changes.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import Dict, Mapping, Optional

from devstack.base import REPO, CommandFailed, DevstackError, Layout, cache_dir, ports_for, provision_log
from devstack.processes import cache_lock, http_status, run_logged, spawn
from devstack.provisioning import find_java_home
from devstack.server import Server
from devstack.servers import keycloak_snapshot, postgres

KEYCLOAK_VERSION = "26.7.3"
ARTIFACT = f"org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:zip"
BUILD_OPTIONS = ("--db=postgres", "--health-enabled=true")
JAVA_MINIMUM = 21
DATABASE = "tuiju_keycloak"
REALM = "tuiju"
REALM_FILE = REPO / "deploy" / "keycloak" / "tuiju-realm.json"
DEMO_USERS_FILE = REPO / "deploy" / "keycloak" / "demo-users.json"
SERVICES = ("intake", "review", "notify", "archive")
CLIENTS = (*SERVICES, "cli", "audit", "tools")
ADMIN_USER = "admin"
ADMIN_PASSWORD = "tuiju-dev-admin"  # the bootstrap admin of the master realm; loopback only, devstack only
DIGEST_ATTRIBUTE = "tuijuRealmDigest"
LOOPBACK_REDIRECTS = ["http://127.0.0.1:*", "http://localhost:*"]


def dev_client_secret(client: str) -> str:
    """The devstack's secret of a client; shared.config uses the same in dev and test."""
    return f"tuiju-dev-{client}-secret"


def base_url(profile: str) -> str:
    return f"http://127.0.0.1:{ports_for(profile)['keycloak']}"


def env(profile: str) -> Dict[str, str]:
    """What the services read; scripts and tests take tuiju-cli's secret from dev_client_secret("cli")."""
    return {
        "TUIJU_OIDC_ISSUER": f"{base_url(profile)}/realms/{REALM}",
        **{f"TUIJU_OIDC_SECRET_{service.upper()}": dev_client_secret(service) for service in SERVICES},
    }


# --- the realm: the repository's file, its placeholders filled, demo users and loopback redirects added ---

PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)(?::([^}]*))?\}")


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Keycloak's own `${NAME}` / `${NAME:default}` substitution of an imported realm file, done here."""
    def replace(match: "re.Match[str]") -> str:
        name, default = match.group(1), match.group(2)
        if name in values:
            return json.dumps(values[name])[1:-1]
        if default is not None:
            return default
        raise DevstackError(f"keycloak: the realm file names ${{{name}}}, which the devstack does not set")
    return PLACEHOLDER.sub(replace, text)


def devstack_realm(realm_text: str, users_text: str) -> dict:
    """The realm a profile runs: every client reachable from any loopback port, the demo users, a digest."""
    values = {f"TUIJU_OIDC_SECRET_{client.upper()}": dev_client_secret(client) for client in CLIENTS}
    values.update({f"TUIJU_{service.upper()}_URL": "http://127.0.0.1" for service in SERVICES})
    realm = json.loads(fill_placeholders(realm_text, values))
    for client in realm.get("clients", []):
        if client.get("standardFlowEnabled"):
            client["redirectUris"] = list(LOOPBACK_REDIRECTS)
            client["attributes"] = {**client.get("attributes", {}), "post.logout.redirect.uris": "+"}
    realm["users"] = realm.get("users", []) + json.loads(users_text)["users"]
    digest = hashlib.sha256((realm_text + users_text).encode()).hexdigest()
    realm["attributes"] = {**realm.get("attributes", {}), DIGEST_ATTRIBUTE: digest}
    return realm


# --- the admin API (standard library only) ---

def admin_request(profile: str, method: str, path: str, token: Optional[str] = None, body: Optional[dict] = None,
                  form: Optional[dict] = None, timeout: float = 60) -> tuple:
    """(status, parsed JSON or None) of one request to Keycloak; HTTP errors are answers, not exceptions."""
    data, headers = None, {}
    if form is not None:
        data, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    elif body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base_url(profile) + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    try:
        return status, json.loads(payload) if payload else None
    except ValueError:
        return status, None


def admin_token(profile: str) -> str:
    status, answer = admin_request(profile, "POST", "/realms/master/protocol/openid-connect/token", form={
        "grant_type": "password", "client_id": "admin-cli", "username": ADMIN_USER, "password": ADMIN_PASSWORD})
    if status != 200:
        raise DevstackError(f"keycloak: the devstack's admin cannot sign in (HTTP {status}): {answer}")
    return answer["access_token"]


def current_realm() -> dict:
    return devstack_realm(REALM_FILE.read_text(), DEMO_USERS_FILE.read_text())


def snapshot() -> Path:
    return keycloak_snapshot.snapshot_path(KEYCLOAK_VERSION, " ".join(BUILD_OPTIONS),
                                           current_realm()["attributes"][DIGEST_ATTRIBUTE])


def ensure_realm(profile: str, layout: Layout) -> None:
    """Import the realm when it is missing or the repository's realm changed since it was imported; then keep
    a snapshot of the database for the next fresh profile."""
    if import_realm_if_changed(profile):  # right after an import the database holds nothing else yet
        keycloak_snapshot.take(profile, DATABASE, snapshot())


def import_realm_if_changed(profile: str) -> bool:
    realm = current_realm()
    token = admin_token(profile)
    status, current = admin_request(profile, "GET", f"/admin/realms/{REALM}", token)
    if status == 200 and (current.get("attributes") or {}).get(DIGEST_ATTRIBUTE) == realm["attributes"][DIGEST_ATTRIBUTE]:
        return False
    if status == 200:
        admin_request(profile, "DELETE", f"/admin/realms/{REALM}", token)
    status, answer = admin_request(profile, "POST", "/admin/realms", token, body=realm, timeout=120)
    if status != 201:
        raise DevstackError(f"keycloak: importing realm {REALM} failed (HTTP {status}): {answer}")
    return True


# --- starting ---

def home() -> Path:
    return cache_dir() / f"keycloak-{KEYCLOAK_VERSION}"


def java_home() -> Path:
    found = find_java_home(JAVA_MINIMUM)
    if not found:
        raise DevstackError(f"keycloak: needs Java {JAVA_MINIMUM}+ (set JAVA_HOME, or install a JDK under /usr/lib/jvm)")
    return found


def answers(profile: str) -> bool:
    return http_status(ports_for(profile)["keycloak"], "/realms/master/.well-known/openid-configuration") == 200


def wait_for_postgres(profile: str, timeout: float = postgres.READY_TIMEOUT) -> None:
    """`up` starts every server at once: Keycloak needs its database first."""
    deadline = time.monotonic() + timeout
    while not postgres.answers(profile):
        if time.monotonic() > deadline:
            raise DevstackError(f"keycloak: PostgreSQL of profile {profile} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def start(profile: str, layout: Layout) -> subprocess.Popen:
    if not built():
        raise DevstackError(f"keycloak: not built in {home()}; run: devstack.py provision")
    wait_for_postgres(profile)
    postgres.ensure_databases(profile, layout, (DATABASE,))
    keycloak_snapshot.restore(profile, layout, DATABASE, snapshot())
    ports = ports_for(profile)
    server_env = dict(
        os.environ, JAVA_HOME=str(java_home()), JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m",
        KC_DB_URL=f"jdbc:postgresql://127.0.0.1:{ports['postgres']}/{DATABASE}",
        KC_DB_USERNAME=postgres.PG_ROLE, KC_DB_PASSWORD=postgres.PG_PASSWORD,
        KC_BOOTSTRAP_ADMIN_USERNAME=ADMIN_USER, KC_BOOTSTRAP_ADMIN_PASSWORD=ADMIN_PASSWORD,
        # A pooled connection is checked before use: after PostgreSQL restarts (the fault tests kill it),
        # Keycloak otherwise answers 500 until its background validation finds the dead connections.
        QUARKUS_DATASOURCE_JDBC_VALIDATE_ON_BORROW="true",
    )
    return spawn(layout, "keycloak", [
        "sh", str(home() / "bin" / "kc.sh"), "start", "--optimized", "--http-enabled=true",
        "--http-host=127.0.0.1", f"--http-port={ports['keycloak']}",
        f"--http-management-port={ports['keycloak_management']}", "--hostname-strict=false", "--cache=local",
    ], env=server_env)


# --- provisioning: fetch the zip (without its dependencies), unpack, build for PostgreSQL; under a lock ---

def built() -> bool:
    marker = home() / ".tuiju-build"
    return marker.exists() and marker.read_text().split() == list(BUILD_OPTIONS)


def provision() -> str:
    if built():
        return f"keycloak {KEYCLOAK_VERSION} present"
    with cache_lock("keycloak"):
        if built():
            return f"keycloak {KEYCLOAK_VERSION} present"
        started = time.monotonic()
        build(unpack(fetch_zip()))
        return f"keycloak {KEYCLOAK_VERSION} fetched and built ({time.monotonic() - started:.0f} s)"


def fetch_zip() -> Path:
    repository = cache_dir() / "m2"
    group, artifact, version, _ = ARTIFACT.split(":")
    zip_path = repository.joinpath(*group.split("."), artifact, version, f"{artifact}-{version}.zip")
    if zip_path.exists():
        return zip_path
    mvn = shutil.which("mvn")
    if not mvn:
        raise DevstackError("keycloak: Maven (mvn) is not installed; run as root: apt-get install -y maven")
    log = provision_log("keycloak")
    try:
        run_logged("keycloak", [mvn, "-q", "-B", "dependency:get", f"-Dmaven.repo.local={repository}",
                                f"-Dartifact={ARTIFACT}", "-Dtransitive=false"], log, cwd=cache_dir())
    except CommandFailed as failure:
        raise CommandFailed("keycloak", f"Maven Central could not be reached ({failure.reason})", log) from None
    return zip_path


def unpack(zip_path: Path) -> Path:
    """Unzip into a fresh folder beside the cache's, keeping the scripts executable."""
    partial = home().with_name(home().name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            target = Path(archive.extract(info, partial))
            mode = info.external_attr >> 16 & 0o777
            if mode and not info.is_dir():
                target.chmod(mode)
    (top,) = [folder for folder in partial.iterdir() if folder.is_dir()]
    return top


def build(unpacked: Path) -> None:
    run_logged("keycloak: kc.sh build", ["sh", str(unpacked / "bin" / "kc.sh"), "build", *BUILD_OPTIONS],
               provision_log("keycloak"), env=dict(os.environ, JAVA_HOME=str(java_home())), timeout=600)
    (unpacked / ".tuiju-build").write_text(" ".join(BUILD_OPTIONS) + "\n")
    if home().exists():
        shutil.rmtree(home())
    unpacked.rename(home())
    shutil.rmtree(unpacked.parent)


SERVER = Server(name="keycloak", ports=("keycloak", "keycloak_management"), marker="keycloak", ready_timeout=240.0,
                stop_grace=20.0, start=start, answers=answers, env=env, provision=provision, after_ready=ensure_realm)
