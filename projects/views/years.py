"""The planner's pages of a reporting year: lock, unlock and the completeness report."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from plans.models import Plan

from .. import selectors, services
from .review import next_url as _next_url


def _planner_plan_year(request, plan_code, year) -> Plan:
    plan = get_object_or_404(Plan, code=plan_code)
    if plan.years() and year not in plan.years():
        raise Http404(_("该规划没有 %(year)s 年度。") % {"year": year})
    if not permissions.can_plan(request.user):
        raise PermissionDenied(_("只有规划人员或管理员可以进行此操作。"))
    return plan


@require_POST
@login_required
def year_lock(request, plan_code, year):
    plan = _planner_plan_year(request, plan_code, year)
    services.year_lock(request.user, plan, year)
    messages.success(request, _("已锁定 %(plan)s %(year)s 年度。") % {"plan": plan.display_name, "year": year})
    return redirect(_next_url(request, reverse("projects:completeness", args=[plan.code, year])))


@require_POST
@login_required
def year_unlock(request, plan_code, year):
    plan = _planner_plan_year(request, plan_code, year)
    services.year_unlock(request.user, plan, year)
    messages.success(request, _("已解锁 %(plan)s %(year)s 年度。") % {"plan": plan.display_name, "year": year})
    return redirect(_next_url(request, reverse("projects:completeness", args=[plan.code, year])))


@login_required
def completeness(request, plan_code, year):
    plan = _planner_plan_year(request, plan_code, year)
    context = {
        "plan": plan,
        "year": year,
        "report": selectors.completeness(plan, year),
        "reporting_year": selectors.reporting_year(plan, year),
        "states": selectors.STATES,
    }
    return render(request, "projects/completeness.html", context)
