"""Optional read replica for the report pages.

When DATABASE_REPLICA_URL is set (config/settings/prod.py), GET and HEAD requests under
REPLICA_PATH_PREFIXES read the plan, indicator and monitoring tables from DATABASES["replica"];
everything else (every write, every other page, sessions, users, login throttling) uses the
primary. Without a replica configured neither class is installed and nothing changes.

A replica lags the primary by a moment, which is fine for dashboards and exports and is why
data-entry and review pages never read from it.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA_PATH_PREFIXES = ("/reports/", "/data/")
REPLICA_APPS = {"plans", "indicators", "projects", "reports"}

_read_from_replica: ContextVar[bool] = ContextVar("read_from_replica", default=False)


class ReportsReplicaMiddleware:
    """Marks read-only requests for report pages, so the router may send their reads to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        eligible = request.method in ("GET", "HEAD") and request.path_info.startswith(REPLICA_PATH_PREFIXES)
        token = _read_from_replica.set(eligible)
        try:
            return self.get_response(request)
        finally:
            _read_from_replica.reset(token)


class ReportsReplicaRouter:
    """Sends reads of the report data to "replica" during a marked request; everything else to the default."""

    def db_for_read(self, model, **hints):
        if (
            _read_from_replica.get()
            and model._meta.app_label in REPLICA_APPS
            and "replica" in settings.DATABASES
        ):
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: objects from both relate freely

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary; it is never migrated itself
