"""What the dossier and its public-record part are made from: a nomination's events from the archive's
log, copies of its files from the uploads bucket, and the ZIP that holds them."""
from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa
from minio.error import S3Error

from services.archive.adapters.orm import event_log
from services.archive.bootstrap import Archive
from shared.storage import ObjectStore

MAX_FILE = 50 * 1024 * 1024
# Named in a campaign-wide list (candidates, honourees): the id is a jsonpath variable, never spliced in.
LISTED = sa.literal_column("'$.*[*] ? (@.nomination_id == $id)'::jsonpath")


def events_of(archive: Archive, nomination_id: str) -> list[dict]:
    """Every event of the nomination, or naming it in a campaign-wide list, oldest first."""
    query = (sa.select(event_log.c.envelope)
             .where(sa.or_(event_log.c.key == nomination_id,
                           event_log.c.envelope["payload"]["nomination_id"].astext == nomination_id,
                           sa.func.jsonb_path_exists(event_log.c.envelope["payload"],
                                                     LISTED,
                                                     sa.func.jsonb_build_object("id", nomination_id))))
             .order_by(event_log.c.occurred_at, event_log.c.seq))
    with archive.engine.connect() as conn:
        return [row.envelope for row in conn.execute(query)]


def copy_file(uploads: ObjectStore, key: str) -> bytes | None:
    """The file's bytes, or None when storage no longer has it (the manifest then says so)."""
    try:
        return uploads.get_bytes(key, max_size=MAX_FILE)
    except S3Error:
        return None


def zip_of(entries: dict[str, bytes], manifest: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for path, data in sorted(entries.items()):
            package.writestr(path, data)
        package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return out.getvalue()
