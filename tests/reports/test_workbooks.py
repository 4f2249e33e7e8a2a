"""The annual assessment workbook (年度监测评估表): exported, then opened again with openpyxl and pandas."""

import gc
import json
import re
import tempfile
import weakref
import zipfile
from datetime import date
from decimal import Decimal
from io import StringIO
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl.worksheet._writer import ALL_TEMP_FILES as openpyxl_temporary_files

from reports.assessment import Trend, Verdict
from reports.selectors import latest_year_with_data, plan_report, plan_reports
from reports.workbook import FORBIDDEN_IN_SHEET_NAME, VERDICT_COLORS, SheetNames, safe_text, write_assessment_workbook
from reports.workbook.cells import display_width, number_format

from . import workbook_factories as f

pytestmark = pytest.mark.django_db
EXPORTED_ON = date(2024, 3, 1)
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1


def export(tmp_path, plans, year=2023, **options):
    path = tmp_path / "assessment.xlsx"
    write_assessment_workbook(plan_reports(plans, year, **options), year, path, exported_on=EXPORTED_ON)
    return path


def header(ws, row=HEADER_ROW) -> dict[str, int]:
    """Header text → column number."""
    return {cell.value: cell.column for cell in ws[row] if cell.value}


def table(ws, count: int) -> list[dict[str, openpyxl.cell.Cell]]:
    """The first `count` indicator rows as header → cell."""
    columns = header(ws)
    return [
        {name: ws.cell(row=FIRST_ROW + i, column=col) for name, col in columns.items()} for i in range(count)
    ]


def assess_json(code: str, year: int, *extra) -> list[dict]:
    out = StringIO()
    call_command("assess", code, "--year", str(year), "--json", *extra, stdout=out)
    return json.loads(out.getvalue())["indicators"]


def as_decimal(number) -> Decimal | None:
    return None if number is None else Decimal(str(number))


def same_number(cell_value, text: str | None) -> bool:
    if text is None:
        return cell_value is None
    return as_decimal(cell_value) == Decimal(text)


def local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def chart_element(path, name: str):
    """The first element called `name` in the workbook's first chart (xl/charts/chart1.xml)."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("xl/charts/chart1.xml"))
    return next(e for e in root.iter() if local(e) == name)


def fill_of(cell) -> str:
    return cell.fill.fgColor.rgb[-6:]


# ---------------------------------------------------------------------------- pure helpers


def test_it_names_sheets_within_excels_rules():
    names = SheetNames(["汇总"])
    long_name = "天津市科技创新“十三五”规划实施方案之重点任务分解与年度推进计划及其保障措施"
    claimed = [
        names.claim(long_name), names.claim(long_name), names.claim("a/b:c*d?[e]\\f"), names.claim("汇总"),
        names.claim("Plan"), names.claim("plan"), names.claim("History"), names.claim("'引号'"), names.claim("  "),
    ]  # fmt: skip
    assert all(len(name) <= 31 for name in claimed)
    assert claimed[0] == long_name[:31] and claimed[1] == long_name[:28] + "(2)"
    assert claimed[2] == "a_b_c_d__e__f" and not FORBIDDEN_IN_SHEET_NAME.search(claimed[2])
    assert claimed[3:7] == ["汇总(2)", "Plan", "plan(2)", "History(2)"]
    assert claimed[7:] == ["引号", "规划"]
    assert len({name.casefold() for name in claimed}) == len(claimed)
    task = names.claim(claimed[0], "-任务")
    assert len(task) == 31 and task.endswith("-任务")


def test_it_counts_wide_characters_twice_and_picks_formats_by_unit():
    assert display_width("R&D支出") == 7
    assert number_format("%", Decimal("1.65")) == "0.00"
    assert number_format("%", Decimal("1.8000")) == "0.0"  # the decimals the value has, no padding zeros
    assert number_format("家", Decimal("120.0000")) == "#,##0"
    assert number_format("家", Decimal("12.5")) == "#,##0.0"
    assert number_format("亿元", Decimal(10)) == "#,##0"
    assert number_format("家", Decimal("150.0000"), "≥ ") == '"≥ "#,##0'
    assert number_format("%", None) == "0"


def test_it_makes_any_value_a_cell_string():
    assert safe_text(None) == ""
    assert safe_text("=SUM(A1)\x07") == "=SUM(A1)"
    assert len(safe_text("长" * 40000)) == 32767


# ---------------------------------------------------------------------------- the workbook


def test_it_writes_a_summary_sheet_with_counts_and_a_native_chart(tmp_path):
    district, hostile = f.district_plan(), f.hostile_plan()
    path = export(tmp_path, [district, hostile])
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.title == "汇总"
    assert ws["A1"].value == "2023年度规划监测评估汇总表" and "A1:N1" in {
        str(r) for r in ws.merged_cells.ranges
    }
    assert ws["A2"].value == "导出日期：2024-03-01"
    columns = header(ws, 3)
    assert list(columns)[:4] == ["序号", "规划", "规划期", "指标数"]
    assert [v.label for v in Verdict] == list(columns)[4:12]
    assert list(columns)[12:] == ["约束性指标预警", "填报完整率"]
    report = plan_report(district, 2023)
    row = {name: ws.cell(row=4, column=col).value for name, col in columns.items()}
    assert row["规划"] == "某区科技十四五" and row["指标数"] == 5
    assert all(row[v.label] == report.counts[v.value] for v in Verdict)
    assert row["约束性指标预警"] == report.warnings == 1
    assert as_decimal(row["填报完整率"]) == report.completeness
    completeness = ws.cell(row=4, column=columns["填报完整率"])
    shown = f"{as_decimal(completeness.value) * 100:f}".rstrip("0").rstrip(".").partition(".")[2]
    assert completeness.number_format == f"0{'.' + '0' * len(shown) if shown else ''}%"  # no padding zeros
    assert ws["B6"].value == "合计" and ws.cell(row=6, column=columns["指标数"]).value == 7
    assert ws["B4"].hyperlink.location == "'某区科技十四五'!A1"
    bar = chart_element(path, "barChart")
    assert local(bar.find("*")) == "barDir" and bar.find("*").get("val") == "bar"
    assert [e.get("val") for e in bar if local(e) == "grouping"] == ["stacked"]
    assert sum(1 for e in bar if local(e) == "ser") == len(Verdict)


def test_it_writes_each_plan_with_the_numbers_of_assess_json(tmp_path):
    district = f.district_plan()
    wb = openpyxl.load_workbook(export(tmp_path, [district]))
    ws = wb["某区科技十四五"]
    assert ws["A1"].value == district.title and ws["A2"].value == "2023年度监测评估"
    assert list(header(ws)) == [
        "序号", "指标", "单位", "属性", "基期年", "基期值", "目标值", "2021年", "2022年", "2023年",
        "完成进度", "时序进度", "评价", "趋势判断", "说明", "备注",
    ]  # fmt: skip
    expected = assess_json(district.code, 2023)
    for row, item in zip(table(ws, len(expected)), expected, strict=True):
        assert row["序号"].value == item["number"] and row["指标"].value == item["name"]
        assert same_number(row["完成进度"].value, item["completion"])
        assert same_number(row["时序进度"].value, item["time_share"])
        assert row["评价"].value == item["verdict_label"] == Verdict(item["verdict"]).label
        trend = item["projected_verdict"]
        assert (row["趋势判断"].value or None) == (Trend(trend).label if trend else None)
        assert row["说明"].value == item["explanation"]
        assert ("约束性指标预警" in (row["备注"].value or "")) == item["warning"]
    first = table(ws, 1)[0]
    assert [as_decimal(first[f"{y}年"].value) for y in (2021, 2022, 2023)] == [
        Decimal("1.7"),
        Decimal("1.8"),
        Decimal("1.85"),
    ]
    assert first["基期年"].value == 2020 and first["基期年"].number_format == '0"年"'
    assert as_decimal(first["基期值"].value) == Decimal("1.65") and first["目标值"].value == 2
    assert first["目标值"].data_type == "n" and first["目标值"].number_format == '"≥ "0'


def test_it_formats_numbers_by_unit_and_colours_verdicts_with_a_legend(tmp_path):
    wb = openpyxl.load_workbook(export(tmp_path, [f.district_plan()]))
    ws = wb["某区科技十四五"]
    rd, firms, output, energy, _qualitative = table(ws, 5)
    assert rd["2023年"].number_format == "0.00" and rd["2022年"].number_format == "0.0"
    assert rd["基期值"].number_format == "0.00"
    assert firms["2023年"].number_format == "#,##0" and firms["2023年"].value == 1234
    assert output["2022年"].number_format == "#,##0.00" and output["基期值"].number_format == "#,##0.0"
    assert rd["完成进度"].number_format == "0.00%" and rd["完成进度"].value == 0.5714  # 57.14%
    assert rd["时序进度"].number_format == "0%" and rd["时序进度"].value == 0.6  # 60%, not 60.0%
    for row in (rd, firms, output, energy):
        verdict = next(v for v in Verdict if v.label == row["评价"].value)
        assert fill_of(row["评价"]) == VERDICT_COLORS[verdict][0]
    assert energy["评价"].font.b and energy["备注"].value == "约束性指标预警"
    assert rd["说明"].alignment.wrap_text
    legend = {
        ws.cell(row=r, column=2).value: ws.cell(row=r, column=2) for r in range(FIRST_ROW + 6, FIRST_ROW + 14)
    }
    assert ws.cell(row=FIRST_ROW + 6, column=1).value == "图例"
    assert all(fill_of(legend[v.label]) == VERDICT_COLORS[v][0] for v in Verdict)


def test_it_freezes_the_header_and_prints_landscape_one_page_wide(tmp_path):
    wb = openpyxl.load_workbook(export(tmp_path, [f.district_plan()]))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    ws = wb["某区科技十四五"]
    assert ws.freeze_panes == "C5" and ws.print_title_rows == "$4:$4"
    assert {"A1:P1", "A2:P2", "A3:P3"} <= {str(r) for r in ws.merged_cells.ranges}
    columns = header(ws)
    width = lambda name: ws.column_dimensions[openpyxl.utils.get_column_letter(columns[name])].width
    assert width("指标") >= display_width("全社会R&D支出占地区生产总值比重") or width("指标") == 36
    assert width("说明") >= 30 and width("评价") >= display_width("基本符合预期")
    assert wb["汇总"].freeze_panes == "C4" and wb["汇总"].print_title_rows == "$3:$3"


def test_it_writes_text_that_looks_like_a_formula_as_text(tmp_path):
    path = export(tmp_path, [f.district_plan(), f.hostile_plan()])
    wb = openpyxl.load_workbook(path)
    assert "=恶意规划" in wb.sheetnames
    first, second = table(wb["=恶意规划"], 2)
    for cell, text in ((first["指标"], "=1+2"), (first["单位"], "+件"), (first["目标值"], "@SUM(A1:A3)"),
                       (second["指标"], "-负号开头的指标"), (second["目标值"], "=cmd|' /C calc'!A0")):  # fmt: skip
        assert cell.data_type == "s" and cell.value == text
        assert cell.quotePrefix
    # cells of the same look share one style record: the prefix stays on the cells that need it
    assert not any(row["属性"].quotePrefix or row["评价"].quotePrefix for row in (first, second))
    tasks = wb["某区科技十四五-任务"]
    assert tasks["B5"].value == '=HYPERLINK("http://evil")项目' and tasks["B5"].data_type == "s"
    assert tasks["F5"].value == "-进度滞后" and tasks["F5"].data_type == "s"
    assert wb["汇总"]["B5"].value == "=恶意规划" and wb["汇总"]["B5"].data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


def test_it_has_no_external_links_and_no_macros(tmp_path):
    path = export(tmp_path, [f.district_plan(), f.hostile_plan()])
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        xml = {name: archive.read(name).decode() for name in names if name.endswith((".xml", ".rels"))}
    assert not any("externalLink" in name or "vbaProject" in name or name.endswith(".bin") for name in names)
    assert not any('TargetMode="External"' in text for text in xml.values())
    assert "macroEnabled" not in xml["[Content_Types].xml"]


def test_pandas_reads_the_plan_sheet_back_into_the_same_numbers(tmp_path):
    district = f.district_plan()
    path = export(tmp_path, [district])
    frame = pd.read_excel(path, sheet_name="某区科技十四五", header=HEADER_ROW - 1, nrows=5)
    report = plan_report(district, 2023)
    for (_, line), row in zip(frame.iterrows(), report.rows, strict=True):
        assert line["指标"] == row.indicator.name
        for year in (2021, 2022, 2023):
            shown = line[f"{year}年"]
            expected = row.values.get(year)
            assert (pd.isna(shown) and expected is None) or Decimal(str(shown)) == expected
        completion = row.assessment.completion
        assert (pd.isna(line["完成进度"]) and completion is None) or Decimal(
            str(line["完成进度"])
        ) == completion
    assert Decimal(str(frame.loc[0, "基期值"])) == Decimal("1.65")


def test_it_shows_preliminary_values_only_when_asked_and_marks_them(tmp_path):
    district = f.district_plan()
    approved = openpyxl.load_workbook(export(tmp_path, [district], 2024))["某区科技十四五"]
    rd = table(approved, 1)[0]
    assert rd["2024年"].value is None and not rd["备注"].value
    assert "数据：已审核数据" in approved["A3"].value
    preliminary = openpyxl.load_workbook(export(tmp_path, [district], 2024, include_unapproved=True))
    ws = preliminary["某区科技十四五"]
    rd = table(ws, 1)[0]
    assert as_decimal(rd["2024年"].value) == Decimal("1.9") and rd["2024年"].font.i
    assert rd["备注"].value == "初步数（未审核）：2024年"
    assert "含未审核" in ws["A3"].value
    assert rd["说明"].value == assess_json(district.code, 2024, "--include-unapproved")[0]["explanation"]


def test_it_lists_key_project_progress_on_a_second_sheet(tmp_path):
    wb = openpyxl.load_workbook(export(tmp_path, [f.district_plan()]))
    ws = wb["某区科技十四五-任务"]
    assert ws["A2"].value == "2023年度重点任务进展"
    assert [c.value for c in ws[3]] == [
        "序号",
        "项目",
        "类型",
        "牵头单位",
        "状态",
        "进展情况",
        "完成投资（万元）",
    ]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=6)]
    assert rows[0][1:6] == ["科技创新平台建设工程", "重点任务", "测试市科技局", "推进中", "已建成平台3个"]
    assert as_decimal(rows[0][6]) == Decimal("1200.5")
    assert rows[1][4] == "滞后" and rows[2][4] == "未填报"
    assert ws.freeze_panes == "C4" and ws.print_title_rows == "$3:$3"


def test_it_lets_each_report_go_once_its_sheet_is_written(tmp_path):
    plans = [f.district_plan(f"plan-{n}", f"规划{n}") for n in range(5)]
    refs, alive = [], []

    def reports():
        for plan in plans:
            gc.collect()
            alive.append(sum(1 for ref in refs if ref() is not None))
            report = plan_report(plan, 2023)
            refs.append(weakref.ref(report))
            yield report

    write_assessment_workbook(reports(), 2023, tmp_path / "a.xlsx", exported_on=EXPORTED_ON)
    assert max(alive) <= 1  # the one just written, still named by the loop, never a whole batch
    write_assessment_workbook(reports(), 2023, tmp_path / "b.xlsx", exported_on=EXPORTED_ON, batch_size=2)
    names = openpyxl.load_workbook(tmp_path / "b.xlsx", read_only=True).sheetnames
    assert names == ["汇总"] + [name for n in range(5) for name in (f"规划{n}", f"规划{n}-任务")]


@pytest.mark.parametrize("fails", [False, True])
def test_it_leaves_no_temporary_files_behind(tmp_path, monkeypatch, fails):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    plans = [f.district_plan(), f.hostile_plan()]
    known = list(openpyxl_temporary_files)

    def reports():
        yield plan_report(plans[0], 2023)
        if fails:
            raise RuntimeError("the database went away")
        yield plan_report(plans[1], 2023)

    try:
        write_assessment_workbook(reports(), 2023, tmp_path / "a.xlsx", exported_on=EXPORTED_ON, batch_size=1)
    except RuntimeError:
        assert fails
    assert list(scratch.iterdir()) == [] and openpyxl_temporary_files == known


def test_it_runs_the_same_number_of_queries_for_two_plans_or_six(tmp_path):
    counts = []
    for n in (2, 6):
        plans = [f.district_plan(f"q{n}-{i}", f"规划{n}-{i}") for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            export(tmp_path, plans)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.skipif(
    not f.seed_commands_available(), reason="load_seed_plans / load_demo_values not available yet"
)
def test_it_exports_the_seed_plans_with_their_demo_values(tmp_path):
    for plan in f.load_seed_plans_with_demo_values():
        year = latest_year_with_data(plan) or plan.start_year
        path = export(tmp_path, [plan], year)
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[1]
        assert len(ws.title) <= 31 and not FORBIDDEN_IN_SHEET_NAME.search(ws.title)
        assert ws["A2"].value == f"{year}年度监测评估"
        expected = assess_json(plan.code, year)
        for row, item in zip(table(ws, len(expected)), expected, strict=True):
            assert row["指标"].value == item["name"] and row["评价"].value == item["verdict_label"]
            assert same_number(row["完成进度"].value, item["completion"])
            assert row["说明"].value == item["explanation"]
        with zipfile.ZipFile(path) as archive:
            assert "xl/charts/chart1.xml" in archive.namelist()


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_it_writes_targets_baselines_and_values_as_number_cells(tmp_path):
    ws = openpyxl.load_workbook(export(tmp_path, [f.district_plan()]))["某区科技十四五"]
    rd, firms, output, energy, qualitative = table(ws, 5)
    for row in (rd, firms, output, energy):
        assert row["目标值"].data_type == "n" and row["基期值"].data_type == "n"
    assert firms["目标值"].value == 300 and firms["目标值"].number_format == '"≥ "#,##0'
    assert energy["目标值"].value == 3 and energy["目标值"].number_format == '"≤ "0'
    assert all(rd[f"{y}年"].data_type == "n" for y in (2021, 2022, 2023))
    assert qualitative["目标值"].data_type == "s" and qualitative["目标值"].value == "创新生态显著改善"
    assert not any("0000" in (cell.number_format or "") for cells in ws.iter_rows() for cell in cells)


def test_it_writes_sheets_headers_and_explanations_in_english_when_asked(tmp_path):
    plan = f.district_plan()
    with translation.override("en"):
        wb = openpyxl.load_workbook(export(tmp_path, [plan]))
    assert wb.sheetnames[0] == "Summary" and "某区科技十四五-Tasks" in wb.sheetnames
    ws = wb["某区科技十四五"]
    headers = list(header(ws))
    assert headers[:7] == ["No.", "Indicator", "Unit", "Attribute", "Baseline year", "Baseline value", "Target value"]
    assert "2023" in headers and not any(CJK.search(h) for h in headers)
    rows = table(ws, 5)
    assert rows[4][headers[-2]].value == "2023: Not assessable (the target is qualitative: 创新生态显著改善)"
    for row in rows[:4]:  # everything but the plan's own words (names, units, a phrased target)
        for name in ("Attribute", headers[-4], headers[-2]):  # 属性, 评价, 说明
            text = (row[name].value or "").replace(row["Unit"].value or "", "")  # the unit is the plan's
            assert not CJK.search(text), (name, text)
    assert rows[0][headers[-2]].value.startswith("2023: 1.85%, time elapsed 60%, completion 57%")
    assert rows[0]["Baseline year"].number_format == "0"
    summary = [c.value for c in wb["Summary"][3] if c.value]
    assert not any(CJK.search(h) for h in summary)


def test_it_keeps_the_chinese_layout_by_default(tmp_path):
    wb = openpyxl.load_workbook(export(tmp_path, [f.district_plan()]))
    assert wb.sheetnames[:3] == ["汇总", "某区科技十四五", "某区科技十四五-任务"]
