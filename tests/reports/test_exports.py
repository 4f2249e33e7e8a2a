"""The dashboard's table export (issue 14 §8): a negative number stays a number, text that could
run as a formula stays guarded, in CSV and in XLSX."""

import io
import re
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


def _xlsx(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body))


@pytest.fixture
def firms_plan():
    plan = Plan.objects.create(code="p-firms", title="企业规划", start_year=2021, end_year=2025, base_year=2020)
    indicator = Indicator.objects.create(
        plan=plan, number=1, name="高新技术企业数量", unit="家", baseline_year=2020, baseline_value=Decimal("120"),
        target_year=2025, target_kind="at_least", target_value=Decimal("150.0000"), target_text="150家以上",
    )  # fmt: skip
    IndicatorValue.objects.create(indicator=indicator, year=2022, value=Decimal("130.5000"), state=State.APPROVED)
    return plan


def test_it_names_the_sheet_and_keeps_every_number_of_the_export_a_number(client, firms_plan):
    book = _xlsx(client, f"/reports/plans/{firms_plan.code}/?year=2023&_export=xlsx")
    assert book.sheetnames == ["指标评估"]
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2])}
    assert "完成进度 / 时序进度" not in row  # the HTML's two bars become two number columns
    for name, expected in (("序号", 1), ("基期", 120), ("最新值（2023）", Decimal("130.5")), ("目标值", 150),
                           ("完成进度（%）", Decimal("35")), ("时序进度（%）", Decimal("40"))):  # fmt: skip
        assert row[name].data_type == "n", name
        assert Decimal(str(row[name].value)) == expected, name
    assert row["目标"].value == "150家以上" and row["数据状态"].value == "已审核"
    assert not any("0000" in str(cell.value) for cells in sheet.iter_rows() for cell in cells)


def test_it_keeps_plain_numbers_in_the_csv(client, firms_plan):
    text = client.get(f"/reports/plans/{firms_plan.code}/?year=2023&_export=csv").content.decode("utf-8")
    header, line = text.splitlines()[:2]
    assert "完成进度（%）" in header and "数据状态" in header
    assert ",120,130.5," in line and ",150,35,40," in line and "0000" not in line


def test_it_exports_the_dashboard_in_english_for_an_english_visitor(client, firms_plan):
    book = _xlsx(client, f"/reports/plans/{firms_plan.code}/?year=2023&_export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert book.sheetnames == ["Indicators"]
    header = [cell.value for cell in book.active[1]]
    assert "Completion (%)" in header and "Target" in header
    cjk = [h for h in header if re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", h)]
    assert cjk == []


def test_it_explains_the_verdict_in_the_visitors_language(client, firms_plan):
    url = f"/reports/plans/{firms_plan.code}/?year=2023"
    chinese = client.get(url).content.decode()
    assert 'title="2022年（2023年尚无数据）：130.5家，时序进度40%，完成进度35%，' in chinese
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'title="2022 (no data for 2023 yet): 130.5家, time elapsed 40%, completion 35%, ' in english
