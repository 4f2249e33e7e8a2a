"""Saving the entry page costs a fixed number of queries, however many indicators it holds, and a
draft or a submission stores no assessment (the official assessment reads approved values only)."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.choices import State
from projects.models import IndicatorValue, ReportingYear
from reports.models import StoredAssessment

from .test_views import _plan_with_indicators

pytestmark = pytest.mark.django_db

# session, user, plan (with its year's lock flag), memberships (with the organization), indicators,
# values; then one transaction (a savepoint in tests): year lock, approved values (submitting), the
# version-checked update + history, and in a savepoint insert + history. The rows the page read are
# not read again.
SAVE_QUERIES = 16


def _post_every_row(client, plan, org, official, action: str) -> tuple[dict, str]:
    """The POST data and URL that save a new value into every row of the page."""
    client.force_login(official)
    url = reverse("projects:value_entry", args=[plan.code, 2023, org.pk])
    data = {"action": action}
    for value in IndicatorValue.objects.filter(indicator__plan=plan, year=2022):
        current = IndicatorValue.objects.filter(indicator_id=value.indicator_id, year=2023).first()
        data.update({f"v{value.indicator_id}-{k}": v for k, v in {
            "value": "1.75", "source": "统计公报", "vintage": "preliminary", "note": "",
            "version": current.version if current else 0,
        }.items()})  # fmt: skip
    return data, url


@pytest.mark.parametrize("action", ["save", "submit"])
def test_it_saves_a_page_of_3_or_12_indicators_in_the_same_few_queries(client, action, django_capture_on_commit_callbacks):
    counts = []
    for n in (3, 12):
        plan, org, official, _planner = _plan_with_indicators(n, f"queries-{action}-{n}")
        ReportingYear.objects.create(plan=plan, year=2023)  # as after the year's first save
        data, url = _post_every_row(client, plan, org, official, action)
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        written = IndicatorValue.objects.filter(indicator__plan=plan, year=2023)
        state = State.SUBMITTED if action == "submit" else None
        assert written.count() == n and all(v.value == Decimal("1.75") for v in written)
        assert state is None or all(v.state == state for v in written)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= SAVE_QUERIES, counts
    assert not StoredAssessment.objects.exists()  # nothing approved changed: nothing to re-assess


def test_it_says_the_year_was_locked_when_it_was_locked_after_the_page_checked(client, world, monkeypatch):
    from projects import services

    from .test_views import entry_data, entry_url

    services.year_lock(world.planner, world.plan, world.year)
    monkeypatch.setattr("projects.views.entry._locked", lambda scope: None)  # locked between check and write
    client.force_login(world.official)
    response = client.post(entry_url(world), entry_data(world, {world.share: {"value": "1.8"}}), follow=True)
    assert response.status_code == 200
    assert "规划人员或管理员解锁" in response.content.decode()
    assert not IndicatorValue.objects.exists()
