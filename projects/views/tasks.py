"""The monitoring home page: the user's entry and review tasks (and, for planners, the plans of
their region)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import permissions

from .. import selectors


@login_required
def task_list(request):
    user = request.user
    plans = selectors.planner_plans() if permissions.can_plan(user) else []
    context = {
        "tasks": selectors.user_tasks(user),
        "plans": [plan for plan in plans if permissions.can_plan_region(user, plan.region_id)],
        "planner_without_region": permissions.can_plan(user) and not user.is_superuser
        and not permissions.planning_regions(user),
        "is_reviewer": permissions.is_reviewer(user),
    }
    return render(request, "projects/task_list.html", context)
