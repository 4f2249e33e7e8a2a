"""The read-replica router sends only report reads to the replica, and only when one is configured."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from accounts.models import User
from config import routers
from indicators.models import Indicator
from projects.models import IndicatorValue


@pytest.fixture
def settings(monkeypatch):
    """The router reads only settings.DATABASES; a stand-in avoids overriding DATABASES for real."""
    fake = SimpleNamespace(DATABASES={"default": {}})
    monkeypatch.setattr(routers, "settings", fake)
    return fake


def route_during(path, method, model, settings, replica=True):
    if replica:
        settings.DATABASES = {"default": {}, "replica": {}}
    seen = {}

    def view(request):
        seen["read"] = routers.ReportsReplicaRouter().db_for_read(model)
        seen["write"] = routers.ReportsReplicaRouter().db_for_write(model)
        return None

    request = getattr(RequestFactory(), method.lower())(path)
    routers.ReportsReplicaMiddleware(view)(request)
    return seen


def test_it_reads_report_data_from_the_replica_on_report_pages(settings):
    assert route_during("/reports/plans/x/", "GET", IndicatorValue, settings) == {
        "read": "replica",
        "write": "default",
    }
    assert route_during("/data/plans.csv", "HEAD", Indicator, settings)["read"] == "replica"


def test_it_keeps_everything_else_on_the_primary(settings):
    assert route_during("/reports/", "POST", IndicatorValue, settings)["read"] is None
    assert route_during("/monitoring/", "GET", IndicatorValue, settings)["read"] is None
    assert route_during("/reports/", "GET", User, settings)["read"] is None  # sessions and users: primary


def test_it_does_nothing_without_a_replica(settings):
    assert route_during("/reports/", "GET", IndicatorValue, settings, replica=False)["read"] is None


def test_it_never_migrates_the_replica():
    router = routers.ReportsReplicaRouter()
    assert router.allow_migrate("default", "projects") is True
    assert router.allow_migrate("replica", "projects") is False


def test_it_forgets_the_mark_after_the_request(settings):
    route_during("/reports/", "GET", IndicatorValue, settings)
    assert routers.ReportsReplicaRouter().db_for_read(IndicatorValue) is None
