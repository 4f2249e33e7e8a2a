"""The dashboard's table export (issue 14 §8): a negative number stays a number, text that could
run as a formula stays guarded."""

from decimal import Decimal

import pytest

from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_it_exports_negative_numbers_as_numbers_and_guards_formulas(client):
    plan = Plan.objects.create(code="p-neg", title="测试规划", start_year=2021, end_year=2025, base_year=2020)
    indicator = Indicator.objects.create(
        plan=plan, number=1, name="=HYPERLINK(\"x\")", unit="%", baseline_year=2020, baseline_value=Decimal("-1"),
        target_year=2025, target_kind="at_least", target_value=Decimal("2"), target_text="-cmd",
    )  # fmt: skip
    IndicatorValue.objects.create(indicator=indicator, year=2023, value=Decimal("-3.5"), state=State.APPROVED)
    text = client.get(f"/reports/plans/{plan.code}/?year=2023&_export=csv").content.decode("utf-8")
    line = text.splitlines()[1]
    assert ",-3.5," in line and "'-3.5" not in line
    assert ",-1," in line
    assert "'=HYPERLINK" in line and "'-cmd" in line
