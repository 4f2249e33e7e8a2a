"""Issue 14 §7: the workbook of many plans stays open to anonymous visitors, but is written once
while its data is unchanged, one export at a time, and rate-limited per address and per user."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from indicators.models import Indicator
from indicators.services import indicators_changed
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue
from reports import downloads, opendata_views

URL = "/data/assessment.xlsx?year=2023"


@pytest.fixture
def counted(monkeypatch, settings, tmp_path):
    """Exports counted (each slowed down, so concurrent requests overlap)."""
    settings.GUIHUA_EXPORT_CACHE_DIR = str(tmp_path)
    runs = []
    real = opendata_views.write_plans_workbook

    def write(*args, **kwargs):
        runs.append(1)
        time.sleep(0.5)
        real(*args, **kwargs)

    monkeypatch.setattr(opendata_views, "write_plans_workbook", write)
    return runs


def make_plan():
    plan = Plan.objects.create(code="p1", title="规划一", start_year=2021, end_year=2025, base_year=2020)
    indicator = Indicator.objects.create(
        plan=plan, number=1, name="指标", unit="%", target_kind="at_least", target_value=Decimal("2")
    )
    IndicatorValue.objects.create(indicator=indicator, year=2023, value=Decimal("1.8"), state=State.APPROVED)
    return plan, indicator


@pytest.mark.django_db(transaction=True)
def test_it_starts_one_export_for_many_concurrent_anonymous_requests(counted):
    make_plan()
    statuses = []

    def fetch(address):
        try:
            response = Client(REMOTE_ADDR=address).get(URL)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            statuses.append((response.status_code, body[:2], response.get("Retry-After")))
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=fetch, args=(f"10.0.0.{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counted) == 1
    assert all(status == 200 and body == b"PK" or status == 503 and retry for status, body, retry in statuses)
    assert sum(1 for status, *_ in statuses if status == 200) >= 1


@pytest.mark.django_db
def test_it_serves_the_cached_file_until_the_data_changes(client, counted):
    plan, indicator = make_plan()
    first = client.get(URL)
    assert first.status_code == 200 and first["X-Guihua-Year"] == "2023"
    assert client.get(URL).status_code == 200
    assert len(counted) == 1
    IndicatorValue.objects.filter(indicator=indicator).update(value=Decimal("1.9"))
    indicators_changed([indicator.pk])
    assert client.get(URL).status_code == 200
    assert len(counted) == 2


@pytest.mark.django_db
def test_it_limits_the_rate_per_address_and_per_user_in_chinese(client, counted):
    make_plan()
    for _ in range(downloads.RATE_LIMIT):
        assert client.get(URL).status_code == 200
    refused = client.get(URL)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "下载过于频繁" in refused.content.decode()
    assert Client(REMOTE_ADDR="10.9.9.9").get(URL).status_code == 200  # another address is not limited


@pytest.mark.django_db
def test_it_limits_a_signed_in_user_whatever_the_address(counted):
    make_plan()
    user = User.objects.create_user("official", password="x")
    for i in range(downloads.RATE_LIMIT):
        client = Client(REMOTE_ADDR=f"10.1.0.{i}")
        client.force_login(user)
        assert client.get(URL).status_code == 200
    client = Client(REMOTE_ADDR="10.1.1.1")
    client.force_login(user)
    assert client.get(URL).status_code == 429


@pytest.mark.django_db
def test_it_limits_each_client_behind_the_proxy_by_its_own_address(counted, settings):
    """The proxy's address is everyone's: the rate counts the client's (accounts.addresses.client_ip),
    and a forged header sent straight to the app gains nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_plan()
    behind_proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(downloads.RATE_LIMIT):
        assert behind_proxy.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert behind_proxy.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert behind_proxy.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    direct = Client(REMOTE_ADDR="203.0.113.9")
    forged = [f"6.6.6.{n}" for n in range(downloads.RATE_LIMIT + 1)]
    assert [direct.get(URL, HTTP_X_FORWARDED_FOR=ip).status_code for ip in forged][-1] == 429
