"""The rule of who sees unapproved values (accounts/visibility.py): pure parts with plain values,
then the queryset filter and the per-plan yes/no with the six personas."""

from decimal import Decimal

import pytest

from accounts.choices import RegionLevel, Role
from accounts.models import Membership, Organization, Region, User
from accounts.visibility import (
    APPROVED_ONLY,
    EVERYTHING,
    Scope,
    may_see_preliminary,
    preliminary_scope,
    regions_under,
    scope_of,
    visible_values,
)
from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue

# ---------------------------------------------------------------------------- plain values

PARENTS = {1: None, 2: 1, 3: 2, 4: None, 5: 4}  # 1 天津 ⊃ 2 ⊃ 3; 4 江苏 ⊃ 5


def test_it_takes_a_region_and_everything_below_it():
    assert regions_under(PARENTS, [1]) == {1, 2, 3}
    assert regions_under(PARENTS, [2]) == {2, 3}
    assert regions_under(PARENTS, [3, 5]) == {3, 5}
    assert regions_under(PARENTS, []) == frozenset()


def test_it_gives_members_their_organizations_and_planners_their_regions():
    official = scope_of([(10, 2, Role.OFFICIAL)], PARENTS)
    assert official == Scope(organization_ids=frozenset({10}))
    planner = scope_of([(20, 1, Role.PLANNER)], PARENTS)
    assert planner.region_ids == {1, 2, 3} and planner.organization_ids == {20}
    assert scope_of([(30, None, Role.PLANNER)], PARENTS).region_ids == frozenset()


def test_it_covers_by_organization_or_region():
    scope = Scope(organization_ids=frozenset({10}), region_ids=frozenset({3}))
    assert scope.covers(10, None) and scope.covers(99, 3)
    assert not scope.covers(99, 4) and not scope.covers(None, None)
    assert EVERYTHING.covers(None, None) and not APPROVED_ONLY.covers(10, 3)
    assert APPROVED_ONLY.is_empty and not scope.is_empty


# ---------------------------------------------------------------------------- personas


@pytest.fixture
def world(db):
    tianjin = Region.objects.create(name="天津市", level=RegionLevel.PROVINCE)
    jizhou = Region.objects.create(name="蓟州区", level=RegionLevel.COUNTY, parent=tianjin)
    jiangsu = Region.objects.create(name="江苏省", level=RegionLevel.PROVINCE)
    shenzhen = Region.objects.create(name="深圳市", level=RegionLevel.CITY)
    org = Organization.objects.create(name="蓟州区科技局", region=jizhou)
    other = Organization.objects.create(name="深圳市科创委", region=shenzhen)
    tj = Organization.objects.create(name="天津市科技局", region=tianjin)
    js = Organization.objects.create(name="江苏省科技厅", region=jiangsu)
    plan = Plan.objects.create(code="jizhou-14-sti", title="蓟州", region=jizhou, start_year=2021, end_year=2025)
    indicator = Indicator.objects.create(
        plan=plan, number=1, name="R&D", organization=org, target_kind="at_least", target_value=2
    )
    approved = IndicatorValue.objects.create(indicator=indicator, year=2023, value=Decimal("130"), state=State.APPROVED)
    draft = IndicatorValue.objects.create(indicator=indicator, year=2024, value=Decimal("144"), state=State.DRAFT)

    def user(name, organization=None, role=None, **extra):
        u = User.objects.create_user(name, password="x", **extra)
        if organization:
            Membership.objects.create(user=u, organization=organization, role=role)
        return u

    personas = {
        "official": user("official", org, Role.OFFICIAL),
        "reviewer": user("reviewer", org, Role.REVIEWER),
        "other_official": user("other_official", other, Role.OFFICIAL),
        "planner": user("planner", tj, Role.PLANNER),
        "other_planner": user("planner_js", js, Role.PLANNER),
        "superuser": user("admin", is_superuser=True),
        "anonymous": None,
    }
    return plan, approved, draft, personas


SEES_DRAFTS = {"official": True, "reviewer": True, "other_official": False, "planner": True,
               "other_planner": False, "superuser": True, "anonymous": False}  # fmt: skip


@pytest.mark.parametrize("persona", SEES_DRAFTS)
def test_it_filters_values_by_persona(world, persona):
    plan, approved, draft, personas = world
    user = personas[persona]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    seen = set(visible_values(user, IndicatorValue.objects.all()).values_list("pk", flat=True))
    assert approved.pk in seen
    assert (draft.pk in seen) is SEES_DRAFTS[persona]
    assert may_see_preliminary(user, plan) is SEES_DRAFTS[persona]


def test_it_reads_the_scope_once_per_request(world, django_assert_num_queries):
    personas = world[3]
    planner = personas["planner"]
    with django_assert_num_queries(2):
        preliminary_scope(planner)
        preliminary_scope(planner)
