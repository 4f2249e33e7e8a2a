"""Personas and a small plan for the monitoring tests."""
from types import SimpleNamespace

import pytest

from accounts.choices import Role

from .factories import make_indicator, make_jizhou, make_organization, make_plan, make_project, make_user


@pytest.fixture
def world(db):
    """Jizhou's plan (region 蓟州区, under 天津市), two organizations, and the personas of DESIGN.md §7
    (the planner: 天津市科技局's, so Jizhou's plan is in their region)."""
    jizhou = make_jizhou()
    tianjin = jizhou.parent
    org = make_organization("蓟州区科技局", region=jizhou)
    other_org = make_organization("蓟州区统计局", region=jizhou)
    planner_org = make_organization("天津市科技局", region=tianjin)
    plan = make_plan(region=jizhou)
    return SimpleNamespace(
        tianjin=tianjin,
        jizhou=jizhou,
        plan=plan,
        year=2023,
        org=org,
        other_org=other_org,
        share=make_indicator(plan, org, 1, unit="%", name="R&D经费投入强度"),
        count=make_indicator(plan, org, 2, unit="家", name="高新技术企业数量", baseline_value=100, target_value=200),
        rank=make_indicator(plan, org, 3, unit="位", target_kind="rank", name="创新能力排名", baseline_value=5),
        foreign=make_indicator(plan, other_org, 4, unit="亿元", name="技术合同成交额", baseline_value=10),
        project=make_project(plan, org, "蓟州科技园建设"),
        foreign_project=make_project(plan, other_org, "统计平台"),
        official=make_user("official", org, Role.OFFICIAL),
        reviewer=make_user("reviewer", org, Role.REVIEWER),
        planner=make_user("planner", planner_org, Role.PLANNER),
        outsider=make_user("outsider"),
        other_official=make_user("other_official", other_org, Role.OFFICIAL),
    )
