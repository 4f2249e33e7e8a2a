"""Personas and a small monitored plan for the security tests, built in code.

The seven personas of the permission matrix: anonymous, outsider (no membership), an official of
another organization, the official and the reviewer of the organization that owns the data, a
planner (规划人员 of the provincial department: 天津市科技局, region 天津市 ⊃ 蓟州区, the plan's),
and an admin (superuser, staff).
"""

from decimal import Decimal
from types import SimpleNamespace

from accounts.choices import RegionLevel, Role
from accounts.models import Membership, Organization, Region, User
from indicators.models import Indicator
from plans.models import Plan
from projects.choices import ProgressStatus, State
from projects.models import IndicatorValue, Project, ProjectProgress, ReportingYear

PASSWORD = "persona-password-2026"
PERSONAS = ["anonymous", "outsider", "other_official", "official", "reviewer", "planner", "admin"]


def make_user(username, organization=None, role=None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username, **extra)
    if role:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def make_plan(code="jizhou-14-sti", start_year=2021, end_year=2025, region=None) -> Plan:
    return Plan.objects.create(
        code=code, title=f"{code} 规划", start_year=start_year, end_year=end_year, base_year=start_year - 1,
        region=region,
    )


def make_indicator(plan, organization, number, **extra) -> Indicator:
    fields = {
        "name": f"指标{number}",
        "unit": "%",
        "baseline_year": plan.base_year,
        "baseline_value": Decimal("1.65"),
        "target_year": plan.end_year,
        "target_text": "2%",
        "target_kind": "at_least",
        "target_value": Decimal("2"),
    }
    fields.update(extra)
    return Indicator.objects.create(plan=plan, organization=organization, number=number, **fields)


def make_value(indicator, year, value, state=State.DRAFT, user=None) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator, year=year, value=Decimal(str(value)), state=state, entered_by=user
    )


def make_world() -> SimpleNamespace:
    """Jizhou's plan with one organization's indicators and projects, another organization's, and
    one value and one progress record in each review state the write views act on."""
    tianjin = Region.objects.create(name="天津市", level=RegionLevel.PROVINCE)
    jizhou = Region.objects.create(name="蓟州区", level=RegionLevel.COUNTY, parent=tianjin)
    org = Organization.objects.create(name="蓟州区科技局", region=jizhou)
    other_org = Organization.objects.create(name="蓟州区统计局", region=jizhou)
    planner_org = Organization.objects.create(name="天津市科技局", region=tianjin)
    plan = make_plan(region=jizhou)
    share = make_indicator(plan, org, 1, name="R&D经费投入强度")
    count = make_indicator(
        plan,
        org,
        2,
        name="高新技术企业数量",
        unit="家",
        baseline_value=Decimal("100"),
        target_text="200家",
        target_value=Decimal("200"),
    )
    foreign = make_indicator(
        plan,
        other_org,
        3,
        name="技术合同成交额",
        unit="亿元",
        baseline_value=Decimal("10"),
        target_text="20亿元",
        target_value=Decimal("20"),
    )
    project = Project.objects.create(plan=plan, organization=org, name="蓟州科技园建设")
    world = SimpleNamespace(
        plan=plan,
        year=2023,
        tianjin=tianjin,
        jizhou=jizhou,
        org=org,
        other_org=other_org,
        planner_org=planner_org,
        share=share,
        count=count,
        foreign=foreign,
        project=project,
        outsider=make_user("outsider"),
        other_official=make_user("other_official", other_org, Role.OFFICIAL),
        official=make_user("official", org, Role.OFFICIAL),
        reviewer=make_user("reviewer", org, Role.REVIEWER),
        planner=make_user("planner", planner_org, Role.PLANNER),
        admin=User.objects.create_superuser("admin", "admin@example.gov.cn", PASSWORD),
    )
    world.anonymous = None
    world.submitted_value = make_value(share, 2023, "1.80", State.SUBMITTED, world.official)
    world.draft_value = make_value(count, 2023, "120", State.DRAFT, world.official)
    world.submitted_progress = ProjectProgress.objects.create(
        project=project,
        year=2023,
        status=ProgressStatus.IN_PROGRESS,
        state=State.SUBMITTED,
        entered_by=world.official,
    )
    world.reporting_year = ReportingYear.objects.create(plan=plan, year=2023)
    return world


def persona_user(world, persona):
    return getattr(world, persona)


def make_empty_indicator(w) -> Indicator:
    """A ninth indicator of the world's plan and organization, without any value yet."""
    return make_indicator(
        w.plan, w.org, 9, name="科技型中小企业数量", unit="家", baseline_value=Decimal("100"),
        target_text="200家", target_value=Decimal("200"),
    )  # fmt: skip
