"""``manage.py load_seed_plans``: the five seed plans with their targets, baselines and quotes."""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from indicators.models import Concept, Indicator
from plans.models import Plan

pytestmark = pytest.mark.django_db

CODES = {
    "tianjin-13-sti", "jizhou-14-sti", "tianjin-12-minsheng", "shenzhen-2012-minsheng", "jiangsu-kjhm-2016",
}
CONCEPTS = [
    "rd-intensity", "invention-patents-per-10k", "high-tech-enterprises", "science-literacy", "tech-smes",
]


@pytest.fixture
def seeds():
    call_command("load_seed_plans", user="system:seed", stdout=StringIO(), stderr=StringIO())
    return {plan.code: plan for plan in Plan.objects.all()}


def decimal(value):
    return None if value is None else Decimal(value)


def test_it_loads_the_five_seed_plans_idempotently(seeds):
    assert set(seeds) == CODES
    counts = [Plan.objects.count(), Indicator.objects.count(), Concept.objects.count()]
    call_command("load_seed_plans", user="system:seed", stdout=StringIO(), stderr=StringIO())
    assert [Plan.objects.count(), Indicator.objects.count(), Concept.objects.count()] == counts
    assert seeds["shenzhen-2012-minsheng"].end_year is None
    assert seeds["shenzhen-2012-minsheng"].document_number == "深府办〔2012〕53号"
    assert all(len(plan.short_name) <= 12 for plan in seeds.values())


# number: (name contains, unit, kind, value, baseline, aggregation)
TIANJIN_13 = {
    1: ("R&D", "%", "at_least", "3.5", "3.08", "level"),
    2: ("发明专利", "件", "at_least", "18", "12.5", "level"),
    3: ("论文", "万篇", "at_least", "3", "2.3", "level"),
    4: ("研发人员", "人年", "at_least", "150", "73", "level"),
    5: ("科学素质", "%", "at_least", "16", "10", "level"),
    6: ("综合科技进步水平", "位", "rank", "3", "3", "level"),
    7: ("科技型中小企业", "万家", "at_least", "10", "7.3", "level"),
    8: ("科技小巨人企业", "家", "at_least", "5000", "3453", "level"),
    9: ("国家高新技术企业", "家", "at_least", "5000", "2300", "level"),
    10: ("领军企业", "家", "at_least", "200", None, "level"),
    11: ("工业小巨人", "%", "at_least", "55", "48", "level"),
    12: ("杀手锏产品", "项", "at_least", "300", None, "level"),
    13: ("科研院所", "家", "cumulative", "200", "114", "cumulative"),
    14: ("海外高层次人才", "名", "cumulative", "1000", None, "cumulative"),
    15: ("科技服务业", "%", "growth", "20", None, "growth"),
}


def test_it_has_every_tianjin_13_target_and_baseline_with_its_quote(seeds):
    plan = seeds["tianjin-13-sti"]
    indicators = {i.number: i for i in plan.indicators.all()}
    assert set(indicators) == set(TIANJIN_13)
    for number, (name, unit, kind, value, baseline, aggregation) in TIANJIN_13.items():
        indicator = indicators[number]
        assert name in indicator.name and indicator.unit == unit
        assert (indicator.target_kind, indicator.target_value) == (kind, Decimal(value))
        assert indicator.baseline_value == decimal(baseline) and indicator.aggregation == aggregation
        assert indicator.baseline_year == (2015 if baseline else None) and indicator.target_year == 2020
        for quote in indicator.source_quote.splitlines():
            assert quote in plan.source_text
        assert indicator.section is not None
    assert indicators[6].direction == "down"
    assert indicators[5].baseline_text == "10%以上"
    assert "研发强度达到3.08%" in indicators[1].source_quote


def test_it_has_jiangsus_five_targets_of_five_kinds(seeds):
    plan = seeds["jiangsu-kjhm-2016"]
    indicators = plan.indicators.order_by("number")
    targets = [(i.target_kind, i.target_value, i.target_low, i.target_high) for i in indicators]
    assert targets == [
        ("cumulative", Decimal(50), None, None),
        ("range", None, Decimal(25), Decimal(30)),
        ("approx", Decimal(30), None, None),
        ("cumulative", Decimal(500), None, None),
        ("above", Decimal(13000), None, None),
    ]
    assert not plan.indicators.filter(baseline_value__isnull=False).exists()
    assert all(i.source_quote in plan.source_text for i in plan.indicators.all())


def test_it_gives_every_seed_indicator_an_organization(seeds):
    assert Indicator.objects.count() == 15 + 10 + 5
    assert not Indicator.objects.filter(organization__isnull=True).exists()


def test_it_links_concepts_across_tianjin_and_jizhou(seeds):
    for code in CONCEPTS:
        plans = set(Indicator.objects.filter(concept__code=code).values_list("plan__code", flat=True))
        assert plans == {"tianjin-13-sti", "jizhou-14-sti"}, code


def test_it_has_shenzhens_24_measures(seeds):
    plan = seeds["shenzhen-2012-minsheng"]
    measures = plan.sections.filter(kind="section").order_by("position")
    assert measures.count() == 24
    assert [m.label for m in measures][:3] == ["（一）", "（二）", "（三）"]
    assert measures.last().label == "（二十四）"
    assert plan.sections.filter(kind="chapter").count() == 3
    assert plan.projects.filter(kind="measure").count() == 24
    assert plan.indicators.count() == 0


def test_it_has_the_key_projects_of_each_plan(seeds):
    tianjin = seeds["tianjin-13-sti"]
    assert tianjin.projects.filter(kind="programme").count() == 12
    assert tianjin.projects.filter(kind="engineering").count() == 11
    assert list(seeds["tianjin-12-minsheng"].projects.values_list("name", flat=True)) == [
        "全民健康科技工程", "公共安全科技工程", "生态环境科技工程", "防灾减灾科技工程",
    ]
    jizhou = seeds["jizhou-14-sti"].projects.select_related("section__parent")
    assert jizhou.count() == 19 and all(p.section.parent.kind == "box" for p in jizhou)
    assert all(p.organization for plan in seeds.values() for p in plan.projects.all())
