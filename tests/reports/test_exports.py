"""The dashboard's table export (issue 14 §8): a negative number stays a number, text that could
run as a formula stays guarded, in CSV and in XLSX."""

import io
from decimal import Decimal

import openpyxl
import pytest

from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = Plan.objects.create(code="p-neg", title="测试规划", start_year=2021, end_year=2025, base_year=2020)
    indicator = Indicator.objects.create(
        plan=plan, number=1, name="=HYPERLINK(\"x\")", unit="%", baseline_year=2020, baseline_value=Decimal("-1"),
        target_year=2025, target_kind="at_least", target_value=Decimal("2"), target_text="-cmd",
    )  # fmt: skip
    IndicatorValue.objects.create(indicator=indicator, year=2023, value=Decimal("-3.5"), state=State.APPROVED)
    return plan


def test_it_exports_negative_numbers_as_numbers_and_guards_formulas(client, plan):
    text = client.get(f"/reports/plans/{plan.code}/?year=2023&_export=csv").content.decode("utf-8")
    line = text.splitlines()[1]
    assert ",-3.5," in line and "'-3.5" not in line
    assert ",-1," in line
    assert "'=HYPERLINK" in line and "'-cmd" in line


def test_it_writes_negative_numbers_as_number_cells_in_xlsx(client, plan):
    response = client.get(f"/reports/plans/{plan.code}/?year=2023&_export=xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2])}
    assert row["基期"].data_type == "n" and row["基期"].value == -1
    assert row["最新值（2023）"].data_type == "n" and row["最新值（2023）"].value == -3.5
    assert row["指标"].data_type == "s" and row["指标"].value == "'=HYPERLINK(\"x\")"  # never a formula
    assert row["目标"].data_type == "s" and row["目标"].value == "'-cmd"
    assert not any(cell.data_type == "f" for cells in sheet.iter_rows() for cell in cells)
