"""Plan pages render from a fixed number of queries, whatever the size of the plan."""
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Region
from indicators.models import Indicator
from plans.models import Plan, Section

pytestmark = pytest.mark.django_db


def make_plan(code, *, sections=3, indicators=3):
    region, _ = Region.objects.get_or_create(name="测试市", defaults={"level": "city"})
    plan = Plan.objects.create(code=code, title=f"{code} 规划", region=region, start_year=2021, end_year=2025)
    parent = None
    for position in range(sections):
        parent = Section.objects.create(
            plan=plan, parent=parent if position % 2 else None, kind="chapter", label=f"{position + 1}、",
            title=f"第{position + 1}章", body="正文", position=position,
        )
    for number in range(1, indicators + 1):
        Indicator.objects.create(
            plan=plan, number=number, name=f"指标{number}", unit="%", baseline_year=2020,
            baseline_value=Decimal("1.5"), target_year=2025, target_text="2", target_kind="at_least",
            target_value=Decimal("2"),
        )
    return plan


def test_it_lists_plans_with_counts_in_constant_queries(client, django_assert_max_num_queries):
    make_plan("small")
    with django_assert_max_num_queries(6):
        small = client.get(reverse("plans:plan_list"))
    for n in range(8):
        make_plan(f"more-{n}", sections=6, indicators=12)
    with django_assert_max_num_queries(6):
        large = client.get(reverse("plans:plan_list"))
    assert small.status_code == large.status_code == 200
    assert "more-0 规划" in large.content.decode()


def test_it_filters_plans_by_search_region_and_year(client):
    make_plan("alpha")
    old = make_plan("beta")
    old.start_year, old.end_year = 2011, 2015
    old.save()
    page = client.get(reverse("plans:plan_list"), {"year": 2013}).content.decode()
    assert "beta 规划" in page and "alpha 规划" not in page
    page = client.get(reverse("plans:plan_list"), {"q": "alpha"}).content.decode()
    assert "alpha 规划" in page and "beta 规划" not in page


def test_it_shows_a_plan_in_the_same_number_of_queries_whatever_its_size(client, django_assert_num_queries):
    small = make_plan("small", sections=2, indicators=2)
    large = make_plan("large", sections=30, indicators=25)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(plan.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert "第30章" in response.content.decode()


def test_it_shows_an_indicator_with_its_target_and_source(client):
    plan = make_plan("alpha")
    indicator = plan.indicators.get(number=1)
    indicator.source_quote = "到2025年，指标1达到2%。"
    indicator.save()
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "到2025年，指标1达到2%。" in page
    assert "预期性" in page


def test_it_returns_404_for_an_unknown_plan(client):
    assert client.get(reverse("plans:plan_detail", args=["nope"])).status_code == 404
