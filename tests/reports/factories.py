"""Small builders for report tests: a plan with indicators and values, personas, projects."""

from decimal import Decimal

from accounts.models import Region, User
from indicators.models import Concept, Indicator
from indicators.services import indicators_changed
from plans.models import Plan, Section
from projects.models import IndicatorValue, Project, ProjectProgress

D = Decimal


def region(name="测试市", level="city", parent=None):
    return Region.objects.get_or_create(name=name, defaults={"level": level, "parent": parent})[0]


def plan(code="test-plan", *, start=2021, end=2025, base=2020, region_obj=None, **fields):
    return Plan.objects.create(
        code=code,
        title=f"{code} 科技创新规划",
        region=region_obj or region(),
        start_year=start,
        end_year=end,
        base_year=base,
        **fields,
    )


def indicator(plan_obj, number=1, *, baseline="2.0", target="3.0", kind="at_least", **fields):
    defaults = {
        "name": f"指标{number}",
        "unit": "%",
        "baseline_year": plan_obj.base_year,
        "baseline_value": None if baseline is None else D(baseline),
        "target_year": plan_obj.end_year,
        "target_text": f"达到{target}",
        "target_kind": kind,
        "target_value": None if target is None else D(target),
    }
    return Indicator.objects.create(plan=plan_obj, number=number, **(defaults | fields))


def value(indicator_obj, year, amount, *, state="approved", is_demo=False):
    """A value written directly, marking the indicator changed as every service that writes values does."""
    record = IndicatorValue.objects.create(
        indicator=indicator_obj, year=year, value=D(str(amount)), state=state, is_demo=is_demo
    )
    indicators_changed([indicator_obj.pk])
    return record


def plan_with_data(code, n_indicators, years, *, state="approved"):
    """A plan whose indicators all have a value (baseline + 0.1 a year) for each of `years`."""
    first = min(years) if years else 2021
    p = plan(code, start=first, end=max(first + 4, max(years, default=first)), base=first - 1)
    for number in range(1, n_indicators + 1):
        ind = indicator(p, number)
        for i, year in enumerate(years, start=1):
            value(ind, year, D("2.0") + D("0.1") * i, state=state)
    return p


def user(username="official", password="pw-for-tests-123", **extra):
    return User.objects.create_user(username=username, password=password, **extra)


def concept(code="rd-intensity", name="研发投入强度", unit="%"):
    return Concept.objects.create(code=code, name=name, unit=unit)


def section(plan_obj, position, *, parent=None, label="", title="", kind="chapter", depth=0):
    return Section.objects.create(
        plan=plan_obj, parent=parent, kind=kind, label=label, title=title, position=position, depth=depth
    )


def project(plan_obj, name, *, section_obj=None, position=0):
    return Project.objects.create(plan=plan_obj, section=section_obj, name=name, position=position)


def progress(project_obj, year, status, *, state="approved"):
    return ProjectProgress.objects.create(project=project_obj, year=year, status=status, state=state)
