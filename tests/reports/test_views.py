"""Report pages: what each persona sees, and queries that do not grow with the plan."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.assessment import Verdict
from reports.services import assessments_refresh

from . import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


def figures(html: str) -> dict[str, dict]:
    """The json_script figures of a page, by element id."""
    scripts = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S)
    return {element_id: json.loads(body) for element_id, body in scripts}


@pytest.fixture
def plan():
    plan = f.plan("jizhou-test", start=2021, end=2025, base=2020)
    ind = f.indicator(plan, 1, name="全社会R&D支出占地区生产总值比重", baseline="2.1", target="2.5")
    f.value(ind, 2021, "2.15")
    f.value(ind, 2022, "2.2")
    f.value(ind, 2023, "2.47", state="submitted")
    done = f.indicator(plan, 2, name="高新技术企业数", unit="家", baseline="100", target="150")
    f.value(done, 2022, "160")
    return plan


def dashboard(client, plan, **params):
    return client.get(reverse("reports:plan_dashboard", args=[plan.code]), params)


def test_it_shows_the_dashboard_with_counts_table_and_charts(client, plan):
    response = dashboard(client, plan)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["report"].year == 2022
    assert re.search(
        r'data-verdict="achieved">\s*<span class="count">1</span><span class="label">已完成', html
    )
    assert "全社会R&amp;D支出占地区生产总值比重" in html
    assert 'class="badge verdict-achieved"' in html
    figs = figures(html)
    assert {"chart-heatmap-data", f"chart-indicator-{plan.indicators.get(number=1).pk}-data"} <= set(figs)
    assert figs["chart-heatmap-data"]["data"][0]["type"] == "heatmap"
    assert "plotly/plotly.min.js" in html and "cdn" not in html.lower()
    assert 'name="preliminary"' not in html and "2.47" not in html  # no switch for a visitor


def test_it_shows_preliminary_values_marked_to_signed_in_users(client, plan):
    client.force_login(f.user(is_superuser=True))  # who else: tests/security/test_visibility.py
    response = dashboard(client, plan, preliminary="1")
    html = response.content.decode()
    assert response.context["report"].include_unapproved
    assert response.context["report"].year == 2023
    assert "banner-preliminary" in html
    assert 'class="tag preliminary-tag">初步' in html
    indicator_pk = plan.indicators.get(number=1).pk
    fig = figures(html)[f"chart-indicator-{indicator_pk}-data"]
    (hollow,) = [t for t in fig["data"] if t.get("meta") == "preliminary"]
    assert hollow["x"] == [2023] and hollow["marker"]["symbol"] == "circle-open"


def test_it_refuses_preliminary_values_to_anonymous_visitors_and_says_so(client, plan):
    response = dashboard(client, plan, preliminary="1")
    html = response.content.decode()
    assert not response.context["report"].include_unapproved
    assert "banner-notice" in html and "仅对登录用户显示" in html
    assert "2.47" not in html and "banner-preliminary" not in html


def test_it_flags_demo_data(client, plan):
    assert "banner-demo" not in dashboard(client, plan).content.decode()
    f.value(plan.indicators.get(number=2), 2021, "120", is_demo=True)
    assert "banner-demo" in dashboard(client, plan).content.decode()


def test_it_filters_rows_by_verdict_and_attribute(client, plan):
    response = dashboard(client, plan, verdict="achieved")
    assert [row.indicator.number for row in response.context["rows"]] == [2]
    response = dashboard(client, plan, attribute="binding")
    assert response.context["rows"] == []
    assert sum(response.context["report"].counts.values()) == 2  # the cards still count the whole plan


def test_it_exports_the_table(client, plan):
    response = dashboard(client, plan, _export="csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "序号" in text and "已完成" in text and "<span" not in text
    assert dashboard(client, plan, _export="xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_it_ignores_a_year_outside_the_period(client, plan):
    response = dashboard(client, plan, year="1999")
    assert response.context["report"].year == 2022
    assert "不在规划期内" in response.content.decode()
    assert dashboard(client, plan, year="2021").context["report"].year == 2021


def test_it_answers_404_for_an_unknown_plan(client):
    assert client.get(reverse("reports:plan_dashboard", args=["nope"])).status_code == 404


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context.captured_queries)


def test_it_shows_the_dashboard_in_the_same_number_of_queries_whatever_the_plan_size(client):
    f.plan_with_data("small", 3, [2021, 2022])
    f.plan_with_data("large", 12, [2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028])
    for persona in (None, f.user()):
        if persona:
            client.force_login(persona)
        params = {"preliminary": "1"} if persona else {}
        small_count = count_queries(client, reverse("reports:plan_dashboard", args=["small"]), params)
        large_count = count_queries(client, reverse("reports:plan_dashboard", args=["large"]), params)
        assert small_count == large_count <= 6


def test_it_shows_the_overview_with_counts_and_completeness(client, plan):
    city = f.region("天津市", "province")
    county = f.region("蓟州区", "county", parent=city)
    other = f.plan("other-plan", region_obj=county)
    f.value(f.indicator(other, 1), 2022, "2.4")
    response = client.get(reverse("reports:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-plan="jizhou-test"' in html and 'data-plan="other-plan"' in html
    assert 'data-verdict="achieved" data-count="1"' in html
    assert "100%" in html
    in_2021 = client.get(reverse("reports:overview"), {"year": 2021}).content.decode()
    assert "50%" in in_2021  # one of jizhou-test's two indicators has an approved 2021 value
    filtered = client.get(reverse("reports:overview"), {"level": "county"}).content.decode()
    assert 'data-plan="other-plan"' in filtered and 'data-plan="jizhou-test"' not in filtered
    by_region = client.get(reverse("reports:overview"), {"region": city.pk}).content.decode()
    assert 'data-plan="other-plan"' in by_region  # a region includes its sub-regions
    assert (
        'data-plan="jizhou-test"'
        not in client.get(reverse("reports:overview"), {"period": 2016}).content.decode()
    )


@pytest.mark.parametrize("params", [{"year": 2021}, {}])  # one year, or each plan's latest year with data
def test_it_shows_the_overview_in_constant_queries(client, params):
    f.plan_with_data("one", 2, [2021])
    cold = count_queries(client, reverse("reports:overview"), params)  # assessed live
    assessments_refresh()  # as every write of values does for its indicators
    warm = count_queries(client, reverse("reports:overview"), params)  # the stored assessments
    for i in range(6):
        f.plan_with_data(f"more-{i}", 5, [2021, 2022, 2023])
    assert count_queries(client, reverse("reports:overview"), params) == cold
    assessments_refresh()
    assert count_queries(client, reverse("reports:overview"), params) == warm < cold


def test_it_shows_a_concept_across_plans(client, plan):
    concept = f.concept()
    first = plan.indicators.get(number=1)
    first.concept = concept
    first.save()
    old = f.plan("tianjin-13", start=2016, end=2020, base=2015)
    f.value(f.indicator(old, 1, baseline="2.9", target="3.5", concept=concept), 2018, "3.2")
    listing = client.get(reverse("reports:concept_list")).content.decode()
    assert "研发投入强度" in listing
    response = client.get(concept.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    fig = figures(html)["chart-concept-data"]
    assert [t["name"] for t in fig["data"] if t.get("meta") == "series"] == [
        "tianjin-13 科技创新规划",
        "jizhou-test 科技创新规划",
    ]
    assert "badge verdict-" in html


def test_it_shows_task_progress_in_the_plan_tree(client, plan):
    chapter = f.section(plan, 0, label="一、", title="重点任务")
    project = f.project(plan, "科技惠民工程", section_obj=chapter)
    f.progress(project, 2022, "in_progress")
    f.project(plan, "未归类项目")
    response = client.get(reverse("reports:plan_tasks", args=[plan.code]), {"year": 2022})
    html = response.content.decode()
    assert response.status_code == 200
    assert "科技惠民工程" in html and "未归类项目" in html
    assert re.search(r'data-status="in_progress"><span class="count">1</span>', html)
    assert re.search(r'data-status="unreported"><span class="count">1</span>', html)


def test_verdict_codes_are_all_on_the_dashboard(client, plan):
    html = dashboard(client, plan).content.decode()
    assert all(f'data-verdict="{verdict.value}"' in html for verdict in Verdict)


def test_it_sorts_the_table_by_every_column(client, plan):
    f.indicator(plan, 3, name="定性指标", baseline=None, target=None, kind="qualitative", target_text="显著提升")
    columns = ["number", "name", "unit", "baseline", "latest", "target", "progress", "verdict", "warning", "attribute"]
    for column in columns:
        for sort in (column, f"-{column}"):
            response = dashboard(client, plan, sort=sort)
            assert response.status_code == 200, sort
    rows = dashboard(client, plan, sort="verdict").context["table"].rows
    assert [row.record.indicator.number for row in rows][0] == 2  # 已完成 sorts first
