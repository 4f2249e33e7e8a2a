"""The small-scale benchmark runs end to end (figures printed, not asserted), so benchmarks do not rot.

It runs in its own database (guihua_bench_ci, or <test database>_bench_ci), not the test database, and takes about a minute.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ["dashboard", "overview", "export_all", "import_100k", "entry_load"]


def _bench_url() -> str:
    """guihua_bench_ci beside the default test database; <name>_bench_ci beside any other, so two
    checkouts testing at once do not replace each other's benchmark data."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guihua")
    server, name = base.rsplit("/", 1)
    return f"{server}/{name}_bench_ci"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "postgres://").startswith("postgres"), reason="PostgreSQL only")
def test_bench_small_prints_every_figure(tmp_path):
    results = tmp_path / "RESULTS.md"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "GUIHUA_BENCH_RESULTS": str(results)}
    done = subprocess.run(
        [sys.executable, "manage.py", "bench", "--scale", "small", "--database-url", _bench_url(), "--duration", "5"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-3000:]
    assert any(line.startswith("store: ") for line in done.stdout.splitlines())
    for name in FIGURES:
        assert any(line.startswith(f"{name}: median_ms=") for line in done.stdout.splitlines()), name
        assert f"| {name} |" in results.read_text()  # the table is written where it was asked, not in the repository


def test_bench_refuses_sqlite():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "manage.py", "bench", "--database-url", "sqlite:///bench.sqlite3"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "PostgreSQL" in done.stderr
