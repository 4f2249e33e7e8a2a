"""Small factories for monitoring tests: plain functions building rows in code."""
from decimal import Decimal
from itertools import count

from accounts.choices import RegionLevel
from accounts.models import Membership, Organization, Region, User
from indicators.models import Indicator
from plans.models import Plan
from projects.choices import ProgressStatus, State
from projects.models import IndicatorValue, Project, ProjectProgress

_seq = count(1)


def make_region(name="天津市", level=RegionLevel.PROVINCE, parent=None) -> Region:
    return Region.objects.get_or_create(name=name, defaults={"level": level, "parent": parent})[0]


def make_jizhou() -> Region:
    """蓟州区, a county under 天津市 (a provincial-level municipality)."""
    return make_region("蓟州区", RegionLevel.COUNTY, make_region("天津市"))


def make_organization(name=None, region=None) -> Organization:
    return Organization.objects.create(name=name or f"单位{next(_seq)}", region=region)


def make_user(username, organization=None, *roles, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-1", full_name=username, **extra)
    for role in roles:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def make_plan(code="jizhou-14-sti", start_year=2021, end_year=2025, **extra) -> Plan:
    return Plan.objects.create(
        code=code, title=extra.pop("title", f"{code} 规划"), start_year=start_year, end_year=end_year,
        base_year=start_year - 1, **extra,
    )


def make_indicator(plan, organization, number=None, *, unit="%", target_kind="at_least", **extra) -> Indicator:
    number = number or next(_seq)
    defaults = {
        "name": f"指标{number}", "baseline_year": plan.base_year, "baseline_value": Decimal("1.65"),
        "target_year": plan.end_year, "target_text": "2.0%", "target_value": Decimal("2"),
    }
    return Indicator.objects.create(
        plan=plan, organization=organization, number=number, unit=unit, target_kind=target_kind,
        **{**defaults, **extra},
    )


def make_value(indicator, year, value, state=State.DRAFT, user=None, **extra) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator, year=year, value=Decimal(str(value)), state=state, entered_by=user, **extra
    )


def make_project(plan, organization, name=None, **extra) -> Project:
    return Project.objects.create(plan=plan, organization=organization, name=name or f"项目{next(_seq)}", **extra)


def make_progress(project, year, status=ProgressStatus.IN_PROGRESS, state=State.DRAFT, **extra) -> ProjectProgress:
    return ProjectProgress.objects.create(project=project, year=year, status=status, state=state, **extra)
