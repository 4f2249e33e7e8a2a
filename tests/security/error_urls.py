"""Test-only views that fail on purpose, to see what users get when something goes wrong."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def boom(request):
    raise RuntimeError("secret internals: /srv/guihua/config/settings/prod.py line 42")


def forbidden(request):
    raise PermissionDenied("2023 年度已锁定，如需修改请联系规划人员解锁。")


def db_down(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("__test__/boom/", boom),
    path("__test__/forbidden/", forbidden),
    path("__test__/db-down/", db_down),
    *app_urlpatterns,
]
