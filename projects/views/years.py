"""The planner's pages of a reporting year: lock, unlock and the completeness report, for the
planners of the plan's region (and superusers)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import access, selectors, services
from .review import next_url as _next_url

LOCK_STEPS = {
    # URL name → (the service, what the planner is told)
    "year_lock": (services.year_lock, gettext_lazy("已锁定 %(plan)s %(year)s 年度。")),
    "year_unlock": (services.year_unlock, gettext_lazy("已解锁 %(plan)s %(year)s 年度。")),
}


def lock_step(name: str):
    """The view that locks or unlocks a plan's reporting year."""
    service, done = LOCK_STEPS[name]

    @require_POST
    @login_required
    def view(request, plan_code, year):
        plan = access.get_plan_year_for_planner(request.user, plan_code, year)
        service(request.user, plan, year)
        messages.success(request, done % {"plan": plan.display_name, "year": year})
        return redirect(_next_url(request, reverse("projects:completeness", args=[plan.code, year])))

    view.__name__ = name
    return view


year_lock, year_unlock = lock_step("year_lock"), lock_step("year_unlock")


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
