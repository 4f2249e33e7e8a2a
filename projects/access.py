"""Who may see and change monitoring records: one helper per object, raising 404 or 403.

Officials (填报员) enter and submit their organization's values; reviewers (审核员) of the same
organization approve or return them; planners and admins read everything and lock years. Approved
values are public to every logged-in user; everything else stays inside the organization.
A superuser may do everything.
"""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import Organization
from plans.models import Plan

from .choices import State
from .models import IndicatorValue, ProjectProgress


def _roles(user, organization) -> set[str]:
    """The user's roles in one organization, from memberships loaded once per request."""
    org_id = getattr(organization, "pk", organization)
    if org_id is None or not user.is_authenticated:
        return set()
    _load_memberships(user)
    return user.roles_in(org_id)


def can_plan(user) -> bool:
    """Planners and admins read everything and lock or unlock years."""
    return user.is_authenticated and (user.is_superuser or _has_any_role(user, Role.PLANNER, Role.ADMIN))


def can_enter(user, organization) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.OFFICIAL in _roles(user, organization))


def can_review(user, organization) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.REVIEWER in _roles(user, organization))


def can_read(user, organization) -> bool:
    """May see drafts and unapproved records of the organization: its members and planners."""
    return can_plan(user) or bool(_roles(user, organization))


def is_reviewer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _has_any_role(user, Role.REVIEWER))


def reviewer_organization_ids(user) -> set[int] | None:
    """The organizations whose records the user reviews; None means all (superuser)."""
    if user.is_superuser:
        return None
    _load_memberships(user)
    return {m.organization_id for m in user.memberships.all() if m.role == Role.REVIEWER}


def _has_any_role(user, *roles) -> bool:
    _load_memberships(user)
    return any(m.role in roles for m in user.memberships.all())


def _load_memberships(user) -> None:
    """Memberships are read many times per request; load them once."""
    if "memberships" not in getattr(user, "_prefetched_objects_cache", {}):
        prefetch_related_objects([user], "memberships")


@dataclass(frozen=True)
class PlanYear:
    """A plan's reporting year seen from one organization: the scope of an entry form."""

    plan: Plan
    year: int
    organization: Organization


def get_plan_year_for_user(user, plan_code, year, org_id, write=False) -> PlanYear:
    """The scope of an entry page; write=True means entering data (officials only)."""
    plan = get_object_or_404(Plan.objects.select_related("region"), code=plan_code)
    if plan.years() and year not in plan.years():
        raise Http404(_("该规划没有 %(year)s 年度。") % {"year": year})
    organization = get_object_or_404(Organization, pk=org_id)
    allowed = can_enter(user, organization) if write else can_read(user, organization)
    if not allowed:
        raise PermissionDenied(_("你无权填报或查看该单位的数据。"))
    return PlanYear(plan, year, organization)


def get_value_for_user(user, pk, write=False) -> IndicatorValue:
    """One indicator value; write=True means entering or reviewing it."""
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__plan", "indicator__organization"), pk=pk
    )
    _check_record(user, value, value.indicator.organization_id, write)
    return value


def get_progress_for_user(user, pk, write=False) -> ProjectProgress:
    """One project progress record; write=True means entering or reviewing it."""
    progress = get_object_or_404(
        ProjectProgress.objects.select_related("project__plan", "project__organization"), pk=pk
    )
    _check_record(user, progress, progress.project.organization_id, write)
    return progress


def _check_record(user, record, org_id, write: bool) -> None:
    if write:
        allowed = can_enter(user, org_id) or can_review(user, org_id)
    else:
        allowed = user.is_authenticated and (record.state == State.APPROVED or can_read(user, org_id))
    if not allowed:
        raise PermissionDenied(_("你无权访问该单位未经审核的数据。"))
