"""A first-time visitor opens the plan list, a plan, and reads its indicator table."""
import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_browses_from_the_plan_list_to_the_indicator_table(page, live_server):
    call_command("load_seed_plans", user="system:seed", verbosity=0)

    page.goto(f"{live_server.url}/plans/")
    assert page.locator("h1").inner_text() == "规划列表"
    page.get_by_role("link", name="蓟州区科技创新“十四五”规划").click()

    page.wait_for_selector("#indicator-table")
    rows = page.locator("#indicator-table tbody tr")
    assert rows.count() == 10
    first = rows.nth(0).locator("td")
    assert first.nth(0).inner_text() == "1"
    assert "研究与试验发展经费" in first.nth(1).inner_text()
    assert first.nth(2).inner_text() == "%"
    assert first.nth(3).inner_text().startswith("1.65")
    assert first.nth(4).inner_text().startswith("2")
    assert first.nth(5).inner_text() == "预期性"

    page.get_by_role("button", name="全部展开").click()
    box = page.locator("details.section summary", has_text="专栏一").first
    assert box.is_visible()
    assert "主要指标" in box.inner_text()

    rows.nth(0).locator("a").click()
    assert "1.65" in page.locator("main").inner_text()
