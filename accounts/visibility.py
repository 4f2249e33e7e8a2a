"""Who may see unapproved (draft, submitted) values: one rule, used by every page and download.

- a member (填报员, 审核员, any role) of an organization sees the unapproved values of the indicators
  that organization is responsible for (责任单位; values carry no organization of their own);
- a planner (规划人员, or 管理员 of an organization) sees those of the plans of their organization's
  region and of every region under it (``Region.parent``);
- a superuser sees all;
- everyone else, anonymous visitors included, sees approved values only.

The rule is a ``Scope`` (pure, picklable: it travels to export worker processes), turned into a
queryset filter by ``visible_values``. Accounts imports nothing of the apps above it, so the
filter names the fields it follows; the defaults are those of ``projects.IndicatorValue``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q

# The planner's regions are those of accounts.permissions (one rule for seeing and acting).
from .permissions import load_memberships, planning_regions, planning_roots, regions_under  # noqa: F401

APPROVED = "approved"  # projects.choices.State.APPROVED, which accounts may not import


@dataclass(frozen=True)
class Scope:
    """The unapproved values a user may see: all of them, or those of some organizations' indicators
    and of the plans of some regions."""

    everything: bool = False
    organization_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.organization_ids or self.region_ids)

    def covers(self, organization_id: int | None, region_id: int | None) -> bool:
        """May an unapproved value of an indicator of `organization_id`, in a plan of `region_id`, be seen?"""
        return (
            self.everything
            or (organization_id is not None and organization_id in self.organization_ids)
            or (region_id is not None and region_id in self.region_ids)
        )


APPROVED_ONLY = Scope()
EVERYTHING = Scope(everything=True)


def scope_of(memberships: Iterable[tuple[int, int | None, str]], parents: Mapping[int, int | None]) -> Scope:
    """The scope of a (non-super) user from their memberships as (organization id, its region id, role)."""
    memberships = list(memberships)
    organizations = frozenset(org for org, _region, _role in memberships)
    regions = regions_under(parents, planning_roots(memberships))
    return Scope(organization_ids=organizations, region_ids=regions)


def preliminary_scope(user) -> Scope:
    """The user's scope (the memberships every check shares, and the regions when needed; kept on
    the user for the rest of the request)."""
    if user is None or not user.is_authenticated:
        return APPROVED_ONLY
    if user.is_superuser:
        return EVERYTHING
    cached = getattr(user, "_preliminary_scope", None)
    if cached is None:
        load_memberships(user)
        organizations = frozenset(m.organization_id for m in user.memberships.all())
        cached = Scope(organization_ids=organizations, region_ids=planning_regions(user))
        user._preliminary_scope = cached
    return cached


def scope_filter(
    scope: Scope, *, organization: str = "indicator__organization_id", region: str = "indicator__plan__region_id"
) -> Q:
    """The unapproved rows of `scope` (a filter matching nothing for an empty scope)."""
    if scope.everything:
        return Q()
    return Q(**{f"{organization}__in": sorted(scope.organization_ids)}) | Q(**{f"{region}__in": sorted(scope.region_ids)})


def visible_values(user_or_scope, queryset, *, state: str = "state", **fields):
    """`queryset` of values narrowed to those the user (or scope) may see: approved ones, and the
    unapproved ones of their scope. ``organization=`` and ``region=`` name the lookups when the
    rows are not ``IndicatorValue`` (``project__organization_id`` for project progress)."""
    scope = user_or_scope if isinstance(user_or_scope, Scope) else preliminary_scope(user_or_scope)
    if scope.everything:
        return queryset
    approved = Q(**{state: APPROVED})
    if scope.is_empty:
        return queryset.filter(approved)
    return queryset.filter(approved | scope_filter(scope, **fields))


def may_see_preliminary(user, plan) -> bool:
    """May the user see some unapproved values of `plan` (the dashboard's switch, the plan's
    workbook with preliminary values)? One query at most."""
    scope = preliminary_scope(user)
    if scope.everything or (plan.region_id is not None and plan.region_id in scope.region_ids):
        return True
    if not scope.organization_ids:
        return False
    return plan.indicators.filter(organization_id__in=scope.organization_ids).exists()
