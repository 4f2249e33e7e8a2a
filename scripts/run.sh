#!/usr/bin/env bash
# Command 1: set everything up on SQLite, load the five seed plans, demo accounts and demo
# monitoring data (written as the system actors system:seed and system:demo, README "Commands"),
# and serve the app on http://127.0.0.1:8000/.
source "$(dirname "$0")/_env.sh"
ensure_venv
cd "$ROOT"
export DJANGO_SETTINGS_MODULE=config.settings.dev
PY="$VENV/bin/python"
"$PY" manage.py migrate --noinput
"$PY" manage.py load_seed_plans --user system:seed
"$PY" manage.py create_demo_accounts --user system:demo
if "$PY" manage.py help load_demo_values >/dev/null 2>&1; then
  "$PY" manage.py load_demo_values --user system:demo
fi
"$PY" manage.py collectstatic --noinput --verbosity 0
# WhiteNoise serves the collected, compressed files (config/settings/dev.py), not runserver.
WHITENOISE_USE_FINDERS=false exec "$PY" manage.py runserver --nostatic "${HOST:-127.0.0.1}:${PORT:-8000}"
