"""Importing values from CSV and the xlsx template: good files, every kind of bad file, faults.

Every bad case must name the row and column and write nothing.
"""
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from projects import imports
from projects.services import values as values_service
from projects.choices import State, Vintage
from projects.excel import COL, FIRST_DATA_ROW, SHEET_NAME, build_template
from projects.imports import UploadError, apply_import, read_upload, validate_rows
from projects.models import IndicatorValue, ReportingYear

from .factories import make_value

pytestmark = pytest.mark.django_db
HEADER = "plan,indicator,year,value,source,note"


def _csv(*lines, header=HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def _counts():
    return IndicatorValue.objects.count(), IndicatorValue.history.count()


def _as_actor(args) -> tuple:
    """The command's --user: the test's, else the system actor the tests load as."""
    return args if "--user" in args else (*args, "--user", "system:test")


def _run(tmp_path, content: bytes, name="values.csv", *args):
    args = _as_actor(args)
    path = tmp_path / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_values", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused(tmp_path, content: bytes, name="values.csv", *args) -> str:
    """Run the command expecting it to fail without writing; returns what it printed."""
    args = _as_actor(args)
    before = _counts()
    err = io.StringIO()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_values", str(path), *args, stdout=io.StringIO(), stderr=err)
    assert _counts() == before
    return err.getvalue()


def _filled_template(world, values: dict, year=None) -> tuple[bytes, dict]:
    """The template with {indicator number: value} typed in; also returns number → row."""
    wb = load_workbook(io.BytesIO(build_template(world.plan, year or world.year, world.org)))
    ws = wb[SHEET_NAME]
    rows = {ws.cell(r, COL["序号"]).value: r for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    for number, value in values.items():
        ws.cell(rows[number], COL["本年数值"]).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), rows


# Good files -----------------------------------------------------------------------------------


def test_it_imports_a_good_csv_as_drafts_by_default(world, tmp_path):
    out, _ = _run(tmp_path, _csv("jizhou-14-sti,1,2021,1.71,统计公报,", "jizhou-14-sti,1,2022,1.80,统计公报,"))
    values = IndicatorValue.objects.order_by("year")
    assert [(v.year, v.value, v.state, v.source) for v in values] == [
        (2021, Decimal("1.71"), State.DRAFT, "统计公报"), (2022, Decimal("1.80"), State.DRAFT, "统计公报"),
    ]
    assert values[0].history.get().history_change_reason == "CSV 导入"
    assert "2 个数值将写入" in out and "已写入 2 个数值" in out


def test_it_reads_utf8_with_bom_and_gbk(world, tmp_path):
    line = "jizhou-14-sti,2,2021,110,区统计局,新认定企业较多"
    _run(tmp_path, b"\xef\xbb\xbf" + _csv(line), "bom.csv")
    _run(tmp_path, (HEADER + "\n" + line.replace("2021", "2022") + "\n").encode("gbk"), "gbk.csv")
    assert [v.note for v in IndicatorValue.objects.order_by("year")] == ["新认定企业较多", "新认定企业较多"]


def test_it_accepts_full_width_numbers_and_a_percent_sign_for_shares(world):
    rows = read_upload(_csv("jizhou-14-sti,1,2021,１．７２%,,"), "v.csv")
    plan = validate_rows(rows)
    assert plan.errors == [] and plan.changes[0].new_value == Decimal("1.72")


def test_it_refuses_a_reviewer_approving_what_they_load(world, tmp_path):
    """Four eyes: loading a value as approved is entering and approving it at once."""
    (tmp_path / "v.csv").write_bytes(_csv("jizhou-14-sti,2,2021,110,年鉴,"))
    for dry_run in (("--dry-run",), ()):  # the check of every row says so, before anything is written
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_values", str(tmp_path / "v.csv"), "--state", "approved", "--user", "reviewer",
                         *dry_run, stdout=io.StringIO(), stderr=err)
        assert "第 2 行 · indicator: 这条数值由你填报或提交，不能由你本人审核通过或退回（四眼原则）" in err.getvalue()
    assert not IndicatorValue.objects.exists()


def test_it_imports_approved_history_with_a_reviewer_of_a_one_person_office(world, tmp_path, settings):
    settings.GUIHUA_ALLOW_SELF_REVIEW = True
    _run(tmp_path, _csv("jizhou-14-sti,2,2021,110,年鉴,"), "v.csv", "--state", "approved", "--user", "reviewer")
    value = IndicatorValue.objects.get()
    assert (value.state, value.reviewed_by, value.submitted_by) == (State.APPROVED, world.reviewer, world.reviewer)
    assert value.self_reviewed and value.history.first().history_change_reason.endswith("（本人审核）")


def test_it_imports_a_filled_xlsx_template(world, tmp_path):
    make_value(world.count, world.year, "120", State.RETURNED, version=4)
    content, _rows = _filled_template(world, {1: 1.8, 2: 125})
    out, _ = _run(tmp_path, content, "t.xlsx", "--user", "official")
    share = IndicatorValue.objects.get(indicator=world.share)
    count = IndicatorValue.objects.get(indicator=world.count)
    assert (share.value, share.state, share.entered_by) == (Decimal("1.8"), State.DRAFT, world.official)
    assert (count.value, count.state, count.version) == (Decimal("125"), State.RETURNED, 5)
    assert count.history.first().history_change_reason == "Excel 导入"
    assert "120 → 125" in out


def test_it_reads_a_formulas_cached_value(world, tmp_path):
    content, rows = _filled_template(world, {1: "=1+0.8"})
    content = _with_cached_value(content, f"{get_column_letter(COL['本年数值'])}{rows[1]}", "1.8")
    _run(tmp_path, content, "t.xlsx")
    assert IndicatorValue.objects.get().value == Decimal("1.8")


def test_a_percent_typed_into_excel_counts_in_the_units_of_the_indicator(world):
    wb = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))
    ws = wb[SHEET_NAME]
    ws.cell(FIRST_DATA_ROW, COL["本年数值"]).value = 0.0172  # Excel stores "1.72%" typed in a cell so
    ws.cell(FIRST_DATA_ROW, COL["本年数值"]).number_format = "0.00%"
    ws.cell(FIRST_DATA_ROW + 1, COL["本年数值"]).value = "１０４．５"  # text with full-width digits
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = validate_rows(read_upload(buffer.getvalue(), "t.xlsx"))
    assert plan.errors == []
    assert [c.new_value for c in plan.changes] == [Decimal("1.72"), Decimal("104.5")]


def test_dry_run_writes_nothing(world, tmp_path):
    before = _counts()
    out, _ = _run(tmp_path, _csv("jizhou-14-sti,1,2021,1.71,,"), "v.csv", "--dry-run")
    assert _counts() == before
    assert "1.71" in out and "--dry-run" in out


def test_unchanged_rows_are_not_changes(world):
    make_value(world.share, 2021, "1.71", State.APPROVED)
    plan = validate_rows(read_upload(_csv("jizhou-14-sti,1,2021,1.7100,,"), "v.csv"))
    assert plan.errors == [] and plan.changes == []


# Bad files: each names row and column and writes nothing ---------------------------------------


@pytest.mark.parametrize("name, content, message", [
    ("a.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "只接受 xlsx 填报模板或 CSV 文件"),
    ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "只接受 xlsx 填报模板或 CSV 文件"),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ("a.xlsx", b"plan,indicator\n", "不是有效的 xlsx"),
    ("a.csv", b"\x00\x01\x02binary", "只接受"),
])
def test_it_refuses_files_that_are_not_xlsx_or_csv(world, tmp_path, name, content, message):
    assert message in _refused(tmp_path, content, name)


def test_a_zip_that_is_not_a_workbook_is_refused(world, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "不是 xlsx 工作簿" in _refused(tmp_path, buffer.getvalue(), "a.xlsx")


def test_a_formula_without_cached_value_is_an_error_on_that_cell(world, tmp_path):
    content, rows = _filled_template(world, {1: "=1+0.8", 2: 130})
    assert f"第 {rows[1]} 行 · 本年数值: 公式没有计算结果" in _refused(tmp_path, content, "t.xlsx")


def test_a_renamed_sheet_is_refused(world, tmp_path):
    wb = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))
    wb[SHEET_NAME].title = "我的数据"
    buffer = io.BytesIO()
    wb.save(buffer)
    message = _refused(tmp_path, buffer.getvalue(), "t.xlsx")
    assert "“填报”" in message and "我的数据" in message


def test_an_extra_or_missing_template_column_is_refused(world, tmp_path):
    wb = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))
    wb[SHEET_NAME].cell(2, 13).value = "备注2"
    buffer = io.BytesIO()
    wb.save(buffer)
    assert "第 2 行 · 表头: 多出列“备注2”" in _refused(tmp_path, buffer.getvalue(), "t.xlsx")
    wb[SHEET_NAME].cell(2, 13).value = None
    wb[SHEET_NAME].delete_cols(COL["说明"])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert "第 2 行 · 表头: 缺少列“说明”" in _refused(tmp_path, buffer.getvalue(), "t2.xlsx")


@pytest.mark.parametrize("header, line", [
    ("plan,indicator,year,value,source,note,extra", "jizhou-14-sti,1,2021,1.7,,,x"),
    ("plan,indicator,year,value,source", "jizhou-14-sti,1,2021,1.7,"),
    ("plan,indicator,value,year,source,note", "jizhou-14-sti,1,1.7,2021,,"),
])
def test_csv_with_extra_missing_optional_or_moved_columns_is_read_by_name(world, tmp_path, header, line):
    out, _ = _run(tmp_path, _csv(line, header=header))
    assert IndicatorValue.objects.get().value == Decimal("1.7")
    assert ("以下列不认识，已忽略：extra。" in out) == ("extra" in header)


def test_a_csv_without_a_required_column_names_it_and_its_accepted_names(world, tmp_path):
    message = _refused(tmp_path, _csv("jizhou-14-sti,1,1.7,,", header="plan,indicator,value,source,note"))
    assert "第 1 行 · 表头: 缺少“年份”列（可写作 年份 / 年度 / year）。" in message


def test_a_row_with_too_many_cells_is_an_error(world, tmp_path):
    message = _refused(tmp_path, _csv("jizhou-14-sti,1,2021,1.7,,,surplus"))
    assert "第 2 行 · 列数: 应有 6 列，实际 7 列" in message


@pytest.mark.parametrize("line, message", [
    ("no-such-plan,1,2021,1.7,,", "第 3 行 · plan: 未知的规划代码“no-such-plan”"),
    ("jizhou-14-sti,99,2021,1.7,,", "第 3 行 · indicator: 规划“jizhou-14-sti”没有序号为“99”的指标"),
    ("jizhou-14-sti,1,2035,1.7,,", "第 3 行 · year: jizhou-14-sti 规划 的规划期是 2021—2025，没有 2035 年度。"),
    ("jizhou-14-sti,1,二〇二一,1.7,,", "第 3 行 · year: 年份“二〇二一”无效"),
    ("jizhou-14-sti,1,2021,abc,,", "第 3 行 · value: “abc”不是有效的数值"),
    ("jizhou-14-sti,1,2021,,,", "第 3 行 · value: 请填写数值"),
    ("jizhou-14-sti,1,2021,150,,", "第 3 行 · value: 比重类指标的数值应在 0 到 100 之间"),
    ("jizhou-14-sti,3,2021,2.5,,", "第 3 行 · value: 位次应为正整数"),
])
def test_each_bad_row_is_named_by_row_and_column(world, tmp_path, line, message):
    errors = _refused(tmp_path, _csv("jizhou-14-sti,4,2022,11,,", line))
    assert message in errors and "第 2 行" not in errors


def test_a_jump_without_a_note_is_refused_at_submission_and_waits_in_a_draft(world, tmp_path):
    """As on the entry page: a draft may wait for the explanation of its jump, a submission may not."""
    errors = _refused(tmp_path, _csv("jizhou-14-sti,2,2021,1000,,"), "values.csv", "--state", "submitted")
    assert "第 2 行 · note: 与基期值（2020年） 100 相比变化" in errors
    _run(tmp_path, _csv("jizhou-14-sti,2,2021,1000,,"))
    assert IndicatorValue.objects.get(indicator__number=2, year=2021).state == State.DRAFT


def test_a_share_above_100_is_refused_in_a_draft_too(world, tmp_path):
    errors = _refused(tmp_path, _csv("jizhou-14-sti,1,2021,120,,"))
    assert "比重类指标的数值应在 0 到 100 之间" in errors


def test_a_duplicate_row_is_refused(world, tmp_path):
    message = _refused(tmp_path, _csv("jizhou-14-sti,1,2021,1.7,,", "jizhou-14-sti,1,2021,1.8,,"))
    assert "第 3 行 · indicator: 与第 2 行重复" in message


def test_a_value_for_a_locked_year_is_refused(world, tmp_path):
    ReportingYear.objects.create(plan=world.plan, year=2021, is_locked=True, locked_by=world.planner)
    message = _refused(tmp_path, _csv("jizhou-14-sti,1,2022,1.7,,", "jizhou-14-sti,1,2021,1.7,,"))
    assert "第 3 行 · year:" in message and "锁定" in message and "第 2 行" not in message


def test_a_stale_template_is_refused(world, tmp_path):
    value = make_value(world.share, world.year, "1.7", State.DRAFT)
    content, rows = _filled_template(world, {1: 1.9})
    IndicatorValue.objects.filter(pk=value.pk).update(value=Decimal("1.75"), version=2)
    message = _refused(tmp_path, content, "t.xlsx")
    assert f"第 {rows[1]} 行 · 版本: 下载模板后该数值已被他人修改" in message and "1.75" in message


def test_a_user_without_permission_is_refused(world, tmp_path):
    message = _refused(tmp_path, _csv("jizhou-14-sti,1,2021,1.7,,"), "v.csv", "--user", "other_official")
    assert "第 2 行 · indicator: 你无权填报“蓟州区科技局”的指标" in message
    message = _refused(tmp_path, _csv("jizhou-14-sti,1,2021,1.7,,"), "v.csv", "--user", "official", "--state", "approved")
    assert "第 2 行 · indicator: 你无权审核" in message


def test_an_official_cannot_overwrite_an_approved_value(world, tmp_path):
    make_value(world.share, 2021, "1.7", State.APPROVED)
    message = _refused(tmp_path, _csv("jizhou-14-sti,1,2021,1.75,,"), "v.csv", "--user", "official")
    assert "第 2 行 · value: 该数值已审核" in message


def test_a_file_over_10_mb_is_refused_before_parsing(world, tmp_path):
    content = _csv("jizhou-14-sti,1,2021,1.7,,") + b"#" * (10 * 1024 * 1024)
    assert "10 MB" in _refused(tmp_path, content)
    with pytest.raises(UploadError, match="10 MB"):
        read_upload(content, "v.csv")


def test_more_than_50000_rows_are_refused(world):
    content = _csv(*["jizhou-14-sti,1,2021,1.7,,"] * 50_001)
    with pytest.raises(UploadError, match="50000"):
        read_upload(content, "v.csv")


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(world, tmp_path, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(101):
                member.write(chunk)
    assert len(buffer.getvalue()) < 1024 * 1024
    monkeypatch.setattr(imports.reading, "load_workbook", _must_not_be_called)
    assert "100 MB" in _refused(tmp_path, buffer.getvalue(), "bomb.xlsx")


# Faults: a crash mid-way leaves the database as it was -----------------------------------------


def _mixed_plan(world):
    """An import that updates one existing value and creates two."""
    make_value(world.share, 2021, "1.7", State.DRAFT)
    rows = read_upload(_csv(
        "jizhou-14-sti,1,2021,1.72,,", "jizhou-14-sti,1,2022,1.8,,", "jizhou-14-sti,2,2022,110,,"
    ), "v.csv")
    plan = validate_rows(rows)
    assert plan.errors == [] and len(plan.changes) == 3
    return plan


def _snapshot():
    return sorted((v.indicator_id, v.year, v.value, v.version) for v in IndicatorValue.objects.all()), _counts()


def test_a_crash_after_the_first_rows_are_written_leaves_the_database_unchanged(world, monkeypatch):
    plan = _mixed_plan(world)
    before = _snapshot()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(values_service, "_create", crash)  # the update has already been executed
    with pytest.raises(RuntimeError):
        apply_import(plan)
    assert _snapshot() == before


def test_a_crash_building_the_second_row_leaves_the_database_unchanged(world, monkeypatch):
    plan = _mixed_plan(world)
    before = _snapshot()
    real, calls = values_service._apply, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(values_service, "_apply", flaky)
    with pytest.raises(RuntimeError):
        apply_import(plan)
    assert _snapshot() == before


def test_a_value_changed_between_validation_and_writing_stops_everything(world):
    plan = _mixed_plan(world)
    IndicatorValue.objects.filter(year=2021).update(version=7)
    before = _snapshot()
    with pytest.raises(imports.ImportConflict, match="第 2 行"):
        apply_import(plan)
    assert _snapshot() == before


def test_a_year_locked_between_validation_and_writing_stops_everything(world):
    plan = _mixed_plan(world)
    ReportingYear.objects.create(plan=world.plan, year=2022, is_locked=True)
    before = _snapshot()
    with pytest.raises(imports.ImportConflict, match="锁定"):
        apply_import(plan)
    assert _snapshot() == before


def test_apply_refuses_a_plan_with_errors(world):
    plan = validate_rows(read_upload(_csv("jizhou-14-sti,99,2021,1,,"), "v.csv"))
    with pytest.raises(ValueError):
        apply_import(plan)


def test_vintage_from_the_template_is_kept(world, tmp_path):
    wb = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))
    ws = wb[SHEET_NAME]
    ws.cell(FIRST_DATA_ROW, COL["本年数值"]).value = 1.8
    ws.cell(FIRST_DATA_ROW, COL["数据性质(初步/核实)"]).value = "核实"
    buffer = io.BytesIO()
    wb.save(buffer)
    _run(tmp_path, buffer.getvalue(), "t.xlsx")
    assert IndicatorValue.objects.get().vintage == Vintage.VERIFIED


# Helpers --------------------------------------------------------------------------------------


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("openpyxl must not open a zip bomb")


def _with_cached_value(content: bytes, ref: str, cached: str) -> bytes:
    """Give a formula cell the cached result Excel would have saved (openpyxl writes none)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes an empty cached value as <v/>, <v></v> or nothing, depending on lxml
                pattern = rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)?'
                data = re.sub(pattern, lambda m: m.group(1) + f"<v>{cached}</v>", data.decode()).encode()
            out.writestr(item, data)
    return target.getvalue()


def test_a_sheet_whose_compression_is_unknown_is_refused_as_damaged(world):
    """A zip whose sheet claims a compression method Python lacks fails only when the sheet is read."""
    content = build_template(world.plan, world.year, world.org)
    source, damaged = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
    data = bytearray(damaged.getvalue())
    sheet = "xl/worksheets/sheet1.xml".encode()
    for offset in range(len(data) - len(sheet)):  # local header and central directory entry
        if data[offset:offset + len(sheet)] == sheet:
            header = data.rfind(b"PK\x03\x04", 0, offset)
            central = data.rfind(b"PK\x01\x02", 0, offset)
            start = max(header, central)
            method_at = start + (8 if start == header else 10)
            data[method_at:method_at + 2] = (99).to_bytes(2, "little")
    with pytest.raises(UploadError) as refused:
        read_upload(bytes(data), "t.xlsx")
    assert refused.value.errors[0].startswith("文件") and "xlsx" in refused.value.errors[0]


def test_it_says_a_file_it_cannot_read_cannot_be_read(world, tmp_path, monkeypatch):
    path = tmp_path / "values.csv"
    path.write_bytes(_csv())

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", refuse)
    before = _counts()
    with pytest.raises(CommandError, match="无法读取文件 .*values.csv：Permission denied"):
        call_command("import_values", str(path), "--user", "system:test", stdout=io.StringIO(), stderr=io.StringIO())
    assert _counts() == before
