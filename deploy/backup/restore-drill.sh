#!/usr/bin/env bash
# Restore drill: restore the pgBackRest repository to a point in time into a scratch cluster,
# start it, wait for recovery to finish, run a check query, print how long it all took.
# Never touches the running database: the scratch cluster has its own folder and port, and
# never archives (so the drill's new timeline stays out of the repository).
#
#   restore-drill.sh --target '2026-12-03 13:40:00+00' --dir /srv/drill --port 5499 \
#                    [--check 'SELECT count(*) FROM message'] [--keep]
# Environment: PGBACKREST_STANZA (smarterchat), PGBACKREST_CONFIG, PG_BIN (newest installed).
# Run it as the user that owns PostgreSQL's files (postgres).
set -euo pipefail

target="" dir="" port="" check="" keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --target) target="$2"; shift 2;;
        --dir) dir="$2"; shift 2;;
        --port) port="$2"; shift 2;;
        --check) check="$2"; shift 2;;
        --keep) keep=1; shift;;
        *) echo "restore-drill.sh: unknown argument '$1'" >&2; exit 2;;
    esac
done
[ -n "$target" ] && [ -n "$dir" ] && [ -n "$port" ] || {
    echo "usage: restore-drill.sh --target TIME --dir SCRATCH --port PORT [--check SQL] [--keep]" >&2
    exit 2
}
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    echo "restore-drill.sh: $dir is not empty; the drill restores into an empty folder only" >&2
    exit 2
fi
stanza="${PGBACKREST_STANZA:-smarterchat}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"

started=$(date +%s.%N)
mkdir -p "$dir"
chmod 700 "$dir"
pgbackrest --stanza="$stanza" --pg1-path="$dir" --type=time --target="$target" \
    --target-action=promote --archive-mode=off restore
restored=$(date +%s.%N)

# A cluster backed up from a Debian install keeps postgresql.conf outside its data folder.
[ -f "$dir/postgresql.conf" ] || : > "$dir/postgresql.conf"
cat >> "$dir/postgresql.auto.conf" <<CONF
# restore drill: its own port and socket, nothing archived
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
archive_mode = off
CONF
"$PG_BIN/pg_ctl" -D "$dir" -l "$dir/drill.log" -w -t 3600 start >/dev/null
until [ "$("$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -XAtc 'SELECT pg_is_in_recovery()')" = "f" ]; do
    sleep 0.2
done
ready=$(date +%s.%N)

if [ -n "$check" ]; then
    echo "check: $("$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -XAtc "$check")"
fi
python3 - "$started" "$restored" "$ready" "$target" <<'PY'
import sys
started, restored, ready = map(float, sys.argv[1:4])
print(f"restored to {sys.argv[4]}: files {restored - started:.1f} s, "
      f"WAL replay and start {ready - restored:.1f} s, recovery time {ready - started:.1f} s")
PY
if [ -z "$keep" ]; then
    "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    echo "scratch cluster stopped; its files stay in $dir"
else
    echo "scratch cluster left running on port $port (stop: $PG_BIN/pg_ctl -D $dir stop)"
fi
