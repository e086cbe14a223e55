"""Backups with a point-in-time restore, for real: a PostgreSQL cluster of the test's own
(initdb on a spare port, in a temporary folder) archives WAL with deploy/backup's settings,
deploy/backup/backup.sh takes a full backup, rows are written before and after a moment T,
and deploy/backup/restore-drill.sh restores to T into a scratch cluster: exactly the rows
written before T are there. Prints the measured recovery point and recovery time."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.support import need

ROOT = Path(__file__).resolve().parent.parent
BACKUP = ROOT / "deploy" / "backup"
PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: run as its own user when we are root."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def render_pgbackrest(folder: Path, data: Path, port: int) -> Path:
    text = (BACKUP / "pgbackrest.conf").read_text()
    for old, new in (("repo1-path=/var/lib/pgbackrest", f"repo1-path={folder / 'repo'}"),
                     ("pg1-path=/var/lib/postgresql/15/main", f"pg1-path={data}"),
                     ("pg1-port=5432", f"pg1-port={port}\npg1-socket-path={folder}")):
        assert text.count(old) == 1, f"{old!r} is no longer in pgbackrest.conf"
        text = text.replace(old, new)
    text = text.replace("[global]\n", f"[global]\nlock-path={folder / 'lock'}\n"
                                      f"log-path={folder / 'log'}\n", 1)
    path = folder / "pgbackrest.conf"
    path.write_text(text)
    return path


@pytest.fixture
def cluster(request):
    need(request, bool(shutil.which("pgbackrest")), "pgbackrest (apt-get install pgbackrest)")
    need(request, bool(PG_BINS), "PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    bin_dir = PG_BINS[-1]
    folder = Path(tempfile.mkdtemp(prefix="sc-backup-"))
    data, port = folder / "data", free_port()
    for sub in ("repo", "lock", "log"):
        (folder / sub).mkdir()
    config = render_pgbackrest(folder, data, port)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        for path in folder.rglob("*"):
            shutil.chown(path, "postgres", "postgres")
    as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--no-sync"])
    archive = (BACKUP / "postgresql-archive.conf").read_text().replace(
        "pgbackrest --stanza=smarterchat", f"pgbackrest --config={config} --stanza=smarterchat")
    assert f"--config={config}" in archive
    with open(data / "postgresql.auto.conf", "a") as conf:
        conf.write(f"{archive}\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                   f"unix_socket_directories = '{folder}'\nfsync = off\n")
    as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "pg.log"), "-w",
                 "start"])
    env = {**os.environ, "PGBACKREST_CONFIG": str(config), "PGBACKREST_STANZA": "smarterchat",
           "PG_BIN": str(bin_dir), "SMARTERCHAT_BACKUP_METRICS": str(folder / "backup.prom")}
    drill = folder / "drill"
    try:
        yield {"folder": folder, "port": port, "env": env, "bin": bin_dir, "drill": drill,
               "url": f"postgresql://postgres@127.0.0.1:{port}/postgres"}
    finally:
        for pgdata in (drill, data):
            if (pgdata / "postmaster.pid").exists():
                with contextlib.suppress(AssertionError):
                    as_postgres([str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-m", "immediate",
                                 "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def test_a_point_in_time_restore_brings_back_exactly_the_rows_before_that_time(cluster):
    env = cluster["env"]
    as_postgres(["pgbackrest", "stanza-create"], env=env)
    as_postgres(["pgbackrest", "check"], env=env)
    with psycopg.connect(cluster["url"], autocommit=True) as conn:
        conn.execute("CREATE TABLE drill (id int PRIMARY KEY, written_at timestamptz NOT NULL "
                     "DEFAULT clock_timestamp())")
    backup = as_postgres([str(BACKUP / "backup.sh"), "full"], env=env)
    assert "full backup done" in backup.stdout
    metrics = (cluster["folder"] / "backup.prom").read_text()
    stamp = float(metrics.split('smarterchat_backup_last_success_timestamp_seconds{type="full"} ')
                  [1].split()[0])
    assert abs(stamp - time.time()) < 300, metrics

    with psycopg.connect(cluster["url"], autocommit=True) as conn:
        for i in range(1, 6):
            conn.execute("INSERT INTO drill (id) VALUES (%s)", (i,))
        time.sleep(1.1)
        target = conn.execute("SELECT clock_timestamp()").fetchone()[0]
        time.sleep(1.1)
        for i in range(6, 11):
            conn.execute("INSERT INTO drill (id) VALUES (%s)", (i,))
        last_commit = time.time()
        # What archive_timeout does once a minute in production, now: close the segment.
        wal = conn.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]
        deadline = time.monotonic() + 60
        while conn.execute("SELECT last_archived_wal FROM pg_stat_archiver").fetchone()[0] \
                is None or conn.execute(
                    "SELECT last_archived_wal < %s FROM pg_stat_archiver", (wal,)).fetchone()[0]:
            assert time.monotonic() < deadline, "the WAL segment was never archived"
            time.sleep(0.1)
        archived_after = time.time() - last_commit

    drill = as_postgres([str(BACKUP / "restore-drill.sh"), "--target", target.isoformat(sep=" "),
                         "--dir", str(cluster["drill"]), "--port", str(free_port()),
                         "--check", "SELECT string_agg(id::text, ',' ORDER BY id) FROM drill",
                         "--keep"], env=env)
    assert "check: 1,2,3,4,5\n" in drill.stdout, drill.stdout + drill.stderr
    recovery = next(line for line in drill.stdout.splitlines() if "recovery time" in line)
    print(f"\nrecovery point: restored to {target.isoformat()}; rows 1-5 (before it) back, "
          f"rows 6-10 (after it) absent; the newest commit reached the archive "
          f"{archived_after:.1f} s after it was made")
    print(f"recovery: {recovery}")

    # The drill never touched the source: all ten rows are still there.
    with psycopg.connect(cluster["url"]) as conn:
        assert conn.execute("SELECT count(*) FROM drill").fetchone()[0] == 10


def test_the_drill_refuses_a_folder_that_is_not_empty(cluster):
    cluster["drill"].mkdir()
    (cluster["drill"] / "PG_VERSION").write_text("15\n")
    refused = subprocess.run([str(BACKUP / "restore-drill.sh"), "--target", "2026-01-01",
                              "--dir", str(cluster["drill"]), "--port", "1"],
                             capture_output=True, text=True, env=cluster["env"], check=False)
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr
    assert (cluster["drill"] / "PG_VERSION").read_text() == "15\n"
