"""The overview's 年度监测评估表 says which year it exports, lets the year be chosen, and the
workbook's summary names the plans it leaves out and why."""
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue
from reports.workbook.summary_sheet import SummaryLine, summary_notes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _export_cache(settings, tmp_path):
    settings.GUIHUA_EXPORT_CACHE_DIR = str(tmp_path)


def make_plan(code, title, start, end, value_year=None):
    plan = Plan.objects.create(code=code, title=title, short_name=title, start_year=start, end_year=end, base_year=start - 1)
    indicator = Indicator.objects.create(
        plan=plan, number=1, name="研发投入强度", unit="%", baseline_year=start - 1, baseline_value=Decimal("1"),
        target_year=end, target_text="2", target_kind="at_least", target_value=Decimal("2"),
    )  # fmt: skip
    if value_year:
        IndicatorValue.objects.create(indicator=indicator, year=value_year, value=Decimal("1.5"), state=State.APPROVED)
    return plan


def summary_texts(response) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [cell for row in wb.worksheets[0].iter_rows(values_only=True) for cell in row if isinstance(cell, str)]


def test_the_overview_download_names_its_year_and_offers_the_others(client):
    make_plan("p-now", "十四五规划", 2021, 2025, 2023)
    make_plan("p-old", "十三五规划", 2016, 2020, 2019)
    html = client.get("/reports/").content.decode()
    form = html[html.index('id="workbook-download"'):]
    form = form[: form.index("</form>")]
    default = timezone.localdate().year - 1
    assert re.search(rf'<option value="{default}" selected>{default}年度</option>', form)
    years = [int(y) for y in re.findall(r'<option value="(\d+)"', form)]
    assert years == sorted(years, reverse=True) and 2016 in years and max(years) == default
    assert 'name="year"' in form and "下载所选年度监测评估表" in form


def test_the_overview_download_starts_at_the_year_the_overview_shows(client):
    make_plan("p-now", "十四五规划", 2021, 2025, 2023)
    html = client.get("/reports/?year=2023").content.decode()
    assert '<option value="2023" selected>' in html


def test_the_workbook_names_the_plans_left_out_and_those_without_data(client):
    make_plan("p-now", "十四五规划", 2021, 2025, 2025)
    make_plan("p-empty", "无数据规划", 2021, 2025)
    make_plan("p-old", "十三五规划", 2016, 2020, 2019)
    response = client.get("/data/assessment.xlsx?year=2025")
    assert response.status_code == 200 and response["X-Guihua-Year"] == "2025"
    texts = summary_texts(response)
    assert "2025年度规划监测评估汇总表" in texts
    left_out = [t for t in texts if "未列入本表" in t]
    assert left_out == ["注：以下1个规划的规划期不含2025年，未列入本表：十三五规划（2016—2020）。"]
    without = [t for t in texts if "无数据”" in t]
    assert len(without) == 1 and "无数据规划" in without[0] and "十四五规划" not in without[0]


def test_the_workbook_of_named_plans_lists_nothing_left_out(client):
    make_plan("p-now", "十四五规划", 2021, 2025, 2025)
    make_plan("p-old", "十三五规划", 2016, 2020, 2019)
    texts = summary_texts(client.get("/data/assessment.xlsx?year=2025&plans=p-now"))
    assert not [t for t in texts if "未列入本表" in t]


def test_summary_notes_say_nothing_of_left_out_plans_when_there_are_none():
    line = SummaryLine("s", "规划", "2021—2025", 2, (1, 1, 0, 0, 0, 0, 0, 0), 0, None, False, False)
    notes = summary_notes([line], 2025)
    assert len(notes) == 1 and "评价依据" in notes[0]
