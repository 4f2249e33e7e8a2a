"""The annual round trip in a real browser: an official enters and submits Jizhou values, a reviewer
returns one with a reason, the official corrects and resubmits, the reviewer approves, and the
indicator page shows the history."""
import pytest
from django.core.management import call_command

from accounts.models import Organization
from projects.models import IndicatorValue
from plans.models import Plan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2021


def logout(page):
    page.get_by_role("button", name="退出").click()


def test_it_runs_entry_return_correction_and_approval(page, live_server, login):
    call_command("load_seed_plans", user="system:seed", verbosity=0)
    call_command("create_demo_accounts", user="system:demo", verbosity=0)
    plan = Plan.objects.get(code="jizhou-14-sti")
    org = Organization.objects.get(name="蓟州区科技局")
    indicators = list(plan.indicators.filter(organization=org).order_by("number"))
    assert indicators, "the seed assigns Jizhou indicators to 蓟州区科技局"
    entry_url = f"{live_server.url}/monitoring/{plan.code}/{YEAR}/{org.pk}/entry/"

    login("official", "guihua-official-2026")
    page.goto(entry_url)
    for indicator in indicators:
        page.fill(f"input[name='v{indicator.pk}-value']", str(indicator.baseline_value.normalize() + 1))
        page.fill(f"input[name='v{indicator.pk}-source']", "区统计公报")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    assert IndicatorValue.objects.filter(indicator__in=indicators, year=YEAR, state="submitted").count() == len(
        indicators
    )
    logout(page)

    returned = indicators[0]
    login("reviewer", "guihua-reviewer-2026")
    page.goto(f"{live_server.url}/monitoring/review/")
    value = IndicatorValue.objects.get(indicator=returned, year=YEAR)
    row = page.locator(f"#value-{value.pk}")
    row.locator("textarea[name=reason]").fill("与统计公报不一致，请核实")
    row.get_by_role("button", name="退回").click()
    page.wait_for_load_state()
    assert IndicatorValue.objects.get(pk=value.pk).state == "returned"
    logout(page)

    login("official", "guihua-official-2026")
    page.goto(entry_url)
    assert "与统计公报不一致，请核实" in page.locator(f"#indicator-{returned.pk}").inner_text()
    corrected = str(returned.baseline_value.normalize() + 2)
    page.fill(f"input[name='v{returned.pk}-value']", corrected)
    page.fill(f"[name='v{returned.pk}-note']", "已按统计公报更正")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    assert IndicatorValue.objects.get(pk=value.pk).state == "submitted"
    logout(page)

    login("reviewer", "guihua-reviewer-2026")
    page.goto(f"{live_server.url}/monitoring/review/")
    for checkbox in page.locator("input[name=values]").all():
        checkbox.check()
    page.get_by_role("button", name="审核通过所选").click()
    page.wait_for_load_state()
    assert IndicatorValue.objects.filter(indicator__in=indicators, year=YEAR, state="approved").count() == len(
        indicators
    )

    page.goto(f"{live_server.url}/indicators/{returned.pk}/")
    history = page.locator("#history").inner_text()
    assert "与统计公报不一致" in history
    assert corrected in history
    assert "已审核" in page.locator("#value-table").inner_text()
