"""Issue 14 §1: unapproved values are seen only by their organization and by planners of the plan's
region (and above); everyone else, anonymous included, gets approved values only — on the dashboard
(page, CSV/XLSX export, charts, heatmap), in the plan's and the plans' workbooks, and never in open
data. For every URL × persona the test asserts WHAT is seen: the draft numbers present or absent."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from accounts.choices import RegionLevel, Role
from accounts.models import Membership, Organization, Region, User
from indicators.models import Indicator
from plans.models import Plan
from projects.choices import ProgressStatus, State
from projects.models import IndicatorValue, Project, ProjectProgress

OWN_DRAFT = "144.25"  # a draft of 蓟州区科技局's indicator
OTHER_DRAFT = "177.75"  # a submitted value of 蓟州区统计局's indicator, same plan
APPROVED = "130.5"
OWN_PROGRESS = "园区主体工程草稿进展"  # unapproved progress of 蓟州区科技局's project

PERSONAS = ["official", "reviewer", "other_official", "planner", "other_planner", "anonymous"]
# persona → (sees OWN_DRAFT, sees OTHER_DRAFT)
SEES = {
    "official": (True, False),
    "reviewer": (True, False),
    "other_official": (False, False),
    "planner": (True, True),
    "other_planner": (False, False),
    "anonymous": (False, False),
}


@pytest.fixture
def world(db):
    tianjin = Region.objects.create(name="天津市", level=RegionLevel.PROVINCE)
    jizhou = Region.objects.create(name="蓟州区", level=RegionLevel.COUNTY, parent=tianjin)
    shenzhen = Region.objects.create(name="深圳市", level=RegionLevel.CITY)
    jiangsu = Region.objects.create(name="江苏省", level=RegionLevel.PROVINCE)
    org = Organization.objects.create(name="蓟州区科技局", region=jizhou)
    stats = Organization.objects.create(name="蓟州区统计局", region=jizhou)
    orgs = {
        "shenzhen": Organization.objects.create(name="深圳市科技创新委员会", region=shenzhen),
        "tianjin": Organization.objects.create(name="天津市科技局", region=tianjin),
        "jiangsu": Organization.objects.create(name="江苏省科技厅", region=jiangsu),
    }
    plan = Plan.objects.create(
        code="jizhou-14-sti", title="蓟州区科技创新“十四五”规划", region=jizhou, start_year=2021, end_year=2025,
        base_year=2020,
    )  # fmt: skip
    common = {"unit": "家", "baseline_year": 2020, "baseline_value": Decimal("100"), "target_year": 2025,
              "target_text": "200家", "target_kind": "at_least", "target_value": Decimal("200")}  # fmt: skip
    own = Indicator.objects.create(plan=plan, number=1, name="高新技术企业数量", organization=org, **common)
    other = Indicator.objects.create(plan=plan, number=2, name="技术合同登记数", organization=stats, **common)
    IndicatorValue.objects.create(indicator=own, year=2023, value=Decimal(APPROVED), state=State.APPROVED)
    IndicatorValue.objects.create(indicator=own, year=2024, value=Decimal(OWN_DRAFT), state=State.DRAFT)
    IndicatorValue.objects.create(indicator=other, year=2024, value=Decimal(OTHER_DRAFT), state=State.SUBMITTED)
    project = Project.objects.create(plan=plan, organization=org, name="蓟州科技园建设")
    ProjectProgress.objects.create(
        project=project, year=2024, status=ProgressStatus.IN_PROGRESS, narrative=OWN_PROGRESS, state=State.SUBMITTED
    )

    def user(name, organization, role):
        u = User.objects.create_user(name, password="x")
        Membership.objects.create(user=u, organization=organization, role=role)
        return u

    return {
        "plan": plan,
        "official": user("official", org, Role.OFFICIAL),
        "reviewer": user("reviewer", org, Role.REVIEWER),
        "other_official": user("official-b", orgs["shenzhen"], Role.OFFICIAL),
        "planner": user("planner", orgs["tianjin"], Role.PLANNER),
        "other_planner": user("planner-js", orgs["jiangsu"], Role.PLANNER),
        "anonymous": None,
    }


def client_for(world, persona) -> Client:
    client = Client()
    if world[persona] is not None:
        client.force_login(world[persona])
    return client


def text_of(response) -> str:
    """Everything the response shows, workbooks included (every cell of every sheet)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        wb = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    return body.decode("utf-8")


def assert_sees(text: str, persona: str, drafts=True, approved=True) -> None:
    own, other = SEES[persona] if drafts else (False, False)
    assert (OWN_DRAFT in text) is own, f"{persona}: {OWN_DRAFT} {'missing' if own else 'leaked'}"
    assert (OTHER_DRAFT in text) is other, f"{persona}: {OTHER_DRAFT} {'missing' if other else 'leaked'}"
    if approved:
        assert APPROVED in text


DASHBOARD = "/reports/plans/jizhou-14-sti/?year=2024&preliminary=1"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("suffix", ["", "&_export=csv", "&_export=xlsx"])
def test_it_shows_the_dashboard_drafts_only_to_those_who_may_see_them(world, persona, suffix):
    response = client_for(world, persona).get(DASHBOARD + suffix)
    assert response.status_code == 200
    text = text_of(response)
    # the table shows the latest value only: the approved 2023 one when no 2024 draft is seen
    assert_sees(text, persona, approved=not (suffix and SEES[persona][0]))
    if suffix == "&_export=csv":  # the latest value a plain number, its state in 数据状态
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        preliminary = [row["最新值（2024）"] for row in rows if row["数据状态"] == "初步"]
        own, other = SEES[persona]
        assert (OWN_DRAFT in preliminary, OTHER_DRAFT in preliminary) == (own, other)
        assert preliminary or not own


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_keeps_drafts_out_of_the_charts_and_heatmap_data(world, persona):
    response = client_for(world, persona).get(DASHBOARD)
    charts = response.context["charts"]
    heatmap = response.context["heatmap"]
    chart_text = json.dumps([c["data"] for c in charts]) + json.dumps(heatmap["data"])
    own, other = SEES[persona]
    assert ("144.25" in chart_text) is own
    assert ("177.75" in chart_text) is other


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_hides_the_switch_or_says_why(world, persona):
    response = client_for(world, persona).get(DASHBOARD)
    html = response.content.decode()
    allowed = SEES[persona][0]
    assert ('name="preliminary"' in html) is allowed
    assert ("preliminary=1" in html and "含初步数据" in html) is allowed  # the workbook link
    if persona == "anonymous":
        assert "仅对登录用户显示" in html
    elif not allowed:
        assert "你无权查看该规划的初步数据" in html


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", [
    "/data/plans/jizhou-14-sti/assessment.xlsx?year=2024&preliminary=1",
    "/data/assessment.xlsx?year=2024&preliminary=1",
])  # fmt: skip
def test_it_puts_in_workbooks_only_the_drafts_the_user_may_see(world, persona, url):
    response = client_for(world, persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    if persona in ("other_official", "other_planner") and "/plans/" in url:
        assert response.status_code == 403
        assert "无权查看" in response.content.decode()
        return
    assert response.status_code == 200
    text = text_of(response)
    assert_sees(text, persona)
    assert (OWN_PROGRESS in text) is SEES[persona][0]  # key-project progress follows the same rule


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", [
    "/data/plans/jizhou-14-sti/assessment.xlsx?year=2024",
    "/data/assessment.xlsx?year=2024",
    "/data/plans/jizhou-14-sti.csv",
    "/data/plans/jizhou-14-sti.json",
    "/data/plans/jizhou-14-sti.csv?preliminary=1",
    "/reports/plans/jizhou-14-sti/?year=2024",
])  # fmt: skip
def test_it_shows_approved_values_only_without_the_switch(world, persona, url):
    response = client_for(world, persona).get(url)
    assert response.status_code == 200
    text = text_of(response)
    assert_sees(text, persona, drafts=False)
    assert OWN_PROGRESS not in text


def test_it_refuses_the_plans_workbook_to_a_user_of_no_organization(world):
    client = Client()
    client.force_login(User.objects.create_user("outsider", password="x"))
    response = client.get("/data/assessment.xlsx?year=2024&preliminary=1")
    assert response.status_code == 403
