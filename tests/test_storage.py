"""Media storage: the local folder, and an S3-compatible bucket reached over the real protocol.

The bucket is moto's S3 server on a loopback port, configured through the same settings a
user sets to point the app at MinIO.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import uuid

import httpx
import pytest

from smarterchat.backend import storage
from smarterchat.backend.config import get_settings

ORG = uuid.UUID("00000000-0000-4000-8000-0000000000aa")
PHOTO = b"\x89PNG\r\n\x1a\n" + b"a customer's photo" * 100


def _use_settings(monkeypatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"SMARTERCHAT_{name.upper()}", value)
    get_settings.cache_clear()


@pytest.fixture
def local_media(tmp_path, monkeypatch):
    """The default backend, in a folder of this test's own."""
    _use_settings(monkeypatch, data_dir=str(tmp_path))
    yield tmp_path / "media"
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, monkeypatch):
    """An empty bucket, created as an operator would, and the app's settings pointed at it."""
    import boto3

    name = f"media-{uuid.uuid4().hex[:12]}"
    admin = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                         aws_access_key_id="operator", aws_secret_access_key="operator-secret")
    admin.create_bucket(Bucket=name)
    _use_settings(monkeypatch, s3_bucket=name, s3_endpoint_url=s3_server,
                  s3_access_key_id="smarterchat", s3_secret_access_key="smarterchat-secret",
                  s3_prefix="/tenant-media/")
    yield admin, name
    get_settings.cache_clear()
    storage._s3_store.cache_clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- local folder

def test_local_saves_and_loads_the_same_bytes(local_media):
    key = storage.save(ORG, PHOTO, "image/png")

    assert storage.load(key) == PHOTO
    assert key == f"{ORG}/{hashlib.sha256(PHOTO).hexdigest()[:2]}/{hashlib.sha256(PHOTO).hexdigest()}.png"
    assert storage.url_for(key) is None  # the app serves local files itself


def test_local_stores_the_same_bytes_once(local_media):
    first = storage.save(ORG, PHOTO, "image/png")
    second = storage.save(ORG, PHOTO, "image/png")

    assert first == second
    assert [p for p in local_media.rglob("*") if p.is_file()] == [local_media / first]


def test_local_refuses_keys_that_leave_the_media_folder(local_media):
    outside = local_media.parent / "outside.txt"
    outside.write_text("not media")
    (local_media / str(ORG)).mkdir(parents=True)
    (local_media / str(ORG) / "escape").symlink_to(local_media.parent)

    for key in ("../outside.txt", f"{ORG}/../../outside.txt", str(outside), "",
                f"{ORG}/escape/outside.txt"):
        with pytest.raises(FileNotFoundError):
            storage.load(key)


def test_local_missing_key_raises_file_not_found(local_media):
    with pytest.raises(FileNotFoundError):
        storage.load(f"{ORG}/00/{'0' * 64}.png")


def test_the_local_backend_never_imports_boto3(tmp_path):
    script = (
        "import sys; from smarterchat.backend import storage\n"
        "key = storage.save('org', b'x', 'text/plain'); assert storage.load(key) == b'x'\n"
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'boto3 imported'\n"
    )
    env = {"SMARTERCHAT_DATA_DIR": str(tmp_path), "SMARTERCHAT_ENV_FILE": "", "PATH": ""}

    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=60)

    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- S3-compatible bucket

def test_s3_saves_and_loads_the_same_bytes(bucket):
    key = storage.save(ORG, PHOTO, "image/png")

    assert storage.load(key) == PHOTO
    assert key.startswith(f"{ORG}/") and key.endswith(".png")


def test_s3_stores_the_same_bytes_once_under_the_prefix(bucket):
    admin, name = bucket

    first = storage.save(ORG, PHOTO, "image/png")
    second = storage.save(ORG, PHOTO, "image/png")

    listing = admin.list_objects_v2(Bucket=name)
    assert first == second
    assert [o["Key"] for o in listing.get("Contents", [])] == [f"tenant-media/{first}"]


def test_s3_objects_carry_their_content_type(bucket):
    admin, name = bucket

    key = storage.save(ORG, b"OggS voice note", "audio/ogg; codecs=opus")

    head = admin.head_object(Bucket=name, Key=f"tenant-media/{key}")
    assert head["ContentType"] == "audio/ogg; codecs=opus"


def test_s3_presigned_link_downloads_the_file(bucket):
    key = storage.save(ORG, PHOTO, "image/png")

    url = storage.url_for(key, expires=60)
    response = httpx.get(url)

    assert url.startswith(get_settings().s3_endpoint_url) and "X-Amz-Signature=" in url
    assert response.status_code == 200
    assert response.content == PHOTO
    assert response.headers["content-type"] == "image/png"
    assert httpx.get(url.split("?")[0]).status_code == 403  # the link grants access, not the bucket


def test_s3_missing_key_raises_file_not_found(bucket):
    with pytest.raises(FileNotFoundError):
        storage.load(f"{ORG}/00/{'0' * 64}.png")


def test_s3_refuses_keys_that_climb_out_of_the_prefix(bucket):
    admin, name = bucket
    admin.put_object(Bucket=name, Key="other-app/secret.png", Body=b"another app's file")

    for key in ("../other-app/secret.png", f"{ORG}/../../other-app/secret.png"):
        with pytest.raises(FileNotFoundError):
            storage.load(key)
        with pytest.raises(FileNotFoundError):
            storage.url_for(key)


def test_an_unreachable_store_raises_an_error_to_retry_on(bucket, monkeypatch):
    _use_settings(monkeypatch, s3_endpoint_url=f"http://127.0.0.1:{_free_port()}")

    with pytest.raises(storage.StorageUnavailable):
        storage.save(ORG, PHOTO, "image/png")
    with pytest.raises(storage.StorageUnavailable):
        storage.load(f"{ORG}/00/{'0' * 64}.png")
