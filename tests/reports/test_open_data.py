"""Open data downloads (CSV, JSON) and the workbook downloads, as a visitor and as a signed-in official."""

import io
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from core.numbers import optional_text as plain_number
from core.spreadsheet import csv_safe
from reports.opendata import CSV_FIELDS

from . import workbook_factories as f

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_csv(content: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def signed_in(client):
    client.force_login(f.user())
    return client


# ---------------------------------------------------------------------------- CSV


def test_it_writes_plain_numbers_and_neutralises_formulas():
    assert plain_number(Decimal("1.6500")) == "1.65" and plain_number(Decimal("100.0000")) == "100"
    assert plain_number(Decimal("0.0000")) == "0" and plain_number(None) is None
    assert [csv_safe(t) for t in ("=1+2", "+件", "-x", "@SUM(A1)", "\tx", "正常", None)] == [
        "'=1+2", "'+件", "'-x", "'@SUM(A1)", "'\tx", "正常", "",
    ]  # fmt: skip


def test_the_csv_has_a_bom_and_round_trips_through_pandas(client):
    plan = f.district_plan()
    response = client.get(reverse("opendata:plan_csv", args=[plan.code]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="district-14.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    frame = read_csv(response.content)
    assert list(frame.columns) == CSV_FIELDS
    assert len(frame) == 5 * 5  # five indicators × 2021–2025
    rd = frame[frame["number"] == "1"].set_index("year")
    assert rd.loc["2021", "name"] == "全社会R&D支出占地区生产总值比重" and rd.loc["2021", "unit"] == "%"
    values = [rd.loc[year, "value"] for year in ("2021", "2022", "2023", "2024", "2025")]
    assert values == ["1.7", "1.8", "1.85", "", ""]  # 2024 is only submitted
    assert rd.loc["2021", "baseline_value"] == "1.65" and rd.loc["2021", "target_value"] == "2"
    assert rd.loc["2021", "attribute"] == "expected" and rd.loc["2021", "target_kind"] == "at_least"
    for _, line in frame[frame["value"] != ""].iterrows():
        stored = plan.indicators.get(number=int(line["number"])).values.get(year=int(line["year"]))
        assert Decimal(line["value"]) == stored.value and stored.state == "approved"


def test_the_csv_neutralises_formula_injection(client):
    plan = f.hostile_plan()
    frame = read_csv(client.get(reverse("opendata:plan_csv", args=[plan.code])).content)
    first, second = frame[frame["year"] == "2023"].to_dict("records")
    assert first["name"] == "'=1+2" and first["unit"] == "'+件" and first["target_text"] == "'@SUM(A1:A3)"
    assert second["name"] == "'-负号开头的指标" and second["target_text"] == "'=cmd|' /C calc'!A0"
    assert first["value"] == "5" and first["baseline_value"] == "3"  # numbers are left alone


def test_a_plan_without_a_period_still_lists_its_indicators(client):
    plan = f.plan("undated", start=None, end=None, base=None)
    f.indicator(plan, 1, "指标", baseline=None)
    frame = read_csv(client.get(reverse("opendata:plan_csv", args=[plan.code])).content)
    assert frame[["number", "year", "value"]].to_dict("records") == [{"number": "1", "year": "", "value": ""}]


# ---------------------------------------------------------------------------- JSON


def test_the_json_has_the_plan_and_its_indicators_with_approved_values(client):
    plan = f.district_plan()
    data = client.get(reverse("opendata:plan_json", args=[plan.code])).json()
    assert set(data) == {"plan", "indicators"}
    assert data["plan"]["code"] == "district-14" and data["plan"]["start_year"] == 2021
    assert data["plan"]["region"] == "测试市" and data["plan"]["url"] == plan.get_absolute_url()
    assert [i["number"] for i in data["indicators"]] == [1, 2, 3, 4, 5]
    rd = data["indicators"][0]
    assert rd["baseline_value"] == "1.65" and rd["target_value"] == "2" and rd["target_kind"] == "at_least"
    assert rd["attribute_label"] == "预期性"
    assert rd["values"] == [
        {"year": 2021, "value": "1.7", "vintage": "verified"},
        {"year": 2022, "value": "1.8", "vintage": "verified"},
        {"year": 2023, "value": "1.85", "vintage": "verified"},
    ]  # the 2024 value is only submitted


def test_unknown_plans_are_not_found(client):
    for name in ("opendata:plan_csv", "opendata:plan_json", "opendata:plan_workbook"):
        assert client.get(reverse(name, args=["nope"])).status_code == 404


# ---------------------------------------------------------------------------- workbook downloads


def test_a_visitor_downloads_a_plans_workbook(client):
    plan = f.district_plan()
    response = client.get(reverse("opendata:plan_workbook", args=[plan.code]), {"year": 2023})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames[:2] == ["汇总", "某区科技十四五"]
    assert wb["某区科技十四五"]["A2"].value == "2023年度监测评估"


def test_the_year_defaults_to_the_latest_with_approved_data(client):
    plan = f.district_plan()
    response = client.get(reverse("opendata:plan_workbook", args=[plan.code]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb["汇总"]["A1"].value == "2023年度规划监测评估汇总表"


def test_preliminary_values_are_for_signed_in_users_only(client):
    plan = f.district_plan()
    url = reverse("opendata:plan_workbook", args=[plan.code])
    refused = client.get(url, {"year": 2024, "preliminary": 1})
    assert refused.status_code == 302 and reverse("accounts:login") in refused["Location"]
    # who of them: tests/security/test_visibility.py; a user of no organization may see none
    assert signed_in(client).get(url, {"year": 2024, "preliminary": 1}).status_code == 403
    client.force_login(User.objects.create_superuser("root", "root@example.gov.cn", "pw-for-tests-123"))
    response = client.get(url, {"year": 2024, "preliminary": 1})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["某区科技十四五"]
    assert ws["K4"].value == "2024年" and ws["K5"].value == 1.9


def test_a_bad_year_is_refused_with_a_message(client):
    plan = f.district_plan()
    url = reverse("opendata:plan_workbook", args=[plan.code])
    outside = client.get(url, {"year": 2030})
    assert outside.status_code == 400 and "2030年不在规划期内" in outside.content.decode()
    assert client.get(url, {"year": "abc"}).status_code == 400


def test_several_plans_in_one_workbook(client):
    f.district_plan(), f.hostile_plan()
    f.plan("old-plan", short_name="旧规划", start=2011, end=2015, base=2010)
    url = reverse("opendata:workbook")
    listed = client.get(url, {"year": 2023, "plans": "hostile,district-14"})
    assert openpyxl.load_workbook(io.BytesIO(b"".join(listed.streaming_content))).sheetnames == [
        "汇总", "=恶意规划", "某区科技十四五", "某区科技十四五-任务",
    ]  # fmt: skip
    every = client.get(url, {"year": 2023})
    names = openpyxl.load_workbook(io.BytesIO(b"".join(every.streaming_content))).sheetnames
    assert "旧规划" not in names and {"=恶意规划", "某区科技十四五"} <= set(names)
    unknown = client.get(url, {"year": 2023, "plans": "district-14,nope"})
    assert unknown.status_code == 404 and "nope" in unknown.content.decode()
    assert client.get(url, {"year": 2013, "plans": "district-14"}).status_code == 400
    assert client.get(url, {"year": 2023, "preliminary": 1}).status_code == 302


# ---------------------------------------------------------------------------- links


def test_the_download_links_snippet():
    plan = f.district_plan()
    visitor = render_to_string(
        "reports/_downloads.html", {"plan": plan, "year": 2023, "user": AnonymousUser()}
    )
    assert f'href="{reverse("opendata:plan_workbook", args=[plan.code])}?year=2023"' in visitor
    assert reverse("opendata:plan_csv", args=[plan.code]) in visitor
    assert reverse("opendata:plan_json", args=[plan.code]) in visitor
    assert "preliminary=1" not in visitor
    official = render_to_string(
        "reports/_downloads.html", {"plan": plan, "year": 2023, "user": f.user(), "preliminary_allowed": True}
    )
    assert "year=2023&amp;preliminary=1" in official
    overview = render_to_string("reports/_downloads.html", {"year": 2023, "user": AnonymousUser()})
    assert f'href="{reverse("opendata:workbook")}?year=2023"' in overview
    chosen = render_to_string(
        "reports/_downloads.html", {"year": 2023, "plan_codes": ["a", "b"], "user": AnonymousUser()}
    )
    assert '?year=2023&amp;plans=a%2Cb"' in chosen
