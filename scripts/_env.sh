# Shared by run.sh and test.sh: find a Python (≥ 3.11; a newer one gets Django 6.x) and make the virtualenv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"

find_python() {
  local candidates=("${PYTHON:-}" python3.13 python3.12)
  candidates+=("$HOME"/.pyenv/versions/3.1[23]*/bin/python3)
  candidates+=(python3.11 python3)
  for cmd in "${candidates[@]}"; do
    [ -n "$cmd" ] || continue
    if "$cmd" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
      echo "$cmd"; return 0
    fi
  done
  echo "Python 3.11 or newer is required" >&2; return 1
}

ensure_venv() {
  local extras="${1:-}"
  if [ ! -x "$VENV/bin/python" ]; then
    "$(find_python)" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed$extras"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet "$ROOT$extras"
    touch "$stamp"
  fi
}
