#!/usr/bin/env bash
# Command 2: run the whole test suite against PostgreSQL (DATABASE_URL, default the local server).
source "$(dirname "$0")/_env.sh"
ensure_venv "[test,bench]"
cd "$ROOT"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/guihua}"
export DJANGO_SETTINGS_MODULE=config.settings.test

# Start the local PostgreSQL cluster if it is down (only when we target the local server).
if [[ "$DATABASE_URL" == *"127.0.0.1"* || "$DATABASE_URL" == *"localhost"* ]]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
    fi
  fi
fi
exec "$VENV/bin/python" -m pytest "$@"
