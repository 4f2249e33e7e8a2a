"""The Excel entry template and its round trip through the upload → preview → confirm pages."""
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from projects.choices import State, Vintage
from projects.excel import COL, FIRST_DATA_ROW, HEADERS, SHEET_NAME, build_template
from projects.models import IndicatorValue

from .factories import make_value

VALUE_COLUMN = get_column_letter(COL["本年数值"])
pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_STAGING_ROOT = tmp_path / "staging"


def _template(world, year=None):
    return load_workbook(io.BytesIO(build_template(world.plan, year or world.year, world.org)))


def _row_of(ws, number):
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(r, COL["序号"]).value == number:
            return r
    raise AssertionError(f"no row for indicator {number}")


def _urls(world):
    args = [world.plan.code, world.year, world.org.pk]
    return reverse("excel:template_download", args=args), reverse("excel:upload", args=args)


def _xlsx_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload(client, world, content: bytes, name="填报.xlsx", state=State.DRAFT):
    file = io.BytesIO(content)
    file.name = name
    return client.post(_urls(world)[1], {"file": file, "state": state})


# The template -----------------------------------------------------------------------------------


def test_it_builds_a_protected_template_with_chinese_headers_and_hidden_ids(world):
    wb = _template(world)
    ws = wb[SHEET_NAME]
    assert wb.sheetnames == [SHEET_NAME, "meta"]
    assert [cell.value for cell in ws[2]] == HEADERS
    assert f"A1:{get_column_letter(COL['说明'])}1" in {str(r) for r in ws.merged_cells.ranges}
    assert "单位" in ws["A1"].value and "说明" in ws["A1"].value and "1.65" in ws["A1"].value
    assert all(ws.column_dimensions[get_column_letter(COL[h])].hidden for h in ("指标ID", "版本"))
    assert ws.protection.sheet and wb.security.lockStructure
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width > 20


def test_it_unlocks_only_the_input_cells(world):
    ws = _template(world)[SHEET_NAME]
    r = _row_of(ws, 1)
    unlocked = {header for header in HEADERS if not ws.cell(r, COL[header]).protection.locked}
    assert unlocked == {"本年数值", "数据来源", "数据性质(初步/核实)", "说明"}


def test_it_validates_number_cells_and_offers_the_vintage_list(world):
    ws = _template(world)[SHEET_NAME]
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert set(validations) == {"decimal", "whole", "list"}
    share_row, rank_row = _row_of(ws, 1), _row_of(ws, 3)
    shares = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal" and dv.formula2 == "100"]
    assert shares and f"{VALUE_COLUMN}{share_row}" in str(shares[0].sqref)
    assert f"{VALUE_COLUMN}{rank_row}" in str(validations["whole"].sqref)
    assert validations["list"].formula1 == '"初步,核实"'


def test_it_prefills_the_official_organizations_indicators_and_values(world):
    make_value(world.share, world.year - 1, "1.72", State.APPROVED)
    current = make_value(world.share, world.year, "1.8", State.RETURNED, source="统计公报", note="口径调整",
                         vintage=Vintage.VERIFIED, version=3)
    wb = _template(world)
    ws = wb[SHEET_NAME]
    numbers = [ws.cell(r, COL["序号"]).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    assert numbers == [1, 2, 3]  # not the other organization's indicator 4
    r = _row_of(ws, 1)
    row = {header: ws.cell(r, COL[header]).value for header in HEADERS}
    assert row["指标"] == "R&D经费投入强度" and row["单位"] == "%"
    assert (row["基期值"], row["参照值"], row["本年数值"]) == (1.65, 1.72, 1.8)
    assert row["参照"] == f"上年已审核值（{world.year - 1}年）"
    assert (row["数据来源"], row["数据性质(初步/核实)"], row["说明"]) == ("统计公报", "核实", "口径调整")
    assert (row["指标ID"], row["版本"]) == (world.share.pk, current.version)
    meta = {row[0]: row[1] for row in wb["meta"].iter_rows(values_only=True)}
    assert meta == {"plan": world.plan.code, "year": world.year, "organization": world.org.pk}
    assert wb["meta"].sheet_state == "hidden"


def test_it_writes_formula_like_text_as_text(world):
    world.share.name = '=HYPERLINK("http://evil.example","点击")'
    world.share.save()
    make_value(world.share, world.year, "1.8", note="+1 较上年", source="@统计局")
    content = build_template(world.plan, world.year, world.org)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets)
    ws = load_workbook(io.BytesIO(content))[SHEET_NAME]
    r = _row_of(ws, 1)
    assert ws.cell(r, COL["指标"]).value.startswith("=HYPERLINK") and ws.cell(r, COL["指标"]).data_type == "s"
    assert ws.cell(r, COL["说明"]).value == "+1 较上年"


# Access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [
    ("official", 200), ("reviewer", 403), ("planner", 403), ("outsider", 403), ("other_official", 403),
])
def test_only_the_organizations_officials_download_and_upload(client, world, persona, status):
    client.force_login(getattr(world, persona))
    download, upload = _urls(world)
    response = client.get(download)
    assert response.status_code == status
    assert client.get(upload).status_code == status
    assert _upload(client, world, build_template(world.plan, world.year, world.org)).status_code in (
        (302,) if status == 200 else (403,)
    )
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]


def test_an_admin_may_download_for_any_organization(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw-for-tests-1"))
    assert client.get(_urls(world)[0]).status_code == 200


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(_urls(world)[0])
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_user_cannot_use_an_upload_token(client, world):
    client.force_login(world.official)
    preview_url = _upload(client, world, build_template(world.plan, world.year, world.org))["Location"]
    client.force_login(world.other_official)
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url + "confirm/", {"action": "confirm"}).status_code == 404


# The round trip ---------------------------------------------------------------------------------


def test_it_round_trips_upload_preview_confirm(client, world):
    make_value(world.count, world.year, "120", State.DRAFT)
    client.force_login(world.official)
    wb = load_workbook(io.BytesIO(client.get(_urls(world)[0]).content))
    ws = wb[SHEET_NAME]
    ws.cell(_row_of(ws, 1), COL["本年数值"]).value = 1.8
    ws.cell(_row_of(ws, 1), COL["数据来源"]).value = "蓟州区统计公报"
    ws.cell(_row_of(ws, 2), COL["本年数值"]).value = 130
    response = _upload(client, world, _xlsx_bytes(wb))
    assert response.status_code == 302

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in html
    assert "120" in html and "130" in html and "1.8" in html and "草稿" in html
    assert IndicatorValue.objects.count() == 1  # nothing written before the confirmation

    confirmed = client.post(response["Location"] + "confirm/", {"action": "confirm"})
    assert confirmed.status_code == 302
    share = IndicatorValue.objects.get(indicator=world.share, year=world.year)
    count = IndicatorValue.objects.get(indicator=world.count, year=world.year)
    assert (share.value, share.source, share.state, share.entered_by) == (
        Decimal("1.8"), "蓟州区统计公报", State.DRAFT, world.official
    )
    assert (count.value, count.version) == (Decimal("130"), 2)
    assert count.history.first().history_change_reason == "Excel 导入"
    assert count.history.first().history_user == world.official
    assert client.post(response["Location"] + "confirm/", {"action": "confirm"}).status_code == 404  # used up


def test_it_can_submit_on_upload(client, world):
    client.force_login(world.official)
    wb = _template(world)
    ws = wb[SHEET_NAME]
    ws.cell(_row_of(ws, 1), COL["本年数值"]).value = 1.7
    preview_url = _upload(client, world, _xlsx_bytes(wb), state=State.SUBMITTED)["Location"]
    client.get(preview_url)
    client.post(preview_url + "confirm/", {"action": "confirm"})
    value = IndicatorValue.objects.get()
    assert value.state == State.SUBMITTED and value.submitted_by == world.official


def test_the_preview_lists_errors_with_row_and_column_and_offers_no_confirmation(client, world):
    client.force_login(world.official)
    wb = _template(world)
    ws = wb[SHEET_NAME]
    ws.cell(_row_of(ws, 1), COL["本年数值"]).value = 150
    ws.cell(_row_of(ws, 2), COL["本年数值"]).value = 130
    preview_url = _upload(client, world, _xlsx_bytes(wb))["Location"]
    html = client.get(preview_url).content.decode()
    assert f"第 {_row_of(ws, 1)} 行 · 本年数值" in html and "0 到 100" in html
    assert 'id="confirm-import"' not in html
    client.post(preview_url + "confirm/", {"action": "confirm"})
    assert IndicatorValue.objects.count() == 0


def test_confirm_refuses_when_the_data_changed_after_the_preview(client, world):
    value = make_value(world.share, world.year, "1.7", State.DRAFT)
    client.force_login(world.official)
    wb = _template(world)
    ws = wb[SHEET_NAME]
    ws.cell(_row_of(ws, 1), COL["本年数值"]).value = 1.9
    preview_url = _upload(client, world, _xlsx_bytes(wb))["Location"]
    client.get(preview_url)
    IndicatorValue.objects.filter(pk=value.pk).update(value=Decimal("1.75"), version=2)
    client.post(preview_url + "confirm/", {"action": "confirm"})
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal("1.75"), 2)


def test_a_csv_can_be_uploaded_for_the_organization_but_not_for_others(client, world):
    client.force_login(world.official)
    content = "plan,indicator,year,value,source,note\njizhou-14-sti,1,2023,1.7,统计公报,\njizhou-14-sti,4,2023,11,,\n"
    preview_url = _upload(client, world, content.encode(), name="values.csv")["Location"]
    html = client.get(preview_url).content.decode()
    assert "第 3 行 · indicator: 不属于本次填报范围" in html and 'id="confirm-import"' not in html
    content = "plan,indicator,year,value,source,note\njizhou-14-sti,1,2023,1.7,统计公报,\n"
    preview_url = _upload(client, world, content.encode(), name="values.csv")["Location"]
    client.get(preview_url)
    client.post(preview_url + "confirm/", {"action": "confirm"})
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("1.7") and value.history.first().history_change_reason == "CSV 导入"


def test_a_renamed_sheet_is_refused_on_upload(client, world):
    client.force_login(world.official)
    wb = _template(world)
    wb[SHEET_NAME].title = "Sheet1"
    response = _upload(client, world, _xlsx_bytes(wb))
    assert response.status_code == 400
    assert "填报" in response.content.decode() and "Sheet1" in response.content.decode()


def test_cancel_discards_the_upload(client, world):
    client.force_login(world.official)
    wb = _template(world)
    ws = wb[SHEET_NAME]
    ws.cell(_row_of(ws, 1), COL["本年数值"]).value = 1.7
    preview_url = _upload(client, world, _xlsx_bytes(wb))["Location"]
    assert client.post(preview_url + "confirm/", {"action": "cancel"}).status_code == 302
    assert client.get(preview_url).status_code == 404
    assert IndicatorValue.objects.count() == 0
