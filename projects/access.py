"""Who may see and change one monitoring record or plan-year: one helper per object, raising 404
or 403. The role checks they build on read only accounts and live in accounts/permissions.py.

Approved values are public to every logged-in user; everything else stays inside the organization.
"""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.permissions import can_enter, can_read, can_review
from plans.models import Plan

from .choices import State
from .models import IndicatorValue, ProjectProgress


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
