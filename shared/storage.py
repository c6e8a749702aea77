"""ObjectStore: the one way the services reach S3 storage (MinIO in compose and Kubernetes, any S3
server elsewhere), through the MinIO Python client."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import BinaryIO, Iterator

from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.datatypes import PostPolicy
from minio.error import S3Error
from minio.retention import Retention

PART_SIZE = 10 * 1024 * 1024
DEFAULT_REGION = "us-east-1"  # MinIO's and Versity's unless told otherwise (TUIJU_S3_REGION)


class ObjectTooLarge(ValueError):
    def __init__(self, limit: int):
        super().__init__(f"文件超过大小上限 {limit // (1024 * 1024)} MB / file exceeds {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int
    content_type: str
    version_id: str | None = None


class _HashingReader(io.RawIOBase):
    """Reads through a stream, hashing and counting, and refuses to pass a size limit."""

    def __init__(self, stream: BinaryIO, limit: int | None):
        self.stream, self.limit = stream, limit
        self.digest, self.size = hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            raise ObjectTooLarge(self.limit)
        self.digest.update(chunk)
        return chunk


@dataclass(frozen=True)
class UploadForm:
    """A form a client POSTs one file with, straight to the S3 server: `url`, then `fields` (the key, the
    type and the signed policy), then the file last, as `file`."""
    url: str
    fields: dict[str, str]
    expires_at: datetime


@dataclass(frozen=True)
class BrowserEndpoint:
    """Where browsers reach the S3 server (TUIJU_S3_PUBLIC_ENDPOINT, else the processes' own endpoint)."""
    host: str
    secure: bool

    @property
    def origin(self) -> str:
        return f"{'https' if self.secure else 'http'}://{self.host}"


def browser_endpoint(settings) -> BrowserEndpoint:
    if settings.s3_public_endpoint:
        return BrowserEndpoint(settings.s3_public_endpoint, settings.s3_public_secure)
    return BrowserEndpoint(settings.s3_endpoint, settings.s3_secure)


def make_client(endpoint: str, access_key: str, secret_key: str, secure: bool = False,
                region: str | None = None) -> Minio:
    return Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region or None)


def browser_signer(settings) -> Minio | None:
    """A client that only signs links for the browsers' address (a signature covers the host, so a link signed
    for the internal one fails there); None when browsers use the processes' own endpoint. It is given the
    region because it cannot ask: the browsers' address may not be reachable from inside."""
    public = browser_endpoint(settings)
    if (public.host, public.secure) == (settings.s3_endpoint, settings.s3_secure):
        return None
    return make_client(public.host, settings.s3_access_key, settings.s3_secret_key, public.secure,
                       settings.s3_region or DEFAULT_REGION)


class ObjectStore:
    def __init__(self, client: Minio, bucket: str, signer: Minio | None = None):
        """`client` does the work; `signer` (the same client unless given) signs the links given to browsers."""
        self.client, self.bucket = client, bucket
        self.signer = signer or client

    @classmethod
    def from_settings(cls, settings, bucket: str | None = None) -> "ObjectStore":
        client = make_client(settings.s3_endpoint, settings.s3_access_key, settings.s3_secret_key, settings.s3_secure,
                             settings.s3_region)
        return cls(client, bucket or settings.uploads_bucket, browser_signer(settings))

    def ensure_bucket(self, *, versioned: bool = False, object_lock: bool = False) -> None:
        if self.client.bucket_exists(self.bucket):
            return
        try:
            self.client.make_bucket(self.bucket, object_lock=object_lock)
        except S3Error as error:
            if error.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise
        if versioned and not object_lock:
            from minio.versioningconfig import ENABLED, VersioningConfig

            self.client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))

    def answers(self) -> bool:
        self.client.bucket_exists(self.bucket)
        return True

    def put_stream(self, key: str, stream: BinaryIO, *, content_type: str, max_size: int | None = None,
                   metadata: dict | None = None) -> StoredObject:
        reader = _HashingReader(stream, max_size)
        self.client.put_object(self.bucket, key, reader, length=-1, part_size=PART_SIZE,
                               content_type=content_type, metadata=metadata)
        return StoredObject(key, reader.digest.hexdigest(), reader.size, content_type)

    def put_bytes(self, key: str, data: bytes, *, content_type: str, **options) -> StoredObject:
        result = self.client.put_object(self.bucket, key, io.BytesIO(data), length=len(data),
                                        content_type=content_type, **options)
        return StoredObject(key, hashlib.sha256(data).hexdigest(), len(data), content_type, result.version_id)

    def put_locked(self, key: str, data: bytes, *, content_type: str, retain_until: datetime) -> StoredObject:
        """Written once: a COMPLIANCE retention that no one can shorten or lift before `retain_until`
        (the bucket must have been made with object lock)."""
        return self.put_bytes(key, data, content_type=content_type, retention=Retention(COMPLIANCE, retain_until))

    def get_version(self, key: str, version_id: str | None, max_size: int | None = None) -> bytes:
        response = self.client.get_object(self.bucket, key, version_id=version_id)
        try:
            data = response.read(max_size + 1 if max_size else None)
            if max_size is not None and len(data) > max_size:
                raise ObjectTooLarge(max_size)
            return data
        finally:
            response.close()
            response.release_conn()

    def stream(self, key: str, chunk_size: int = 256 * 1024) -> Iterator[bytes]:
        """The object's bytes in chunks, never all at once."""
        response = self.client.get_object(self.bucket, key)
        try:
            yield from response.stream(chunk_size)
        finally:
            response.close()
            response.release_conn()

    def latest_version(self, key: str) -> str | None:
        """The version id a plain GET would read, or None when there is none (absent, or a delete marker
        on top). Listing versions is avoided: some servers date delete markers in a form the client cannot parse."""
        try:
            return self.client.stat_object(self.bucket, key).version_id
        except S3Error as error:
            if error.code in ("NoSuchKey", "NoSuchObject", "NotFound", "MethodNotAllowed", "NoSuchVersion"):
                return None
            raise

    def get_bytes(self, key: str, max_size: int | None = None) -> bytes:
        return self.get_version(key, None, max_size)

    def exists(self, key: str) -> bool:
        try:
            self.client.stat_object(self.bucket, key)
            return True
        except S3Error as error:
            if error.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return False
            raise

    def presigned_get(self, key: str, expires: timedelta = timedelta(minutes=5), filename: str | None = None) -> str:
        """A link for a browser: signed for the address browsers reach (BrowserEndpoint), valid `expires`."""
        headers = {"response-content-disposition": f'inline; filename="{filename}"'} if filename else None
        return self.signer.presigned_get_object(self.bucket, key, expires=expires, response_headers=headers)

    def upload_form(self, key: str, *, content_type: str, max_size: int, expires: timedelta) -> UploadForm:
        """A signed POST policy for this one key: the S3 server itself refuses another key, another type, an empty
        file or one over `max_size`, and the form once `expires` has passed."""
        expires_at = datetime.now(timezone.utc) + expires
        policy = PostPolicy(self.bucket, expires_at)
        policy.add_equals_condition("key", key)
        policy.add_equals_condition("Content-Type", content_type)
        policy.add_content_length_range_condition(1, max_size)
        fields = {"key": key, "Content-Type": content_type, **self.signer.presigned_post_policy(policy)}
        return UploadForm(f"{self._signer_origin()}/{self.bucket}", fields, expires_at)

    def _signer_origin(self) -> str:
        base = self.signer._base_url  # noqa: SLF001 - the client keeps its endpoint nowhere public
        return f"{'https' if base.is_https else 'http'}://{base.host}"

    def measure(self, key: str, max_size: int) -> StoredObject | None:
        """A stored object's size, type and SHA-256, read from the server (never from who stored it); None when
        there is no such object."""
        try:
            response = self.client.get_object(self.bucket, key)
        except S3Error as error:
            if error.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return None
            raise
        try:
            reader = _HashingReader(response, max_size)
            while reader.read(256 * 1024):
                pass
            content_type = response.headers.get("Content-Type", "application/octet-stream")
            return StoredObject(key, reader.digest.hexdigest(), reader.size, content_type)
        finally:
            response.close()
            response.release_conn()

    def remove(self, key: str) -> None:
        self.client.remove_object(self.bucket, key)

    def keys(self, prefix: str = "") -> Iterator[str]:
        for item in self.client.list_objects(self.bucket, prefix=prefix, recursive=True):
            yield item.object_name

    def keys_stored_before(self, prefix: str, before: datetime) -> Iterator[str]:
        """The keys under `prefix` whose object was last written before `before` (the S3 server's clock)."""
        for item in self.client.list_objects(self.bucket, prefix=prefix, recursive=True):
            if item.last_modified is not None and item.last_modified < before:
                yield item.object_name
