"""Production: every secret and host name from the environment, PostgreSQL only, HTTPS everywhere.

Required environment variables (the process refuses to start without them):

    SECRET_KEY       at least 50 random characters
    ALLOWED_HOSTS    comma-separated host names, e.g. "guihua.example.gov.cn"
    DATABASE_URL     postgres://user:password@host:5432/guihua

Optional ones are listed in README.md, section Deploying (SECURE_SSL_REDIRECT, SESSION_ENGINE, CACHE_URL,
DATABASE_REPLICA_URL, CONN_MAX_AGE, LOG_LEVEL, CSRF_TRUSTED_ORIGINS, HSTS_SECONDS).
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, STORAGES, env_bool, env_list

POSTGRES_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}


def required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"环境变量 {name} 未设置 / {name} is not set: {hint} (see README.md, section Deploying)"
        )
    return value


def postgres_database(name: str, url: str) -> dict:
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if config.get("ENGINE") not in POSTGRES_ENGINES:
        raise ImproperlyConfigured(
            f"{name} 必须指向 PostgreSQL / {name} must point to PostgreSQL (postgres://…); "
            f"got engine {config.get('ENGINE')!r}. SQLite and other databases are for development only."
        )
    return config


DEBUG = False
SECRET_KEY = required(
    "SECRET_KEY", "a long random string, e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    required("ALLOWED_HOSTS", "the host names users type in the browser, comma-separated")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": postgres_database(
        "DATABASE_URL", required("DATABASE_URL", "postgres://user:password@host:5432/guihua")
    )
}
# Optional streaming replica for the read-only report pages (config/routers.py). Without it
# everything reads and writes the primary.
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = postgres_database(
        "DATABASE_REPLICA_URL", os.environ["DATABASE_REPLICA_URL"].strip()
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.ReportsReplicaRouter"]
    # Right after the security and static-file middleware, before anything reads the database.
    MIDDLEWARE = [*MIDDLEWARE[:2], "config.routers.ReportsReplicaMiddleware", *MIDDLEWARE[2:]]

# HTTPS. TLS ends at the reverse proxy (nginx), which must set X-Forwarded-Proto.
# nginx in front appends the client address to X-Forwarded-For (README.md, section Deploying).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))  # one working day
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Sessions: in PostgreSQL, so any app server can serve any request; with a shared cache (CACHE_URL=
# redis://…) read through it by default (cached_db: written to both, read from the cache, so every
# request no longer costs a session query). SESSION_ENGINE=db, cache or cached_db chooses explicitly.
SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
_session_engine = os.environ.get("SESSION_ENGINE", "").strip() or ("cached_db" if CACHE_URL else "db")
SESSION_ENGINE = SESSION_ENGINES.get(_session_engine, _session_engine)
if CACHE_URL:
    _cache_backends = {
        "redis": "django.core.cache.backends.redis.RedisCache",
        "rediss": "django.core.cache.backends.redis.RedisCache",
        "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    }
    _scheme = CACHE_URL.split("://", 1)[0]
    if _scheme not in _cache_backends:
        raise ImproperlyConfigured(
            f"CACHE_URL 只支持 redis:// 或 memcached:// / unsupported CACHE_URL scheme {_scheme!r}"
        )
    _location = CACHE_URL.replace("memcached://", "", 1) if _scheme == "memcached" else CACHE_URL
    CACHES = {"default": {"BACKEND": _cache_backends[_scheme], "LOCATION": _location}}
elif "cache" in SESSION_ENGINE.rsplit(".", 1)[-1]:
    # A per-process memory cache would log users out whenever another worker answers.
    required("CACHE_URL", "a shared cache (redis://host:6379/0) is needed when sessions live in the cache")

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Everything to stdout/stderr; the process manager (systemd, docker) collects and rotates it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Unhandled exceptions (the 500 page) and refused requests are logged with their traceback.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
