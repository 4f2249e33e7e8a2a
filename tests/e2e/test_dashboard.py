"""A planner opens the Jizhou dashboard with the demo data and reads the verdicts and a chart."""
import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_shows_verdict_counts_and_renders_charts_for_a_planner(page, live_server, login):
    call_command("load_seed_plans", user="system:seed", verbosity=0)
    call_command("create_demo_accounts", user="system:demo", verbosity=0)
    call_command("load_demo_values", user="system:demo", verbosity=0)

    login("planner", "guihua-planner-2026")
    page.goto(f"{live_server.url}/reports/plans/jizhou-14-sti/")

    counts = page.locator(".verdict-card .count")
    assert counts.count() >= 6
    total = sum(int(counts.nth(i).inner_text()) for i in range(counts.count()))
    assert total == 10
    assert page.locator(".verdict-card", has_text="滞后").count() == 1

    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached")
    assert page.locator(".js-plotly-plot").count() >= 10
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() > 0
    assert "演示数据" in page.locator("main").inner_text()
