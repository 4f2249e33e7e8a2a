#!/usr/bin/env bash
# Back up the Guihua database: a compressed pg_dump archive (custom format), checked after writing.
#
#   DATABASE_URL=postgres://user:pw@host:5432/guihua scripts/backup.sh [OUTFILE]
#
# OUTFILE defaults to ${BACKUP_DIR:-backups}/guihua-YYYYmmdd-HHMMSS.dump. Uploaded attachments live in
# MEDIA_ROOT, not in the database: copy that folder beside the dump (README.md, section Deploying).
set -euo pipefail

if [ -z "${DATABASE_URL:-}" ]; then
  echo "backup.sh: DATABASE_URL is not set (postgres://user:password@host:5432/guihua)" >&2
  exit 2
fi
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be a PostgreSQL URL" >&2; exit 2 ;;
esac

out="${1:-${BACKUP_DIR:-backups}/guihua-$(date +%Y%m%d-%H%M%S).dump}"
mkdir -p "$(dirname "$out")"
tmp="$out.partial"
trap 'rm -f "$tmp"' EXIT

# -Fc: compressed, restorable table by table, in any order; one consistent snapshot of the database.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$tmp" --dbname="$DATABASE_URL"
# A dump that pg_restore cannot read is not a backup.
pg_restore --list "$tmp" >/dev/null
mv "$tmp" "$out"
trap - EXIT
echo "$out"
