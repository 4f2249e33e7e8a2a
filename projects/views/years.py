"""The planner's pages of a reporting year: lock, unlock and the completeness report, for the
planners of the plan's region (and superusers)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import access, selectors, services
from .review import next_url as _next_url

CONFIRM = "lock"  # the value of the confirmation page's button: a bare POST locks nothing


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def year_lock(request, plan_code, year):
    """GET: what is still open in the year and a confirmation; POST with confirm: lock it.

    Locking stops every entry and review of the year, so it is never one click: without the
    confirmation (a form that skipped the page) the summary is shown again and nothing changes.
    """
    plan = access.get_plan_year_for_planner(request.user, plan_code, year)
    done_url = reverse("projects:completeness", args=[plan.code, year])
    reporting_year = selectors.reporting_year(plan, year)
    if reporting_year and reporting_year.is_locked:
        messages.info(request, _("%(plan)s %(year)s 年度已经锁定。") % {"plan": plan.display_name, "year": year})
        return redirect(done_url)
    if request.method == "POST" and request.POST.get("confirm") == CONFIRM:
        services.year_lock(request.user, plan, year)
        messages.success(request, _("已锁定 %(plan)s %(year)s 年度。") % {"plan": plan.display_name, "year": year})
        return redirect(_next_url(request, done_url))
    context = {
        "plan": plan, "year": year, "report": selectors.completeness(plan, year), "states": selectors.STATES,
        "confirm": CONFIRM, "cancel_url": done_url,
    }
    return render(request, "projects/year_lock_confirm.html", context)


@require_POST
@login_required
def year_unlock(request, plan_code, year):
    plan = access.get_plan_year_for_planner(request.user, plan_code, year)
    services.year_unlock(request.user, plan, year)
    messages.success(request, _("已解锁 %(plan)s %(year)s 年度。") % {"plan": plan.display_name, "year": year})
    return redirect(_next_url(request, reverse("projects:completeness", args=[plan.code, year])))


@login_required
def completeness(request, plan_code, year):
    plan = access.get_plan_year_for_planner(request.user, plan_code, year)
    context = {
        "plan": plan,
        "year": year,
        "report": selectors.completeness(plan, year),
        "reporting_year": selectors.reporting_year(plan, year),
        "states": selectors.STATES,
    }
    return render(request, "projects/completeness.html", context)
