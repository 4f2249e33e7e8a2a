"""Bad files refused at the preview, named by row and column, the same way by the page and the command.

Each bad file of issue 14 (finding 5) is written as a real .csv or .xlsx (bombs are small files whose
zip parts are written directly) and sent through the upload page (upload → preview → confirm) and
through ``import_values``; both must give the same messages and write nothing. The page reads a
file once: the preview and the confirmation use the rows staged on upload.
"""
import html
import io
import re
import threading
import time
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.choices import State
from projects.excel import COL, FIRST_DATA_ROW, SHEET_NAME, build_template
from projects.imports import MAX_SHEET_CELLS, MAX_SHEET_ROWS, UploadError, read_file, read_upload
from projects.models import IndicatorValue, StagedUpload
from projects.views import excel as excel_views

from plans.models import Plan

pytestmark = pytest.mark.django_db
HEADER = "plan,indicator,year,value,source,note"
SHEET_PART = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_STAGING_ROOT = tmp_path / "staging"


def _csv(*lines) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def _counts():
    return IndicatorValue.objects.count(), IndicatorValue.history.count()


def _template(world, edit=None) -> bytes:
    """The entry template of the world's organization, with edit(sheet, {number: row}) applied."""
    wb = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))
    ws = wb[SHEET_NAME]
    rows = {ws.cell(r, COL["序号"]).value: r for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    if edit:
        edit(ws, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _with_parts(content: bytes, replace: dict) -> bytes:
    """The xlsx with parts replaced or added: {name: bytes, or a function writing to the member}."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename not in replace:
                out.writestr(item, source.read(item.filename))
        for name, part in replace.items():
            if part is None:
                continue
            with out.open(name, "w") as member:
                part(member) if callable(part) else member.write(part)
    return target.getvalue()


def _errors_in(page: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", page, re.S)]


def _through_the_page(client, world, content: bytes, name: str) -> list[str]:
    """Upload, preview and confirm as the official; the errors shown, after checking nothing was written."""
    client.force_login(world.official)
    before = _counts()
    file = io.BytesIO(content)
    file.name = name
    url = reverse("excel:upload", args=[world.plan.code, world.year, world.org.pk])
    response = client.post(url, {"file": file, "state": State.DRAFT})
    if response.status_code == 400:  # the file itself cannot be read: nothing staged
        assert StagedUpload.objects.count() == 0
        errors = _errors_in(response.content.decode())
    else:
        assert response.status_code == 302, response.status_code
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        page = preview.content.decode()
        assert 'id="confirm-import"' not in page
        errors = _errors_in(page.split('id="import-errors"', 1)[1])
        confirmed = client.post(response["Location"] + "confirm/", {"action": "confirm"})
        assert confirmed.status_code == 302 and confirmed["Location"] == response["Location"]
    assert _counts() == before
    assert errors
    return errors


def _as_official(world) -> list[str]:
    return ["--user", world.official.username]


def _through_the_command(tmp_path, world, content: bytes, name: str) -> list[str]:
    before = _counts()
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="没有写入任何数据"):
        call_command("import_values", str(path), *_as_official(world), stdout=io.StringIO(), stderr=err)
    assert _counts() == before
    return err.getvalue().splitlines()


def _refused_everywhere(client, world, tmp_path, content: bytes, name: str) -> list[str]:
    """The same messages from the page and from the command, and nothing written by either."""
    page = _through_the_page(client, world, content, name)
    command = _through_the_command(tmp_path, world, content, name)
    assert page == command
    return page


# CSV -------------------------------------------------------------------------------------------


def test_a_nul_byte_after_the_first_8_kb_is_named_by_row_and_column(client, world, tmp_path):
    content = _csv(
        "jizhou-14-sti,1,2023,1.7,统计公报,",
        f"jizhou-14-sti,2,2023,110,统计公报,{'口径说明' * 1000}",  # 12 KB: the NUL comes after it
        "",
        "jizhou-14-sti,3,2023,4,统计\x00公报,",
    )
    assert content.index(b"\x00") > 8192
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert errors == ["第 5 行 · source: 含有不可见的控制字符 U+0000（空字符），请删除后重新上传。"]


def test_a_nul_byte_in_a_small_file_is_named_too_not_taken_for_a_binary_file(client, world, tmp_path):
    content = _csv("jizhou-14-sti,1,2023,1.7,\x00,")
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert errors == ["第 2 行 · source: 含有不可见的控制字符 U+0000（空字符），请删除后重新上传。"]


def test_other_control_characters_are_named_too(client, world, tmp_path):
    content = _csv("jizhou-14-sti,1,2023,1.7,统计公报,\x1b[31m红字", "jizhou-14-sti,2,2023,110,\x7f,")
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert errors == [
        "第 2 行 · note: 含有不可见的控制字符 U+001B，请删除后重新上传。",
        "第 3 行 · source: 含有不可见的控制字符 U+007F，请删除后重新上传。",
    ]


def test_a_source_longer_than_the_model_allows_is_refused_at_the_preview(client, world, tmp_path):
    content = _csv("jizhou-14-sti,1,2023,1.7,统计公报,", f"jizhou-14-sti,2,2023,110,{'统' * 201},")
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert errors == ["第 3 行 · source: 内容有 201 个字符，最多 200 个。"]


def test_a_source_of_exactly_200_characters_is_written(client, world, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(_csv(f"jizhou-14-sti,2,2021,110,{'统' * 200},"))
    call_command("import_values", str(path), *_as_official(world), stdout=io.StringIO())
    assert IndicatorValue.objects.get().source == "统" * 200


def test_a_note_that_opens_a_quote_and_never_closes_it_names_its_row(client, world, tmp_path):
    content = _csv(
        "jizhou-14-sti,1,2023,1.7,统计公报,",
        'jizhou-14-sti,2,2023,110,统计公报,"口径调整',
        "jizhou-14-sti,3,2023,4,统计公报,",
        "jizhou-14-sti,3,2022,4,统计公报,",
    )
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert len(errors) == 1 and errors[0].startswith("第 3 行: 引号未闭合"), errors
    assert "第 5 行" in errors[0]  # where the swallowed text ends


def test_a_quote_closed_rows_later_is_an_unclosed_quote_of_the_row_that_opened_it(client, world, tmp_path):
    content = _csv(
        'jizhou-14-sti,1,2023,1.7,统计公报,"口径调整',
        "jizhou-14-sti,2,2023,110,统计公报,",
        'jizhou-14-sti,3,2023,4,统计公报,见"附件"',
    )
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert len(errors) == 1 and errors[0].startswith("第 2 行: 引号未闭合"), errors


def test_a_quote_that_swallows_rows_and_closes_cleanly_is_still_caught(client, world, tmp_path):
    content = _csv(
        'jizhou-14-sti,1,2023,1.7,统计公报,"口径调整',
        'jizhou-14-sti,2,2023,110,统计公报,"',
        "jizhou-14-sti,3,2023,4,统计公报,",
    )
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert len(errors) == 1 and errors[0].startswith("第 2 行: 引号未闭合"), errors


def test_a_stray_quote_after_a_closed_one_is_named_by_row(client, world, tmp_path):
    content = _csv("jizhou-14-sti,1,2023,1.7,统计公报,", 'jizhou-14-sti,2,2023,110,"统计"公报,')
    errors = _refused_everywhere(client, world, tmp_path, content, "values.csv")
    assert errors == ['第 3 行: 引号使用有误：格内的引号应写成两个（""），并把整格用引号括起来。']


def test_a_quoted_note_over_several_lines_is_fine(client, world, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(_csv('jizhou-14-sti,1,2021,1.7,统计公报,"第一行\n第二行，含""引号"""', "jizhou-14-sti,2,2021,110,,"))
    call_command("import_values", str(path), *_as_official(world), stdout=io.StringIO())
    assert IndicatorValue.objects.get(indicator=world.share).note == '第一行\n第二行，含"引号"'
    assert IndicatorValue.objects.count() == 2


@pytest.mark.parametrize("year, message", [
    ("2030", "第 2 行 · year: jizhou-14-sti 规划 的规划期是 2021—2025，没有 2030 年度。"),
    ("0", "第 2 行 · year: 年份“0”无效，应为四位整数。"),
    ("40000", "第 2 行 · year: 年份“40000”无效，应为四位整数。"),
    ("2022.5", "第 2 行 · year: 年份“2022.5”无效，应为四位整数。"),
])
def test_a_year_outside_the_plans_period_is_refused(client, world, tmp_path, year, message):
    errors = _refused_everywhere(client, world, tmp_path, _csv(f"jizhou-14-sti,1,{year},1.7,,"), "values.csv")
    assert errors == [message]


def test_a_plan_without_a_period_takes_no_values(world, tmp_path):
    Plan.objects.create(code="no-period", title="无规划期的规划")
    path = tmp_path / "values.csv"
    path.write_bytes(_csv("no-period,1,0,1.7,,"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_values", str(path), *_as_official(world), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == ["第 2 行 · plan: 无规划期的规划 尚未设定规划期（起止年份），设定后才能填报。"]
    assert IndicatorValue.objects.count() == 0


def test_a_value_that_cannot_be_read_is_named(client, world, tmp_path):
    errors = _refused_everywhere(client, world, tmp_path, _csv("jizhou-14-sti,2,2023,一百一十,,"), "values.csv")
    assert len(errors) == 1 and errors[0].startswith("第 2 行 · value: “一百一十”不是有效的数值")


# xlsx ------------------------------------------------------------------------------------------


def test_an_xlsx_source_longer_than_200_characters_is_refused_at_the_preview(client, world, tmp_path):
    def edit(ws, rows):
        ws.cell(rows[2], COL["本年数值"]).value = 110
        ws.cell(rows[2], COL["数据来源"]).value = "统" * 250

    errors = _refused_everywhere(client, world, tmp_path, _template(world, edit), "填报.xlsx")
    assert errors == [f"第 {FIRST_DATA_ROW + 1} 行 · 数据来源: 内容有 250 个字符，最多 200 个。"]


def test_an_xlsx_control_character_is_named(client, world, tmp_path):
    def edit(ws, rows):
        ws.cell(rows[1], COL["本年数值"]).value = 1.7
        ws.cell(rows[1], COL["说明"]).value = "口径\x85调整"  # NEL: legal in XML, invisible in Excel

    errors = _refused_everywhere(client, world, tmp_path, _template(world, edit), "填报.xlsx")
    assert errors == [f"第 {FIRST_DATA_ROW} 行 · 说明: 含有不可见的控制字符 U+0085，请删除后重新上传。"]


def _blank_rows_sheet(content: bytes, rows: int, *, dimension: bool):
    """The template's sheet followed by ``rows`` empty rows, written straight into the zip part."""
    sheet = zipfile.ZipFile(io.BytesIO(content)).read(SHEET_PART).decode()
    last = max(int(r) for r in re.findall(r'<row r="(\d+)"', sheet))
    head, tail = sheet.split("</sheetData>")
    if dimension:
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:K{last + rows}"/>', head)
    else:
        head = re.sub(r'<dimension ref="[^"]*"/>', "", head)

    def write(member):
        member.write(head.encode())
        end = last + rows + 1
        for start in range(last + 1, end, 10_000):
            member.write("".join(f'<row r="{r}"/>' for r in range(start, min(start + 10_000, end))).encode())
        member.write(("</sheetData>" + tail).encode())

    return write


def test_a_sheet_of_1_3_million_blank_rows_is_refused_from_the_zip_directory(client, world, tmp_path):
    template = _template(world)
    bomb = _with_parts(template, {SHEET_PART: _blank_rows_sheet(template, 1_300_000, dimension=True)})
    assert len(bomb) < 8 * 1024 * 1024  # small on disk
    started = time.monotonic()
    errors = _refused_everywhere(client, world, tmp_path, bomb, "填报.xlsx")
    assert time.monotonic() - started < 10
    assert errors == ["文件: xlsx 中的“xl/worksheets/sheet1.xml”解压后有 21 MB，超过 20 MB 的上限，拒绝处理。"]


@pytest.mark.parametrize("dimension", [True, False], ids=["stated", "unstated"])
def test_a_sheet_with_more_rows_than_the_cap_is_refused_whether_it_says_so_or_not(
    client, world, tmp_path, dimension
):
    template = _template(world)
    bomb = _with_parts(template, {SHEET_PART: _blank_rows_sheet(template, 200_000, dimension=dimension)})
    started = time.monotonic()
    errors = _refused_everywhere(client, world, tmp_path, bomb, "填报.xlsx")
    assert time.monotonic() - started < 5
    assert errors == [
        f"文件: 工作表超过 {MAX_SHEET_ROWS} 行或 {MAX_SHEET_CELLS} 个单元格（空行、空单元格也算在内），拒绝处理。请重新下载模板填写。"
    ]


def test_a_row_numbered_far_down_without_a_dimension_is_stopped_while_reading(client, world, tmp_path):
    """One <row r="50000"> holds few cells, but openpyxl makes up every empty row above it."""
    template = _template(world)
    sheet = zipfile.ZipFile(io.BytesIO(template)).read(SHEET_PART).decode()
    sheet = re.sub(r'<dimension ref="[^"]*"/>', "", sheet)
    sheet = sheet.replace("</sheetData>", '<row r="50000"><c r="A50000" t="n"><v>1</v></c></row></sheetData>')
    bomb = _with_parts(template, {SHEET_PART: sheet.encode()})
    errors = _refused_everywhere(client, world, tmp_path, bomb, "填报.xlsx")
    assert errors == [
        f"文件: 工作表超过 {MAX_SHEET_ROWS} 行或 {MAX_SHEET_CELLS} 个单元格（空行、空单元格也算在内），拒绝处理。请重新下载模板填写。"
    ]


def test_95_mb_of_shared_strings_are_refused_before_openpyxl_reads_them(client, world, tmp_path, monkeypatch):
    def strings(member):
        member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        chunk = b"<si><t>" + b"x" * 1009 + b"</t></si>"  # 1 KB
        for _ in range(95 * 1024):
            member.write(chunk)
        member.write(b"</sst>")

    bomb = _with_parts(_template(world), {"xl/sharedStrings.xml": strings})
    assert len(bomb) < 1024 * 1024
    path = tmp_path / "strings.xlsx"
    path.write_bytes(bomb)
    monkeypatch.setattr("projects.imports.reading.load_workbook", _must_not_be_called)
    errors = _refused_everywhere(client, world, tmp_path, path.read_bytes(), "填报.xlsx")
    assert errors == ["文件: xlsx 中的“xl/sharedStrings.xml”解压后有 95 MB，超过 20 MB 的上限，拒绝处理。"]


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("openpyxl must not open a bomb")


def _central_directory_version(content: bytes, version: int) -> bytes:
    """Every central directory entry claims it needs zip version ``version`` to be extracted."""
    data = bytearray(content)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 6:at + 8] = version.to_bytes(2, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


@pytest.mark.parametrize("damage", ["truncated", "unknown zip version", "missing sheet", "garbage"])
def test_a_damaged_xlsx_gets_a_message_not_a_500(client, world, tmp_path, damage):
    template = _template(world)
    content = {
        "truncated": template[: len(template) // 2],
        "unknown zip version": _central_directory_version(template, 200),  # zipfile: NotImplementedError
        "missing sheet": _with_parts(template, {SHEET_PART: None}),  # openpyxl: KeyError
        "garbage": b"PK\x03\x04" + bytes(range(256)) * 4,
    }[damage]
    errors = _refused_everywhere(client, world, tmp_path, content, "填报.xlsx")
    assert len(errors) == 1 and errors[0].startswith("文件: "), errors
    assert ("xlsx" in errors[0]) if damage != "missing sheet" else ("找不到名为“填报”的工作表" in errors[0])


# Read once, and uploads never confirmed --------------------------------------------------------


def _upload(client, world, content: bytes, name="values.csv"):
    file = io.BytesIO(content)
    file.name = name
    url = reverse("excel:upload", args=[world.plan.code, world.year, world.org.pk])
    return client.post(url, {"file": file, "state": State.DRAFT})


def test_the_file_is_read_once_and_confirm_writes_what_the_preview_validated(
    client, world, monkeypatch, tmp_path
):
    reads = []

    def counting(*args, **kwargs):
        reads.append(args[1])
        return read_file(*args, **kwargs)

    monkeypatch.setattr(excel_views, "read_file", counting)
    client.force_login(world.official)
    response = _upload(client, world, _csv("jizhou-14-sti,1,2023,1.7,统计公报,"))
    staged = StagedUpload.objects.get()
    scope = (staged.user, staged.plan, staged.year, staged.organization)
    assert scope == (world.official, world.plan, 2023, world.org)
    assert staged.rows[0]["value"] == "1.7" and not (tmp_path / "staging").exists()  # rows kept, not the file
    assert "1.7" in client.get(response["Location"]).content.decode()
    assert client.post(response["Location"] + "confirm/", {"action": "confirm"}).status_code == 302
    assert reads == ["values.csv"]
    assert IndicatorValue.objects.get().value == Decimal("1.7")
    assert StagedUpload.objects.count() == 0


def test_confirm_without_a_preview_writes_nothing(client, world):
    client.force_login(world.official)
    response = _upload(client, world, _csv("jizhou-14-sti,1,2023,1.7,统计公报,"))
    client.post(response["Location"] + "confirm/", {"action": "confirm"})
    assert IndicatorValue.objects.count() == 0


def test_an_expired_upload_cannot_be_previewed_or_confirmed(client, world):
    client.force_login(world.official)
    response = _upload(client, world, _csv("jizhou-14-sti,1,2023,1.7,统计公报,"))
    client.get(response["Location"])
    StagedUpload.objects.update(created_at=timezone.now() - StagedUpload.LIFETIME - timedelta(minutes=1))
    assert client.post(response["Location"] + "confirm/", {"action": "confirm"}).status_code == 404
    assert client.get(response["Location"]).status_code == 404
    assert IndicatorValue.objects.count() == 0 and StagedUpload.objects.count() == 0


def test_uploads_never_confirmed_are_cleared_by_anyone_without_a_new_upload(client, world):
    client.force_login(world.official)
    _upload(client, world, _csv("jizhou-14-sti,1,2023,1.7,统计公报,"))
    _upload(client, world, _csv("jizhou-14-sti,1,2023,1.8,统计公报,"))
    old, fresh = StagedUpload.objects.order_by("pk")
    StagedUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    client.force_login(world.other_official)  # someone else only opens their upload page
    client.get(reverse("excel:upload", args=[world.plan.code, world.year, world.other_org.pk]))
    assert list(StagedUpload.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_the_cleanup_command_clears_expired_uploads_only(client, world, settings, tmp_path):
    legacy, intake = tmp_path / "staging" / "old.upload", tmp_path / "staging" / "intake" / "draft.upload"
    intake.parent.mkdir(parents=True)
    legacy.write_bytes(b"plan,indicator")  # a file an earlier release kept for its preview
    intake.write_bytes(b"plan text")  # the plan intake's, not ours
    client.force_login(world.official)
    _upload(client, world, _csv("jizhou-14-sti,1,2023,1.7,统计公报,"))
    _upload(client, world, _csv("jizhou-14-sti,1,2023,1.8,统计公报,"))
    old, fresh = StagedUpload.objects.order_by("pk")
    StagedUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    out = io.StringIO()
    call_command("clear_staged_uploads", stdout=out)
    assert out.getvalue().strip() == "已删除 1 个过期的待确认导入。"
    assert list(StagedUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not legacy.exists() and intake.exists()


def test_a_file_the_reader_refuses_is_not_staged(client, world):
    client.force_login(world.official)
    response = _upload(client, world, b"PK\x03\x04 not really", name="填报.xlsx")
    assert response.status_code == 400 and StagedUpload.objects.count() == 0
    with pytest.raises(UploadError):
        read_upload(b"PK\x03\x04 not really", "填报.xlsx")


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_of_one_upload_at_once_write_it_once(world):
    from django.db import connection
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(world.official)
    second.force_login(world.official)
    content = _csv("jizhou-14-sti,1,2023,1.7,统计公报,", "jizhou-14-sti,2,2023,110,,")
    preview_url = _upload(first, world, content)["Location"]
    first.get(preview_url)
    start, answers = threading.Barrier(2), {}

    def confirm(name, client):
        try:
            start.wait(timeout=10)
            answers[name] = client.post(preview_url + "confirm/", {"action": "confirm"})
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=item) for item in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    entry_url = reverse("projects:value_entry", args=[world.plan.code, world.year, world.org.pk])
    outcomes = sorted(
        "written" if r.status_code == 302 and r["Location"] == entry_url else str(r.status_code)
        for r in answers.values()
    )
    assert outcomes[1] == "written" and outcomes[0] in ("302", "404"), outcomes
    assert IndicatorValue.objects.count() == 2 and IndicatorValue.history.count() == 2
    assert StagedUpload.objects.count() == 0
