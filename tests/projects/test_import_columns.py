"""Files as people make them: a CSV or an xlsx read by its column names (Chinese or English, any
order, optional columns left out, extra columns noticed), the indicator by 序号 or by exact name;
messages name columns in the page's language; the base year refused alike at preview and at write."""
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from projects import services
from projects.choices import State
from projects.excel import COL, FIRST_DATA_ROW, SHEET_NAME, build_template
from projects.imports import read_file, validate_rows
from projects.models import IndicatorValue, StagedUpload

from .factories import make_indicator, make_value

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def chinese_after_each_test(settings):
    """A request in English leaves English active in the thread: the next test starts in Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _csv(header: str, *lines: str, encoding="utf-8") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


def _xlsx(sheets: dict) -> bytes:
    """A workbook of {sheet title: rows}, as another office's spreadsheet would be."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _command(tmp_path, content: bytes, name="values.csv", *args) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_values", str(path), "--user", "official", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _refused(tmp_path, content: bytes, name="values.csv") -> list[str]:
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()
    before = IndicatorValue.objects.count()
    with pytest.raises(CommandError, match="没有写入任何数据"):
        call_command("import_values", str(path), "--user", "official", stdout=io.StringIO(), stderr=err)
    assert IndicatorValue.objects.count() == before
    return err.getvalue().splitlines()


def _values() -> list[tuple]:
    return [(v.indicator.number, v.year, v.value, v.source, v.note)
            for v in IndicatorValue.objects.select_related("indicator").order_by("indicator__number", "year")]


def _upload(client, world, content: bytes, name: str, **headers):
    client.force_login(world.official)
    file = io.BytesIO(content)
    file.name = name
    url = reverse("excel:upload", args=[world.plan.code, world.year, world.org.pk])
    return client.post(url, {"file": file, "state": State.DRAFT}, **headers)


def _page_text(response) -> str:
    return re.sub(r"<[^>]+>", "", response.content.decode())


def _errors(response) -> list[str]:
    """The errors a page lists, as text."""
    listed = response.content.decode().split('class="errorlist"', 1)[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]


# Accepted ---------------------------------------------------------------------------------------


def test_it_imports_a_statistics_offices_file_with_number_and_name(world, tmp_path):
    content = _csv(
        "plan,number,indicator,year,value,source",
        "jizhou-14-sti,1,R&D经费投入强度,2022,1.8,区统计局",
        "jizhou-14-sti,2,高新技术企业数量,2022,120,区统计局",
    )
    _command(tmp_path, content)
    assert _values() == [(1, 2022, Decimal("1.8"), "区统计局", ""), (2, 2022, Decimal("120"), "区统计局", "")]


def test_it_reads_chinese_headers_in_another_order_and_finds_the_indicator_by_name(world, tmp_path):
    content = _csv(
        "年份,指标名称,本年数值,备注,规划代码", "2022,高新技术企业数量,130,新认定较多,jizhou-14-sti", encoding="gbk",
    )
    _command(tmp_path, content)
    assert _values() == [(2, 2022, Decimal("130"), "", "新认定较多")]


def test_headers_are_compared_without_case_spaces_or_full_width_forms(world, tmp_path):
    content = _csv(" ＰＬＡＮ ,No.,Ｙｅａｒ,VALUE ,Data_Source,Notes", "jizhou-14-sti,２,2022,125,年鉴,")
    _command(tmp_path, content)
    assert _values() == [(2, 2022, Decimal("125"), "年鉴", "")]


def test_the_old_header_still_takes_the_number_and_a_name_in_its_indicator_column(world, tmp_path):
    content = _csv(
        "plan,indicator,year,value,source,note", "jizhou-14-sti,1,2022,1.8,,", "jizhou-14-sti,创新能力排名,2022,4,,",
    )
    _command(tmp_path, content)
    assert [(number, value) for number, _y, value, *_ in _values()] == [(1, Decimal("1.8")), (3, Decimal("4"))]


def test_extra_columns_are_ignored_with_a_notice_in_the_command_and_on_the_page(client, world, tmp_path):
    content = _csv("规划,序号,年份,数值,单位,填报人", "jizhou-14-sti,2,2023,120,家,张三")
    assert "以下列不认识，已忽略：单位、填报人。" in _command(tmp_path, content, "values.csv", "--dry-run")
    response = _upload(client, world, content, "values.csv")
    assert response.status_code == 302
    preview = _page_text(client.get(response["Location"]))
    assert "以下列不认识，已忽略：单位、填报人。" in preview and "1 个数值将被写入" in preview


def test_on_the_page_the_plan_and_year_columns_may_be_left_out(client, world):
    response = _upload(client, world, _csv("指标,数值,来源", "R&D经费投入强度,1.9,统计公报"), "values.csv")
    assert response.status_code == 302
    staged = StagedUpload.objects.get()
    assert (staged.rows[0]["plan"], staged.rows[0]["year"]) == ("jizhou-14-sti", 2023)
    client.get(response["Location"])
    assert client.post(response["Location"] + "confirm/", {"action": "confirm"}).status_code == 302
    assert _values() == [(1, 2023, Decimal("1.9"), "统计公报", "")]


def test_an_xlsx_that_is_not_our_template_is_read_from_its_first_sheet_with_a_header(client, world):
    content = _xlsx({
        "说明": [["本表由区统计局提供"], ["口径：年报"]],
        "数据": [
            ["蓟州区2023年科技指标"], [],
            ["序号", "指标名称", "单位", "本年数值", "数据来源"],
            [1, "R&D经费投入强度", "%", 0.0172, "统计公报"],
            [2, "高新技术企业数量", "家", 118, "科技局"],
        ],
    })
    book = load_workbook(io.BytesIO(content))
    book["数据"]["D4"].number_format = "0.00%"  # typed as 1.72 % in Excel: stored as 0.0172
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, world, buffer.getvalue(), "统计局.xlsx")
    assert response.status_code == 302
    preview = _page_text(client.get(response["Location"]))
    assert "以下列不认识，已忽略：单位。" in preview
    client.post(response["Location"] + "confirm/", {"action": "confirm"})
    assert _values() == [(1, 2023, Decimal("1.72"), "统计公报", ""), (2, 2023, Decimal("118"), "科技局", "")]


# Refused, named by row and column ------------------------------------------------------------


def test_a_missing_required_column_is_named_with_its_accepted_names(world, tmp_path):
    errors = _refused(tmp_path, _csv("序号,年份,数值", "1,2022,1.8"))
    assert errors[0] == "第 1 行 · 表头: 缺少“规划”列（可写作 规划代码 / 规划 / plan / plan code / plan_code）。"
    errors = _refused(tmp_path, _csv("plan,year,value", "jizhou-14-sti,2022,1.8"))
    assert errors[0].startswith("第 1 行 · 表头: 缺少指标列：请给出序号（可写作 序号 /")


def test_two_columns_of_the_same_meaning_are_refused(world, tmp_path):
    errors = _refused(tmp_path, _csv("plan,序号,year,数值,本年数值", "jizhou-14-sti,1,2022,1.8,1.9"))
    assert errors[0] == "第 1 行 · 表头: “数值”和“本年数值”是同一列（数值），请只保留一列。"


def test_an_unknown_or_ambiguous_name_is_an_error_naming_the_row(world, tmp_path):
    make_indicator(world.plan, world.org, 5, name="高新技术企业数量")
    errors = _refused(tmp_path, _csv(
        "规划,指标名称,年份,数值", "jizhou-14-sti,R&D经费投入强度,2022,1.8", "jizhou-14-sti,高新技术企业数量,2022,120",
        "jizhou-14-sti,研发强度,2022,1.8",
    ))
    assert errors == [
        "第 3 行 · 指标名称: 规划“jizhou-14-sti”有 2 个名为“高新技术企业数量”的指标（序号 2、5），请改填序号。",
        "第 4 行 · 指标名称: 规划“jizhou-14-sti”没有名为“研发强度”的指标（须与指标名称完全一致，或改填序号）。",
    ]


def test_a_number_and_a_name_that_disagree_are_an_error_naming_the_row(world, tmp_path):
    errors = _refused(tmp_path, _csv(
        "plan,number,indicator,year,value", "jizhou-14-sti,1,R&D经费投入强度,2022,1.8",
        "jizhou-14-sti,2,创新能力排名,2022,4",
    ))
    assert errors == ["第 3 行 · indicator: 序号 2 的指标是“高新技术企业数量”，与填写的指标名称“创新能力排名”不符。"]


def test_an_xlsx_without_a_recognisable_header_is_refused_with_a_message(world, tmp_path):
    errors = _refused(tmp_path, _xlsx({"Sheet1": [["名称", "金额"], ["a", 1]]}), "other.xlsx")
    assert errors[0].startswith("文件: 不是系统的填报模板，也没有找到表头")


def test_a_formula_never_calculated_in_another_sheet_is_named_by_its_header(world, tmp_path):
    errors = _refused(tmp_path, _xlsx({"S": [["规划", "序号", "年份", "本年数值"], ["jizhou-14-sti", 2, 2022, "=100+20"]]}),
                      "other.xlsx")
    assert errors[0].startswith("第 2 行 · 本年数值: 公式没有计算结果")


# The page's language -------------------------------------------------------------------------


def test_in_english_the_template_columns_are_named_in_english(client, world):
    stale = make_value(world.count, world.year, "120", State.DRAFT)
    book = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))
    sheet = book[SHEET_NAME]
    rows = {sheet.cell(r, COL["序号"]).value: r for r in range(FIRST_DATA_ROW, sheet.max_row + 1)}
    sheet.cell(rows[1], COL["本年数值"]).value = "abc"
    sheet.cell(rows[2], COL["本年数值"]).value = 130
    buffer = io.BytesIO()
    book.save(buffer)
    IndicatorValue.objects.filter(pk=stale.pk).update(version=2)
    response = _upload(client, world, buffer.getvalue(), "t.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    errors = _errors(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert [error.split(":")[0] for error in errors] == [f"Row {rows[1]} · Value", f"Row {rows[2]} · Version"]
    assert not any(CJK.search(error.split(":")[0]) for error in errors)


def test_in_english_header_messages_use_english_words_and_punctuation(client, world):
    response = _upload(client, world, _csv("序号,数值,colour", "1,1.8,red"), "values.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302  # plan and year come from the page
    page = _page_text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert "Columns not recognised, ignored: colour." in page
    response = _upload(client, world, _csv("规划,年份", "jizhou-14-sti,2023"), "values.csv", HTTP_ACCEPT_LANGUAGE="en")
    message = next(item for item in _errors(response) if "The indicator column is missing" in item)
    assert message.startswith("Row 1 · Header: The indicator column is missing: give its number (written 序号 /")
    accepted_names = re.sub(r"序号|指标序号|编号|指标名称|指标", "", message)  # the names a file may use stay
    assert not CJK.search(accepted_names)


# One rule for the period: preview and write agree ------------------------------------------


def test_the_base_year_is_refused_at_preview_exactly_as_the_write_path_refuses_it(world, tmp_path):
    base = world.plan.base_year
    rows = read_file(_csv("plan,number,year,value", f"jizhou-14-sti,2,{base},100")).rows
    preview = validate_rows(rows, user=world.official)
    with pytest.raises(services.BatchError) as write:
        services.values_write(world.official, [services.ValueChange(world.count, base, Decimal("100"), key=2)])
    assert preview.errors == [f"第 2 行 · year: {write.value.errors[2]}"]
    assert f"没有 {base} 年度" in preview.errors[0]
    assert _refused(tmp_path, _csv("plan,number,year,value", f"jizhou-14-sti,2,{base},100")) == preview.errors
    assert not IndicatorValue.objects.exists()


def test_in_english_a_chinese_header_is_named_by_its_meaning_first(client, world):
    response = _upload(client, world, _csv("序号,年份,数值,数据来源", "1,2023,abc,年鉴"), "v.csv", HTTP_ACCEPT_LANGUAGE="en")
    errors = _errors(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert len(errors) == 1 and errors[0].startswith("Row 2 · Value (数值): ")
    response = _upload(client, world, _csv("序号,年份,数值", "1,2023,abc"), "v.csv")
    assert _errors(client.get(response["Location"]))[0].startswith("第 2 行 · 数值: “abc”不是有效的数值")


def test_the_upload_page_lists_the_accepted_column_names_in_the_pages_language(client, world):
    client.force_login(world.official)
    url = reverse("excel:upload", args=[world.plan.code, world.year, world.org.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    guide = page.split('id="accepted-columns"', 1)[1].split("</details>", 1)[0]
    assert "Accepted column names" in guide and "规划代码 / 规划 / plan" in guide
    assert "<td>Year</td><td>年份 / 年度 / year</td><td>set by this page, may be left out</td>" in guide
    assert "<td>Value</td><td>数值 / 本年数值 / value</td><td>required</td>" in guide
