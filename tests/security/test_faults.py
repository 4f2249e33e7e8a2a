"""Faults: a database error in the middle of an import or an approval leaves no partial state, and a
dropped database connection is reported (a logged 500 with the Chinese error page) and recovered
from on the next request, never swallowed."""

import logging

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, OperationalError, close_old_connections, connection
from django.db.models.query import QuerySet
from django.test import Client
from django.urls import reverse
from simple_history.models import HistoricalRecords

from projects import services
from projects.choices import State
from projects.imports import Scope, apply_import, import_file
from projects.models import IndicatorValue, ProjectProgress

from .factories import make_empty_indicator, make_world
from .test_permission_matrix import fingerprint


@pytest.fixture
def world(db):
    w = make_world()
    w.empty = make_empty_indicator(w)
    return w


def fail_on_call(monkeypatch, owner, name, n, error=DatabaseError("injected: disk full")):
    """Make owner.name raise on its n-th call (1-based); the calls before go through."""
    real = getattr(owner, name)
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def csv_content(w) -> bytes:
    """An import that updates one draft value and creates another: several bulk writes."""
    return (
        "plan,indicator,year,value,source,note\n"
        f"{w.plan.code},{w.count.number},{w.year},130,统计局,\n"
        f"{w.plan.code},{w.empty.number},{w.year},150,统计局,\n"
    ).encode()


def csv_import(w):
    plan = import_file(csv_content(w), "values.csv", user=w.official, scope=Scope(w.plan, w.year, w.org))
    assert plan.errors == [] and len(plan.changes) == 2
    return plan


# -- imports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_a_database_error_in_the_middle_of_an_import_writes_nothing(world, monkeypatch, failing_call):
    """apply_import bulk-writes the updated values' history, the new values and their history; a
    failure at any of these steps rolls back all of them."""
    plan = csv_import(world)
    before = fingerprint()
    calls = fail_on_call(monkeypatch, QuerySet, "bulk_create", failing_call)
    with pytest.raises(DatabaseError, match="injected"):
        apply_import(plan, user=world.official)
    assert calls["n"] == failing_call
    assert fingerprint() == before


def test_a_database_error_during_an_import_confirmation_shows_the_500_page_and_writes_nothing(
    world, monkeypatch, settings, tmp_path, caplog
):
    settings.MEDIA_ROOT = tmp_path
    client = Client(raise_request_exception=False)
    client.force_login(world.official)
    upload_url = reverse("excel:upload", args=[world.plan.code, world.year, world.org.pk])
    upload = SimpleUploadedFile("values.csv", csv_content(world))
    response = client.post(upload_url, {"file": upload, "state": State.DRAFT})
    assert response.status_code == 302
    preview_url = response["Location"]
    assert client.get(preview_url).status_code == 200
    before = fingerprint()
    fail_on_call(monkeypatch, QuerySet, "bulk_create", 2)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(preview_url + "confirm/", {"action": "confirm"})
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode() and "本次操作没有保存" in response.content.decode()
    assert fingerprint() == before
    assert any("injected" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


# -- approvals ----------------------------------------------------------------------------------------


def test_a_database_error_while_writing_history_rolls_the_approval_back(world, monkeypatch):
    """The approval and its history record are one write: no approved value without its audit trail."""
    before = fingerprint()
    fail_on_call(monkeypatch, HistoricalRecords, "create_historical_record", 1)
    with pytest.raises(DatabaseError, match="injected"):
        services.value_approve(world.reviewer, world.submitted_value, expected_version=1)
    assert fingerprint() == before
    value = IndicatorValue.objects.get(pk=world.submitted_value.pk)
    assert (value.state, value.version, value.reviewed_by) == (State.SUBMITTED, 1, None)


def test_a_database_error_during_bulk_approval_keeps_each_approval_whole_and_is_reported(
    world, monkeypatch, caplog
):
    """The review queue approves each record on its own. When the second write fails, the first
    approval stands complete with its history, the second record is untouched, and the reviewer
    gets the 500 page instead of a success message."""
    client = Client(raise_request_exception=False)
    client.force_login(world.reviewer)
    progress = world.submitted_progress
    fail_on_call(monkeypatch, HistoricalRecords, "create_historical_record", 2)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(
            reverse("projects:review_queue"),
            {
                "values": [world.submitted_value.pk],
                f"version-v{world.submitted_value.pk}": 1,
                "progress": [progress.pk],
                f"version-p{progress.pk}": 1,
            },
        )
    assert response.status_code == 500
    value = IndicatorValue.objects.get(pk=world.submitted_value.pk)
    assert (value.state, value.version) == (State.APPROVED, 2)
    assert value.history.first().history_change_reason == "审核通过"
    progress.refresh_from_db()
    assert (progress.state, progress.version, progress.history.count()) == (State.SUBMITTED, 1, 1)
    assert any(record.levelno == logging.ERROR for record in caplog.records)


# -- dropped connections -------------------------------------------------------------------------------


def terminate_own_backend():
    """Kill this test's database session from another connection, as a failover or restart would."""
    pid = connection.cursor().connection.info.backend_pid
    s = connection.settings_dict
    other = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"]
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("select pg_terminate_backend(%s)", [pid])
    other.close()


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_request_is_reported_not_swallowed(monkeypatch, caplog):
    world = make_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.reviewer)
    real_approve = services.value_approve

    def approve_after_the_connection_dies(*args, **kwargs):
        terminate_own_backend()
        return real_approve(*args, **kwargs)

    monkeypatch.setattr(services, "value_approve", approve_after_the_connection_dies)
    url = reverse("projects:value_approve", args=[world.submitted_value.pk])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(url, {"version": 1})
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
    assert any(
        isinstance(record.exc_info[1], OperationalError) for record in caplog.records if record.exc_info
    )
    connection.close()  # what the request_finished signal does for a broken connection
    value = IndicatorValue.objects.get(pk=world.submitted_value.pk)
    assert (value.state, value.version) == (State.SUBMITTED, 1)


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_between_requests_is_replaced_by_the_health_check(monkeypatch):
    """With persistent connections (CONN_MAX_AGE) production checks a connection's health before
    reusing it (CONN_HEALTH_CHECKS, config/settings/base.py), so the next request reconnects."""
    world = make_world()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    connection.ensure_connection()  # a persistent connection with health checks, as in production
    terminate_own_backend()
    close_old_connections()  # what Django does when a request starts: the next query checks health
    client = Client()
    client.force_login(world.reviewer)
    response = client.post(reverse("projects:value_approve", args=[world.submitted_value.pk]), {"version": 1})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(pk=world.submitted_value.pk).state == State.APPROVED


def test_production_settings_turn_on_connection_health_checks():
    from config.settings import base

    assert base.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_progress_records_are_left_alone_by_a_failed_value_import(world, monkeypatch):
    before = list(ProjectProgress.objects.values())
    plan = csv_import(world)
    fail_on_call(monkeypatch, QuerySet, "bulk_create", 3)
    with pytest.raises(DatabaseError):
        apply_import(plan, user=world.official)
    assert list(ProjectProgress.objects.values()) == before
