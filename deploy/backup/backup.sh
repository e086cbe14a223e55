#!/usr/bin/env bash
# Take a pgBackRest backup (full or diff) and write its age for Prometheus: node_exporter's
# textfile collector reads smarterchat_backup_last_success_timestamp_seconds from
# $SMARTERCHAT_BACKUP_METRICS (the SmarterChatBackupTooOld alert watches it).
#   backup.sh full|diff     environment: PGBACKREST_STANZA (smarterchat), PGBACKREST_CONFIG
set -euo pipefail
type="${1:?usage: backup.sh full|diff}"
case "$type" in full|diff) ;; *) echo "backup.sh: type must be full or diff, not '$type'" >&2; exit 2;; esac
stanza="${PGBACKREST_STANZA:-smarterchat}"
metrics="${SMARTERCHAT_BACKUP_METRICS:-/var/lib/prometheus/node-exporter/smarterchat_backup.prom}"

pgbackrest --stanza="$stanza" --type="$type" backup

# The newest backup of each type, as pgBackRest itself records it.
pgbackrest --stanza="$stanza" --output=json info | python3 -c '
import json, sys
info = json.load(sys.stdin)[0]
latest = {}
for backup in info["backup"]:
    if backup.get("error"):
        continue
    latest[backup["type"]] = max(latest.get(backup["type"], 0), backup["timestamp"]["stop"])
print("# HELP smarterchat_backup_last_success_timestamp_seconds When the newest good backup of each type finished.")
print("# TYPE smarterchat_backup_last_success_timestamp_seconds gauge")
for kind, stop in sorted(latest.items()):
    print(f"smarterchat_backup_last_success_timestamp_seconds{{type=\"{kind}\"}} {stop}")
' > "$metrics.tmp"
mv "$metrics.tmp" "$metrics"  # one rename: the collector never reads half a file
echo "backup.sh: $type backup done; metrics in $metrics"
