"""Production settings: `check --deploy` is clean with the documented environment, and the process
refuses to start without it. Settings cannot be swapped in-process, so each case runs manage.py
in a subprocess with DJANGO_SETTINGS_MODULE=config.settings.prod."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# The variables README.md, section Deploying says production needs, with harmless values.
DEPLOY_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": "k3Jx9-vTq_2mZpL8rWc4Yb7nHd6Fs1Ga0Ue5Oi3Ky9Tq2Vw8Xz4Rn7Mp6Lb1Jc5Hd-prod",
    "ALLOWED_HOSTS": "guihua.example.gov.cn",
    "DATABASE_URL": "postgres://guihua:secret@db.internal:5432/guihua",
}
OPTIONAL = {
    "SECURE_SSL_REDIRECT",
    "SESSION_ENGINE",
    "CACHE_URL",
    "DATABASE_REPLICA_URL",
    "DEBUG",
    "HSTS_SECONDS",
}


def run_manage(*args, **overrides):
    # A production process starts from the documented variables, not from the test runner's
    # (browser tests switch Django's async-safety guard off in this process).
    env = {
        k: v for k, v in os.environ.items()
        if k not in OPTIONAL and k not in DEPLOY_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(DEPLOY_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def prod_setting(expression, **overrides):
    script = f"import django, json; django.setup(); from django.conf import settings; print(json.dumps({expression}))"
    result = run_manage("shell", "-c", script, **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_passes_check_deploy_with_the_documented_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_passes_check_deploy_with_a_replica_and_cache_sessions():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DATABASE_REPLICA_URL="postgres://guihua:secret@replica.internal:5432/guihua",
        SESSION_ENGINE="cached_db",
        CACHE_URL="redis://cache.internal:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_it_refuses_to_start_without_a_required_variable(name):
    result = run_manage("check", **{name: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} is not set" in result.stderr


@pytest.mark.parametrize("url", ["sqlite:////tmp/guihua.db", "mysql://u:p@db/guihua"])
def test_it_refuses_a_database_other_than_postgresql(url):
    result = run_manage("check", DATABASE_URL=url)
    assert result.returncode != 0
    assert "must point to PostgreSQL" in result.stderr


def test_it_refuses_cache_sessions_without_a_shared_cache():
    result = run_manage("check", SESSION_ENGINE="cache")
    assert result.returncode != 0
    assert "CACHE_URL is not set" in result.stderr


def test_it_turns_debug_off_even_when_the_environment_asks_for_it():
    settings = prod_setting(
        "dict(debug=settings.DEBUG, storage=settings.STORAGES['staticfiles']['BACKEND'],"
        " session=settings.SESSION_ENGINE, routers=settings.DATABASE_ROUTERS, hsts=settings.SECURE_HSTS_SECONDS)",
        DEBUG="true",
    )
    assert settings == {
        "debug": False,
        "storage": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "session": "django.contrib.sessions.backends.db",
        "routers": [],
        "hsts": 31536000,
    }


def test_it_adds_the_replica_only_when_configured():
    settings = prod_setting(
        "dict(dbs=sorted(settings.DATABASES), routers=settings.DATABASE_ROUTERS,"
        " mw='config.routers.ReportsReplicaMiddleware' in settings.MIDDLEWARE)",
        DATABASE_REPLICA_URL="postgres://guihua:secret@replica.internal:5432/guihua",
    )
    assert settings == {
        "dbs": ["default", "replica"],
        "routers": ["config.routers.ReportsReplicaRouter"],
        "mw": True,
    }


def test_it_reads_gunicorn_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(BASE_DIR / "config" / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["accesslog"] == "-"
    assert config["timeout"] > 30
    monkeypatch.delenv("GUNICORN_WORKERS")
    assert runpy.run_path(str(BASE_DIR / "config" / "gunicorn.conf.py"))["workers"] == os.cpu_count() * 2 + 1
