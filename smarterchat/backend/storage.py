"""Where media files live: a local folder by default, an S3-compatible bucket when configured.

Keys are content-addressed (``<organization>/<sha256[:2]>/<sha256><ext>``), so the same
bytes are stored once, and a key means the same file in either backend: moving from the
folder to a bucket is a copy of ``data_dir/media`` under the bucket's prefix.

The S3 backend imports boto3 only when it is first used, so the embedded set-up on a
laptop never needs it.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smarterchat.backend.config import get_settings
from smarterchat.backend.private_files import ensure_private_dir, write_private

_SEGMENT = re.compile(r"[A-Za-z0-9._+-]+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]+")


class StorageUnavailable(RuntimeError):
    """The store could not be written or read just now (network, credentials, full disk).

    Nothing was lost: the caller should try again later (the media task retries).
    A key that is not in the store raises FileNotFoundError instead.
    """


def save(organization_id: object, data: bytes, mime: str | None) -> str:
    """Store bytes under a content-addressed key and return the key."""
    ext = mimetypes.guess_extension((mime or "").split(";")[0].strip()) or ".bin"
    if not _EXTENSION.fullmatch(ext):
        ext = ".bin"
    digest = hashlib.sha256(data).hexdigest()
    key = f"{organization_id}/{digest[:2]}/{digest}{ext}"
    if not _is_safe(key):
        raise ValueError(f"not a valid organization id for a media key: {organization_id!r}")
    _backend().put(key, data, mime or "application/octet-stream")
    return key


def load(key: str) -> bytes:
    """The stored bytes; FileNotFoundError when the key is unknown or malformed."""
    if not _is_safe(key):
        raise FileNotFoundError(key)
    return _backend().get(key)


def delete(key: str) -> None:
    """Remove a stored file (a key that is already gone is fine). Keys are shared by equal
    bytes: the caller makes sure nothing else still names it."""
    if not _is_safe(key):
        raise FileNotFoundError(key)
    _backend().delete(key)


def url_for(key: str, expires: int = 3600) -> str | None:
    """A link a browser can fetch for ``expires`` seconds, or None when the app serves the file."""
    if not _is_safe(key):
        raise FileNotFoundError(key)
    return _backend().url(key, expires)


def _is_safe(key: str) -> bool:
    # Keys come back from the database and URLs: no absolute paths, no "..", no odd characters.
    parts = key.split("/")
    return len(key) <= 500 and all(
        _SEGMENT.fullmatch(part) and part not in (".", "..") for part in parts
    )


def _backend() -> _LocalStore | _S3Store:
    settings = get_settings()
    if settings.s3_bucket:
        secret = settings.s3_secret_access_key
        return _s3_store(_S3Config(
            bucket=settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url or None,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id or None,
            secret_access_key=secret.get_secret_value() if secret else None,
            prefix=settings.s3_prefix.strip("/"),
        ))
    return _LocalStore((settings.data_dir / "media").resolve())


class _LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:  # a symlink pointing out of the folder
            raise FileNotFoundError(key)
        return path

    def put(self, key: str, data: bytes, mime: str) -> None:
        path = self._path(key)
        if path.exists():
            return
        # A temporary name of its own, so two workers saving the same bytes never collide.
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            ensure_private_dir(path.parent)
            try:
                write_private(tmp, data)
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageUnavailable(f"cannot write media {key}: {exc}") from exc

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise FileNotFoundError(key) from None
        except OSError as exc:
            raise StorageUnavailable(f"cannot read media {key}: {exc}") from exc

    def url(self, key: str, expires: int) -> None:
        return None

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageUnavailable(f"cannot delete media {key}: {exc}") from exc


@dataclass(frozen=True)
class _S3Config:
    bucket: str
    endpoint_url: str | None
    region: str
    access_key_id: str | None
    secret_access_key: str | None = field(repr=False)
    prefix: str


@functools.lru_cache(maxsize=4)
def _s3_store(config: _S3Config) -> _S3Store:
    # One client per configuration: creating one costs tens of milliseconds, and clients are
    # thread-safe.
    return _S3Store(config)


class _S3Store:
    def __init__(self, config: _S3Config) -> None:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        # Connection, timeout and service errors; anything else is a bug of ours and surfaces as is.
        self.errors = (BotoCoreError, ClientError)
        self.bucket = config.bucket
        self.prefix = config.prefix + "/" if config.prefix else ""
        options: dict[str, Any] = {
            "signature_version": "s3v4",
            "connect_timeout": 5,
            "read_timeout": 30,
            "retries": {"mode": "standard", "max_attempts": 3},
        }
        if config.endpoint_url:
            # MinIO and most other S3-compatible servers want bucket names in the path, and
            # some reject the newer default checksums that only AWS is sure to accept.
            options |= {
                "s3": {"addressing_style": "path"},
                "request_checksum_calculation": "when_required",
                "response_checksum_validation": "when_required",
            }
        # A session of our own: boto3's default session is not safe to share between threads.
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=config.endpoint_url,
            region_name=config.region,
            aws_access_key_id=config.access_key_id,
            aws_secret_access_key=config.secret_access_key,
            config=Config(**options),
        )

    def put(self, key: str, data: bytes, mime: str) -> None:
        name = self.prefix + key
        try:
            self.client.head_object(Bucket=self.bucket, Key=name)
            return
        except self.errors as exc:
            # 403 is what AWS answers for a missing object without s3:ListBucket: try to write.
            if _error_code(exc) not in (*_MISSING, "403", "AccessDenied"):
                raise StorageUnavailable(f"cannot check media {key} in the bucket: {exc}") from exc
        try:
            self.client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentType=mime)
        except self.errors as exc:
            raise StorageUnavailable(f"cannot write media {key} to the bucket: {exc}") from exc

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            return bytes(response["Body"].read())  # boto3 is untyped
        except self.errors as exc:
            if _error_code(exc) in _MISSING:
                raise FileNotFoundError(key) from None
            raise StorageUnavailable(f"cannot read media {key} from the bucket: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)
        except self.errors as exc:
            raise StorageUnavailable(f"cannot delete media {key} from the bucket: {exc}") from exc

    def url(self, key: str, expires: int) -> str:
        # Signed locally, without a request: the link works only while the object exists.
        return str(self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.prefix + key},
            ExpiresIn=expires,
        ))


_MISSING = ("404", "NoSuchKey", "NotFound")


def _error_code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
