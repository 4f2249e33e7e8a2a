"""Roles scoped to regions (issue 14 §3): a planner (规划人员, or 管理员 of an organization) acts only
on plans of their organization's region and the regions under it — revising targets, editing
indicators, locking years, publishing a plan again. Personas: the 天津市科技局 planner (天津市 ⊃
蓟州区), the 江苏省科技厅 planner, a planner of an organization without a region, a superuser."""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import permissions
from accounts.choices import RegionLevel, Role
from indicators.models import Indicator, TargetRevision
from indicators.services import target_revise
from projects import services
from projects.models import ReportingYear
from tests.projects.factories import (
    make_indicator, make_jizhou, make_organization, make_plan, make_region, make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    jizhou = make_jizhou()
    tianjin, jiangsu = jizhou.parent, make_region("江苏省", RegionLevel.PROVINCE)
    jizhou_plan = make_plan("jizhou-14-sti", region=jizhou)
    tianjin_plan = make_plan("tianjin-13-sti", 2016, 2020, region=tianjin)
    jiangsu_plan = make_plan("jiangsu-kjhm-2016", 2016, 2020, region=jiangsu)
    jiangsu_org = make_organization("江苏省科技厅", jiangsu)
    return SimpleNamespace(
        tianjin=tianjin, jizhou=jizhou, jiangsu=jiangsu,
        jizhou_plan=jizhou_plan, tianjin_plan=tianjin_plan, jiangsu_plan=jiangsu_plan,
        loose_plan=make_plan("no-region-plan", region=None),
        jiangsu_indicator=make_indicator(jiangsu_plan, jiangsu_org, 1, target_text="突破13000亿元",
                                         target_kind="above", target_value=Decimal("13000"), unit="亿元"),
        planner=make_user("planner", make_organization("天津市科技局", tianjin), Role.PLANNER),
        planner_js=make_user("planner-js", jiangsu_org, Role.PLANNER),
        admin_js=make_user("admin-js", make_organization("江苏省科技厅办公室", jiangsu), Role.ADMIN),
        nowhere=make_user("planner-nowhere", make_organization("某研究院"), Role.PLANNER),
        official=make_user("official-js", jiangsu_org, Role.OFFICIAL),
        superuser=make_user("root", is_superuser=True, is_staff=True),
    )


# The pure parts --------------------------------------------------------------------------------


def test_it_takes_the_regions_of_planner_and_admin_memberships_only():
    memberships = [(1, 10, Role.PLANNER), (2, 20, Role.ADMIN), (3, 30, Role.OFFICIAL), (4, None, Role.PLANNER)]
    assert permissions.planning_roots(memberships) == {10, 20}
    assert permissions.regions_under({10: None, 11: 10, 12: 11, 20: None}, {10}) == {10, 11, 12}


# Who acts where ---------------------------------------------------------------------------------


def test_it_scopes_each_planner_to_their_region_and_below(country):
    c = country
    acts = lambda user, plan: permissions.can_plan_region(user, plan.region_id)  # noqa: E731
    assert (acts(c.planner, c.tianjin_plan), acts(c.planner, c.jizhou_plan), acts(c.planner, c.jiangsu_plan)) == (
        True, True, False,
    )
    assert (acts(c.planner_js, c.jiangsu_plan), acts(c.planner_js, c.jizhou_plan)) == (True, False)
    assert acts(c.admin_js, c.jiangsu_plan) and not acts(c.official, c.jiangsu_plan)
    assert not any(acts(c.nowhere, plan) for plan in (c.tianjin_plan, c.jizhou_plan, c.jiangsu_plan, c.loose_plan))
    assert all(acts(c.superuser, plan) for plan in (c.jizhou_plan, c.jiangsu_plan, c.loose_plan))
    assert not acts(c.planner, c.loose_plan)  # a plan without a region: superusers only


def test_it_says_why_a_planner_may_not_act(country):
    with pytest.raises(PermissionDenied, match="你只能管理天津市及其下级地区的规划；该规划属于江苏省"):
        permissions.require_plan_region(country.planner, country.jiangsu_plan)
    with pytest.raises(PermissionDenied, match="你所在单位没有设置所属地区，不能管理任何地区的规划"):
        permissions.require_plan_region(country.nowhere, country.jizhou_plan)
    with pytest.raises(PermissionDenied, match="只有规划人员或管理员可以进行此操作"):
        permissions.require_plan_region(country.official, country.jiangsu_plan)


# The services -----------------------------------------------------------------------------------


def test_it_refuses_the_tianjin_planner_revising_a_jiangsu_target(country):
    with pytest.raises(PermissionDenied, match="该规划属于江苏省"):
        target_revise(country.planner, country.jiangsu_indicator, target_text="突破15000亿元", baseline_value=None,
                      document="苏科规〔2018〕1号", revised_on=date(2018, 6, 30), reason="上调")
    assert Indicator.objects.get(pk=country.jiangsu_indicator.pk).target_text == "突破13000亿元"
    assert not TargetRevision.objects.exists()
    target_revise(country.planner_js, country.jiangsu_indicator, target_text="突破15000亿元", baseline_value=None,
                  document="苏科规〔2018〕1号", revised_on=date(2018, 6, 30), reason="上调")
    assert TargetRevision.objects.get().created_by == country.planner_js


def test_it_refuses_the_tianjin_planner_locking_jiangsus_2020(country):
    with pytest.raises(PermissionDenied, match="该规划属于江苏省"):
        services.year_lock(country.planner, country.jiangsu_plan, 2020)
    assert not ReportingYear.objects.filter(plan=country.jiangsu_plan).exists()
    assert services.year_lock(country.planner_js, country.jiangsu_plan, 2020).locked_by == country.planner_js
    with pytest.raises(PermissionDenied):
        services.year_unlock(country.planner, country.jiangsu_plan, 2020)
    assert ReportingYear.objects.get(plan=country.jiangsu_plan, year=2020).is_locked
    assert not services.year_unlock(country.superuser, country.jiangsu_plan, 2020).is_locked


# The pages --------------------------------------------------------------------------------------


def test_it_answers_the_tianjin_planner_on_jiangsus_pages_with_403_and_the_reason(client, country):
    client.force_login(country.planner)
    urls = [
        reverse("indicators:indicator_edit", args=[country.jiangsu_indicator.pk]),
        reverse("indicators:indicator_revise", args=[country.jiangsu_indicator.pk]),
        reverse("projects:completeness", args=[country.jiangsu_plan.code, 2020]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and "该规划属于江苏省" in response.content.decode(), url
    response = client.post(reverse("projects:year_lock", args=[country.jiangsu_plan.code, 2020]), {"confirm": "lock"})
    assert response.status_code == 403 and not ReportingYear.objects.filter(is_locked=True).exists()
    detail = client.get(reverse("indicators:indicator_detail", args=[country.jiangsu_indicator.pk]))
    assert urls[1] not in detail.content.decode()  # no 规划调整 button


def test_it_lists_only_the_plans_of_the_planners_region_on_the_task_page(client, country):
    client.force_login(country.planner)
    plans = client.get(reverse("projects:task_list")).context["plans"]
    assert {p.code for p in plans} == {"jizhou-14-sti", "tianjin-13-sti"}
    client.force_login(country.nowhere)
    page = client.get(reverse("projects:task_list"))
    assert page.context["plans"] == [] and "你所在单位没有设置所属地区" in page.content.decode()
    client.force_login(country.superuser)
    assert len(client.get(reverse("projects:task_list")).context["plans"]) == 4


def test_it_lets_the_jiangsu_planner_and_the_superuser_do_the_same(client, country):
    for user in (country.planner_js, country.superuser):
        client.force_login(user)
        revise = reverse("indicators:indicator_revise", args=[country.jiangsu_indicator.pk])
        assert client.get(revise).status_code == 200
        detail = client.get(reverse("indicators:indicator_detail", args=[country.jiangsu_indicator.pk]))
        assert revise in detail.content.decode()
        response = client.post(reverse("projects:year_lock", args=[country.jiangsu_plan.code, 2019]), {"confirm": "lock"})
        assert response.status_code == 302
        assert ReportingYear.objects.get(plan=country.jiangsu_plan, year=2019).locked_by == user
        client.post(reverse("projects:year_unlock", args=[country.jiangsu_plan.code, 2019]))


def test_it_refuses_publishing_a_new_text_onto_a_plan_of_another_region(client, country):
    from intake.services import draft_create
    from tests.intake.drafting import PLAN_TEXT

    from intake.models import PlanDraft

    client.force_login(country.planner)
    response = client.post(reverse("intake:draft_new"), {"text": PLAN_TEXT, "revises": country.jiangsu_plan.pk})
    assert response.status_code == 403 and "该规划属于江苏省" in response.content.decode()
    assert not PlanDraft.objects.exists()
    draft = draft_create(country.planner, text=PLAN_TEXT, revises=country.jiangsu_plan)  # one made before
    url = reverse("intake:draft_publish", args=[draft.pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403 and "该规划属于江苏省" in response.content.decode()
    assert Indicator.objects.filter(plan=country.jiangsu_plan).count() == 1
