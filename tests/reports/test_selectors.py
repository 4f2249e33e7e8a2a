"""The report selectors: approved-only by default, preliminary on request, constant queries."""

from decimal import Decimal

import pytest

from reports.assessment import Verdict, assess
from reports.selectors import (
    indicator_input,
    latest_year_with_data,
    plan_report,
    plan_reports,
    task_report,
    verdict_matrix,
)
from reports.services import assessments_refresh
from reports.summaries import verdict_counts

from . import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def jizhou():
    """Baseline 2.1 (2020), target 2.5 (2025): the method's worked example shifted to a 14th-FYP plan."""
    plan = f.plan("jizhou-test", start=2021, end=2025, base=2020)
    ind = f.indicator(plan, 1, baseline="2.1", target="2.5")
    f.value(ind, 2021, "2.15")
    f.value(ind, 2022, "2.2")
    f.value(ind, 2023, "2.4", state="submitted")
    return plan, ind


def test_it_counts_only_approved_values_by_default(jizhou):
    plan, ind = jizhou
    report = plan_report(plan)
    row = report.rows[0]
    assert report.year == 2022
    assert row.values == {2021: D("2.15"), 2022: D("2.2")}
    assert row.preliminary_years == frozenset()
    expected = assess(indicator_input(ind, {2021: D("2.15"), 2022: D("2.2")}), 2022, D("0.05"))
    assert row.assessment == expected
    assert report.include_unapproved is False


def test_it_adds_unapproved_values_as_preliminary_on_request(jizhou):
    plan, _ = jizhou
    report = plan_report(plan, include_unapproved=True)
    row = report.rows[0]
    assert report.year == 2023
    assert row.values[2023] == D("2.4")
    assert row.preliminary_years == frozenset({2023})
    assert row.is_preliminary
    assert row.approved_values() == {2021: D("2.15"), 2022: D("2.2")}
    assert report.completeness == D(0)  # the 2023 value is not approved


def test_it_never_counts_returned_values(jizhou):
    plan, ind = jizhou
    f.value(ind, 2024, "9", state="returned")
    assert 2024 not in plan_report(plan, include_unapproved=True).rows[0].values


def test_it_counts_verdicts_warnings_and_completeness():
    plan = f.plan("counts", start=2021, end=2025, base=2020)
    behind = f.indicator(plan, 1, baseline="2.0", target="3.0", attribute="binding")
    done = f.indicator(plan, 2, baseline="2.0", target="3.0")
    f.indicator(plan, 3, baseline="2.0", target="3.0")  # no data
    f.value(behind, 2023, "2.1")
    f.value(done, 2023, "3.2")
    report = plan_report(plan, 2023)
    assert set(report.counts) == {v.value for v in Verdict}
    assert report.counts["behind"] == 1 and report.counts["achieved"] == 1 and report.counts["no_data"] == 1
    assert sum(report.counts.values()) == 3
    assert report.warnings == 1
    assert report.completeness == D(2) / D(3)


def test_it_defaults_to_the_plan_start_year_without_data():
    plan = f.plan("empty", start=2021, end=2025)
    f.indicator(plan, 1)
    report = plan_report(plan)
    assert report.year == 2021
    assert report.counts["no_data"] == 1
    assert report.years == [2021, 2022, 2023, 2024, 2025]


def test_it_finds_the_latest_year_with_data_inside_the_period(jizhou):
    plan, ind = jizhou
    f.value(ind, 2020, "2.1")  # the baseline year is not a reporting year
    assert latest_year_with_data(plan) == 2022
    assert latest_year_with_data(plan, include_unapproved=True) == 2023


def test_it_flags_demo_data(jizhou):
    plan, ind = jizhou
    assert plan_report(plan).has_demo is False
    f.value(ind, 2024, "2.45", is_demo=True)
    assert plan_report(plan).has_demo is True


def test_it_assesses_the_heatmap_years(jizhou):
    plan, ind = jizhou
    report = plan_report(plan)
    matrix = verdict_matrix(report)
    assert list(matrix[ind.pk]) == [2021, 2022]
    assert matrix[ind.pk][2022] == report.rows[0].assessment


def test_it_builds_a_plan_report_in_the_same_number_of_queries_whatever_its_size(django_assert_num_queries):
    small = f.plan_with_data("small", 3, [2021, 2022])
    large = f.plan_with_data("large", 12, [2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028])
    with django_assert_num_queries(2):
        assert len(plan_report(small).rows) == 3
    with django_assert_num_queries(2):
        assert len(plan_report(large, include_unapproved=True).rows) == 12


def test_it_reports_many_plans_in_a_constant_number_of_queries_per_batch(django_assert_num_queries):
    plans = [f.plan_with_data(f"p{i}", 1 + i % 4, [2021, 2022, 2023][: 1 + i % 3]) for i in range(7)]
    # two batches of up to 4 plans: indicators, values, stored assessments; a reader never writes
    with django_assert_num_queries(6):
        reports = list(plan_reports(plans, None, batch_size=4))
    assert [r.plan.code for r in reports] == [p.code for p in plans]
    assert [len(r.rows) for r in reports] == [1 + i % 4 for i in range(7)]
    assessments_refresh()
    with django_assert_num_queries(6):  # the same, reading the stored rows now
        again = list(plan_reports(plans, None, batch_size=4))
    assert [r.counts for r in again] == [r.counts for r in reports]


def test_it_reports_plans_from_a_queryset(django_assert_max_num_queries):
    for i in range(3):
        f.plan_with_data(f"q{i}", 2, [2021, 2022])
    from plans.models import Plan

    # count, the stale ones' ids, them, their values (assessed live, never stored), the plans
    with django_assert_max_num_queries(5):
        counts = verdict_counts(Plan.objects.order_by("code"), 2022)
    assert len(counts) == 3
    assert all(sum(c.values()) == 2 for c in counts.values())
    assessments_refresh(years=[2022])
    with django_assert_max_num_queries(2):  # count (nothing stale), plans
        assert verdict_counts(Plan.objects.order_by("code"), 2022) == counts


def test_it_places_the_latest_approved_project_status_in_the_plan_tree():
    plan = f.plan("tasks")
    chapter = f.section(plan, 0, label="一、", title="重点任务")
    box = f.section(plan, 1, parent=chapter, label="专栏一", title="重大工程", kind="box", depth=1)
    f.section(plan, 2, label="二、", title="保障措施")  # no project: left out
    first = f.project(plan, "工程甲", section_obj=box)
    second = f.project(plan, "工程乙", section_obj=box, position=1)
    f.project(plan, "散项")
    f.progress(first, 2021, "in_progress")
    f.progress(first, 2022, "completed")
    f.progress(first, 2023, "delayed", state="submitted")  # not approved: ignored
    f.progress(second, 2023, "delayed")
    report = task_report(plan, 2022)
    assert [n.section.title for n in report.nodes] == ["重点任务"]
    node = report.nodes[0].children[0]
    assert [(p.name, s.status if s else None) for p, s in node.projects] == [
        ("工程甲", "completed"),
        ("工程乙", None),
    ]
    assert report.nodes[0].counts["completed"] == 1 and report.nodes[0].counts["unreported"] == 1
    assert report.counts == {
        "not_started": 0,
        "in_progress": 0,
        "completed": 1,
        "delayed": 0,
        "unreported": 2,
    }
    assert [p.name for p, _ in report.unplaced] == ["散项"]
    assert task_report(plan).year == 2023
