"""Settings of the benchmark processes (the figures and the gunicorn under load): production settings,
over plain http on 127.0.0.1 and pointed at the benchmark database (BENCH_DATABASE_URL).

Only what plain http on loopback needs is changed: no HTTPS redirect, cookies not marked Secure (a
client does not send a Secure cookie over http), no HSTS; static files without the collectstatic
manifest; quiet logs. Everything else, the middleware, the password hasher, the sessions, is
production's: benchmarks/load.py passes CACHE_URL (a local Redis) to the gunicorn it starts, as a
deployment with a shared cache sets it, so sessions are cached_db there.
"""
import os

_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guihua_bench")
os.environ["DATABASE_URL"] = _url
os.environ.pop("DATABASE_REPLICA_URL", None)
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings.prod import *  # noqa: E402,F401,F403
from config.settings.prod import STORAGES  # noqa: E402

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
