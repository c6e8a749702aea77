"""Backing up and restoring what Tuiju keeps: each service's PostgreSQL database (pg_dump, custom format)
and its two S3 buckets (uploads; the archive, each object with its COMPLIANCE retention), with a manifest
of every object's SHA-256.

    python -m ops.backup dump DIR                      # from the servers of the environment (TUIJU_*)
    python -m ops.backup restore DIR [--suffix -r1]    # into them (fresh servers, or new names beside)

Databases first, then buckets: a file is stored before the row naming it commits, so every file a dumped
row names is in the bucket copy taken after it. A restored archive object gets a new version id from the
S3 server; the restore points the archive's index (segments, dossiers, public records) at the new ones, so
`python -m services.archive.verify` passes on the restored copy."""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.config import Settings
from shared.db import SERVICES
from shared.storage import ObjectStore

BUCKETS = ("uploads", "archive")
# Where the archive's index names an object's version: (table, column).
ARCHIVE_VERSION_REFERENCES = (("segments", "segment_version"), ("segments", "manifest_version"),
                              ("dossiers", "version_id"), ("public_records", "version_id"))


def postgres_tool(name: str) -> str:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]
    if not found:
        raise SystemExit(f"{name} not found: install the PostgreSQL client tools")
    return found if isinstance(found, str) else found[0]


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def bucket_name(settings: Settings, role: str) -> str:
    return settings.uploads_bucket if role == "uploads" else settings.archive_bucket


def bucket_suffix(suffix: str) -> str:
    """Bucket names take no underscore: `_r1` names databases tuiju_intake_r1 and buckets tuiju-uploads-r1."""
    return suffix.replace("_", "-").lower()


def dump(folder: Path, env: dict | None = None) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "db").mkdir(exist_ok=True)
    for service in SERVICES:
        url = libpq_url(Settings.from_env(service, env).database_url)
        subprocess.run([postgres_tool("pg_dump"), "--format=custom", f"--file={folder / 'db' / service}.dump",
                        "--no-owner", "--no-privileges", f"--dbname={url}"], check=True)
    settings = Settings.from_env("archive", env)
    manifest = {"taken_at": datetime.now().astimezone().isoformat(), "buckets": {}}
    for role in BUCKETS:
        manifest["buckets"][role] = _dump_bucket(ObjectStore.from_settings(settings, bucket_name(settings, role)),
                                                 folder / "s3" / role)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def _dump_bucket(store: ObjectStore, folder: Path) -> list[dict]:
    entries = []
    for item in store.client.list_objects(store.bucket, recursive=True):
        data = store.get_version(item.object_name, None)
        path = folder / item.object_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        stat = store.client.stat_object(store.bucket, item.object_name)
        entries.append({"key": item.object_name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                        "content_type": stat.content_type, "version_id": stat.version_id,
                        "retain_until": _retain_until(store, item.object_name, stat.version_id)})
    return entries


def _retain_until(store: ObjectStore, key: str, version_id: str | None) -> str | None:
    try:
        retention = store.client.get_object_retention(store.bucket, key, version_id=version_id)
    except Exception:  # noqa: BLE001 - a bucket without object lock has no retention to keep
        return None
    return retention.retain_until_date.isoformat() if retention and retention.retain_until_date else None


def restore(folder: Path, env: dict | None = None, suffix: str = "") -> dict[str, str]:
    """Restore into the environment's servers; `suffix` names new databases and buckets beside the current
    ones. Returns the restored database URL of each service."""
    manifest = json.loads((folder / "manifest.json").read_text())
    urls = {service: _restore_database(service, folder / "db" / f"{service}.dump", env, suffix) for service in SERVICES}
    settings = Settings.from_env("archive", env)
    versions = {}
    for role in BUCKETS:
        store = ObjectStore.from_settings(settings, bucket_name(settings, role) + bucket_suffix(suffix))
        store.ensure_bucket(object_lock=role == "archive")
        versions[role] = _restore_bucket(store, folder / "s3" / role, manifest["buckets"][role])
    _repoint_archive_versions(urls["archive"], versions["archive"])
    return urls


def _restore_database(service: str, dump_file: Path, env: dict | None, suffix: str) -> str:
    url = make_url(Settings.from_env(service, env).database_url)
    target = url.set(database=url.database + suffix)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}).first():
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    rendered = target.render_as_string(hide_password=False)
    subprocess.run([postgres_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                    f"--dbname={libpq_url(rendered)}", str(dump_file)], check=True)
    return rendered


def _restore_bucket(store: ObjectStore, folder: Path, entries: list[dict]) -> dict[str, str]:
    """Put every object back, checked against its hash; returns old version id -> new one."""
    versions = {}
    for entry in entries:
        data = (folder / entry["key"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise SystemExit(f"backup damaged: {entry['key']} does not match its SHA-256")
        if entry["retain_until"]:
            stored = store.put_locked(entry["key"], data, content_type=entry["content_type"],
                                      retain_until=datetime.fromisoformat(entry["retain_until"]))
        else:
            stored = store.put_bytes(entry["key"], data, content_type=entry["content_type"])
        if entry["version_id"]:
            versions[entry["version_id"]] = stored.version_id
    return versions


def _repoint_archive_versions(archive_url: str, versions: dict[str, str]) -> None:
    engine = sa.create_engine(archive_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for table, column in ARCHIVE_VERSION_REFERENCES:
            for old, new in versions.items():
                conn.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"), {"new": new, "old": old})
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.backup", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("dump", "restore"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--suffix", default="", help="restore beside the current databases and buckets")
    args = parser.parse_args(argv)
    if args.action == "dump":
        manifest = dump(args.folder)
        print(f"backup in {args.folder}: {len(SERVICES)} databases, "
              + ", ".join(f"{role} {len(entries)} objects" for role, entries in manifest["buckets"].items()))
    else:
        for service, url in restore(args.folder, suffix=args.suffix).items():
            print(f"{service}: restored into {make_url(url).database}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
