#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database.
#
#   createdb -O guihua guihua_restored          # on the database server, as a superuser
#   TARGET_DATABASE_URL=postgres://guihua:pw@host:5432/guihua_restored scripts/restore.sh FILE.dump
#
# TARGET_DATABASE_URL defaults to DATABASE_URL. The target must hold no tables: restoring over a live
# database is refused unless RESTORE_FORCE=1 (then objects in the dump are dropped and recreated).
# Afterwards run `manage.py migrate` (a no-op when the code matches the dump) and compare
# `manage.py assess CODE --json` with the old server's output.
set -euo pipefail

dump="${1:-}"
target="${TARGET_DATABASE_URL:-${DATABASE_URL:-}}"
if [ -z "$dump" ] || [ ! -f "$dump" ]; then
  echo "usage: TARGET_DATABASE_URL=postgres://… scripts/restore.sh FILE.dump" >&2
  exit 2
fi
if [ -z "$target" ]; then
  echo "restore.sh: TARGET_DATABASE_URL (or DATABASE_URL) is not set" >&2
  exit 2
fi
case "$target" in
  postgres://*|postgresql://*) ;;
  *) echo "restore.sh: the target must be a PostgreSQL URL" >&2; exit 2 ;;
esac

pg_restore --list "$dump" >/dev/null  # fail early on a damaged or foreign file

tables="$(psql "$target" -XAtq -c "select count(*) from pg_tables where schemaname = 'public'")"
if [ "$tables" != "0" ] && [ "${RESTORE_FORCE:-0}" != "1" ]; then
  echo "restore.sh: the target database already has $tables tables; restore into an empty database" >&2
  echo "            (or set RESTORE_FORCE=1 to drop and recreate the dumped objects)" >&2
  exit 3
fi

# One transaction: either the whole backup is restored or nothing is.
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$target" "$dump"
echo "restored $dump into the target database"
