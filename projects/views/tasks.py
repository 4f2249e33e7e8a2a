"""The monitoring home page: the user's entry and review tasks (and, for planners, every plan)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import permissions

from .. import selectors


@login_required
def task_list(request):
    context = {
        "tasks": selectors.user_tasks(request.user),
        "plans": selectors.planner_plans() if permissions.can_plan(request.user) else [],
        "is_reviewer": permissions.is_reviewer(request.user),
    }
    return render(request, "projects/task_list.html", context)
