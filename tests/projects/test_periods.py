"""Years within the plan's period (issue 14 §6), in the one write path: a year outside the period is
refused with a message naming the period, a plan without a period takes no values until it has one,
reporting-year rows exist only for years of the period, and a year that no smallint holds never
reaches the database."""
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services
from projects.choices import ProgressStatus, State
from projects.models import IndicatorValue, ProjectProgress, ReportingYear
from projects.periods import year_refusal

from .factories import make_indicator, make_plan, make_project

pytestmark = pytest.mark.django_db


def _save(world, year, indicator=None):
    return services.value_save(
        world.official, indicator or world.share, year, value=Decimal("1.8"), expected_version=0
    )


@pytest.fixture
def no_period(world):
    """A plan whose document states no years yet, with one of the organization's indicators and projects."""
    plan = make_plan("no-period", start_year=2021, end_year=2025, region=world.jizhou)
    plan.start_year = plan.end_year = plan.base_year = None
    plan.save()
    return plan, make_indicator(plan, world.org, 1, baseline_year=None, target_year=None), make_project(plan, world.org)


@pytest.mark.parametrize("year", [0, 1, 2020, 2026, 32767, 32768, 99999])
def test_it_refuses_a_year_outside_the_period_and_names_the_period(world, year):
    with pytest.raises(services.MonitoringError, match=f"规划期是 2021—2025，没有 {year} 年度"):
        _save(world, year)
    assert not IndicatorValue.objects.exists() and not ReportingYear.objects.exists()


def test_it_refuses_a_whole_batch_naming_the_row_outside_the_period(world):
    changes = [
        services.ValueChange(world.share, 2023, Decimal("1.8"), key=2),
        services.ValueChange(world.count, 2030, Decimal("120"), key=3),
    ]
    with pytest.raises(services.BatchError) as refused:
        services.values_write(world.official, changes, state=State.DRAFT)
    assert list(refused.value.errors) == [3] and "没有 2030 年度" in str(refused.value.errors[3])
    assert not IndicatorValue.objects.exists() and not ReportingYear.objects.exists()


def test_it_takes_no_values_or_progress_for_a_plan_without_a_period(world, no_period):
    plan, indicator, project = no_period
    for year in (0, 1, 2023):
        with pytest.raises(services.MonitoringError, match="尚未设定规划期（起止年份），设定后才能填报"):
            _save(world, year, indicator)
        with pytest.raises(services.MonitoringError, match="尚未设定规划期"):
            services.progress_save(world.official, project, year, status=ProgressStatus.IN_PROGRESS, expected_version=0)
        with pytest.raises(services.MonitoringError, match="尚未设定规划期"):
            services.year_lock(world.planner, plan, year)
    assert not (IndicatorValue.objects.exists() or ProjectProgress.objects.exists() or ReportingYear.objects.exists())
    plan.start_year, plan.end_year = 2021, 2025  # once it has a period, it takes values
    plan.save()
    assert _save(world, 2023, indicator).state == State.DRAFT
    assert list(ReportingYear.objects.values_list("plan__code", "year")) == [("no-period", 2023)]


def test_it_refuses_progress_and_year_locks_outside_the_period(world):
    with pytest.raises(services.MonitoringError, match="没有 2030 年度"):
        services.progress_save(world.official, world.project, 2030, status=ProgressStatus.IN_PROGRESS,
                               expected_version=0)
    for lock in (services.year_lock, services.year_unlock):
        with pytest.raises(services.MonitoringError, match="没有 40000 年度"):
            lock(world.planner, world.plan, 40000)
    assert not ReportingYear.objects.exists()


def test_it_answers_404_not_500_for_a_year_outside_the_period_in_a_url(client, world, no_period):
    client.force_login(world.planner)
    for year in (0, 2030, 40000):
        for url in (
            reverse("projects:value_entry", args=[world.plan.code, year, world.org.pk]),
            reverse("projects:completeness", args=[world.plan.code, year]),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("projects:year_lock", args=[world.plan.code, year])).status_code == 404
    assert client.get(reverse("projects:completeness", args=[no_period[0].code, 2023])).status_code == 404
    assert not ReportingYear.objects.exists()


def test_it_reads_the_period_as_the_plan_states_it(world):
    assert year_refusal(world.plan, 2021) == year_refusal(world.plan, 2025) == ""
    assert "规划期是 2021—2025" in year_refusal(world.plan, "2023")  # only whole numbers are years


def test_it_says_on_the_404_page_which_year_the_plan_does_not_have(client, world):
    client.force_login(world.planner)
    response = client.get(reverse("projects:completeness", args=[world.plan.code, 2030]))
    assert response.status_code == 404
    assert "该规划没有 2030 年度。" in response.content.decode()


def test_it_keeps_developer_lookup_messages_off_the_404_page(client, world):
    client.force_login(world.planner)
    response = client.get(reverse("projects:completeness", args=["no-such-plan", 2023]))
    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()
