"""The dashboards' plotly charts render under the production Content-Security-Policy, with no violation."""
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.models import Indicator
from projects.choices import State
from projects.models import IndicatorValue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_it_draws_the_plan_dashboard_charts_without_csp_violations(page, live_server):
    call_command("load_seed_plans", user="system:seed", verbosity=0)
    for indicator in Indicator.objects.filter(plan__code="jizhou-14-sti").exclude(baseline_value=None):
        for k, year in enumerate((2021, 2022, 2023), start=1):
            value = indicator.baseline_value * (1 + Decimal(k) / 20)
            IndicatorValue.objects.create(indicator=indicator, year=year, value=value, state=State.APPROVED)
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(f"{live_server.url}/reports/plans/jizhou-14-sti/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("[data-figure] .main-svg")
    drawn = page.locator("[data-figure] .main-svg").count()
    assert drawn >= 2  # the heatmap and at least one indicator chart
    assert page.locator("[data-figure] .scatterlayer .trace, [data-figure] .heatmaplayer image").count() > 0
    assert page.evaluate("window.__cspViolations") == []
    page.locator("[data-figure]").first.screenshot(path="test-results/csp-dashboard-chart.png")
