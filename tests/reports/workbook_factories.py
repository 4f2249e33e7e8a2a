"""Data for the workbook and open-data tests: plans built in code, or the seed plans with demo values."""

from decimal import Decimal
from io import StringIO

from django.core.management import call_command, get_commands

from accounts.models import Organization, Region, User
from indicators.models import Indicator
from plans.models import Plan
from projects.models import IndicatorValue, Project, ProjectProgress

D = Decimal
SEED_CODES = [
    "tianjin-13-sti",
    "jizhou-14-sti",
    "tianjin-12-minsheng",
    "shenzhen-2012-minsheng",
    "jiangsu-kjhm-2016",
]


def region(name="测试市"):
    return Region.objects.get_or_create(name=name, defaults={"level": "city"})[0]


def organization(name="测试市科技局"):
    return Organization.objects.get_or_create(name=name, defaults={"region": region()})[0]


def plan(code, *, title=None, short_name="", start=2021, end=2025, base=2020):
    return Plan.objects.create(
        code=code,
        title=title or f"{code}科技创新“十四五”规划",
        short_name=short_name,
        region=region(),
        start_year=start,
        end_year=end,
        base_year=base,
    )


def indicator(plan_obj, number, name, unit="%", *, baseline="1.65", target="2", kind="at_least", **fields):
    defaults = {
        "baseline_year": plan_obj.base_year,
        "baseline_value": None if baseline is None else D(baseline),
        "target_year": plan_obj.end_year,
        "target_text": f"达到{target}{unit}",
        "target_kind": kind,
        "target_value": None if target is None else D(target),
        "organization": organization(),
    }
    return Indicator.objects.create(plan=plan_obj, number=number, name=name, unit=unit, **(defaults | fields))


def value(indicator_obj, year, amount, *, state="approved", vintage="verified"):
    return IndicatorValue.objects.create(
        indicator=indicator_obj, year=year, value=D(str(amount)), state=state, vintage=vintage
    )


def project(
    plan_obj, name, *, position=0, status=None, year=2023, narrative="", investment=None, state="approved"
):
    obj = Project.objects.create(plan=plan_obj, name=name, position=position, organization=organization())
    if status:
        ProjectProgress.objects.create(
            project=obj,
            year=year,
            status=status,
            narrative=narrative,
            state=state,
            investment=None if investment is None else D(investment),
        )
    return obj


def district_plan(code="district-14", short_name="某区科技十四五"):
    """A five-year plan with the kinds of indicators a real plan has, valued for 2021–2023."""
    p = plan(code, short_name=short_name)
    rd = indicator(p, 1, "全社会R&D支出占地区生产总值比重", baseline="1.65", target="2")
    for year, amount in ((2021, "1.70"), (2022, "1.80"), (2023, "1.85")):
        value(rd, year, amount)
    firms = indicator(
        p, 2, "国家高新技术企业数量", "家", baseline="120", target="300", target_text="300家以上"
    )
    for year, amount in ((2021, "150"), (2022, "190"), (2023, "1234")):
        value(firms, year, amount)
    output = indicator(p, 3, "技术合同成交额", "亿元", baseline="10.5", target="20", target_text="达到20亿元")
    value(output, 2021, "9.25")
    value(output, 2022, "8.75")
    energy = indicator(
        p,
        4,
        "单位地区生产总值能耗下降",
        "%",
        baseline="5",
        target="3",
        kind="at_most",
        target_text="控制在3%以内",
        attribute="binding",
        direction="down",
    )
    value(energy, 2022, "5.5")
    indicator(p, 5, "科技创新生态持续优化", "", baseline=None, target=None, kind="qualitative",
              target_text="创新生态显著改善")  # fmt: skip
    value(rd, 2024, "1.9", state="submitted", vintage="preliminary")
    project(
        p,
        "科技创新平台建设工程",
        position=1,
        status="in_progress",
        narrative="已建成平台3个",
        investment="1200.5",
    )
    project(p, '=HYPERLINK("http://evil")项目', position=2, status="delayed", narrative="-进度滞后")
    project(p, "人才引育专项", position=3)
    return p


def hostile_plan(code="hostile"):
    """A plan whose texts try to become formulas."""
    p = plan(code, short_name="=恶意规划")
    # targets of words (a number target is a number cell): their text is what must stay text
    ind = indicator(p, 1, "=1+2", "+件", baseline="3", target=None, kind="qualitative", target_text="@SUM(A1:A3)")
    value(ind, 2023, "5")
    indicator(p, 2, "-负号开头的指标", "%", baseline="1", target=None, kind="qualitative",
              target_text="=cmd|' /C calc'!A0")  # fmt: skip
    return p


def user(username="official", password="pw-for-tests-123"):
    return User.objects.create_user(username=username, password=password)


def seed_commands_available() -> bool:
    commands = get_commands()
    return "load_seed_plans" in commands and "load_demo_values" in commands


def load_seed_plans_with_demo_values() -> list[Plan]:
    """The five seed plans with the demo monitoring data."""
    call_command("load_seed_plans", user="system:seed", stdout=StringIO(), stderr=StringIO())
    call_command("load_demo_values", user="system:demo", stdout=StringIO(), stderr=StringIO())
    return list(Plan.objects.filter(code__in=SEED_CODES).order_by("code"))
