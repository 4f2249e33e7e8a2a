"""The main navigation and each user's landing page.

Every link carries the one rule that decides who sees it, and that rule is the check its view
makes (``accounts.permissions``), so the navigation never offers a page that answers 403.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from accounts import management_rules, permissions
from accounts.choices import Role


def everyone(user) -> bool:
    return True


def signed_in(user) -> bool:
    return user.is_authenticated


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: str
    shown: Callable[[object], bool]
    element_id: str = ""


NAV_LINKS = [
    NavLink("reports:overview", pgettext_lazy("navigation", "评估总览"), everyone, "nav-overview"),
    NavLink("plans:plan_list", pgettext_lazy("navigation", "规划"), everyone, "nav-plans"),
    NavLink("reports:concept_list", pgettext_lazy("navigation", "指标概念"), everyone, "nav-concepts"),
    NavLink("projects:task_list", pgettext_lazy("navigation", "监测填报"), signed_in, "nav-tasks"),
    NavLink("projects:review_queue", pgettext_lazy("navigation", "审核"), permissions.is_reviewer, "nav-review"),
    NavLink("intake:draft_list", pgettext_lazy("navigation", "导入规划"), permissions.can_plan, "nav-intake"),
    NavLink("accounts:user_list", pgettext_lazy("navigation", "人员与单位"), management_rules.can_manage_people, "nav-people"),
]


def nav_links(user, path: str) -> list[dict]:
    """The links `user` may follow, the one for `path` marked active."""
    links = []
    for link in NAV_LINKS:
        if link.shown(user):
            url = reverse(link.url_name)
            links.append({"url": url, "label": link.label, "id": link.element_id, "active": path == url})
    return links


def landing_url_name(user) -> str:
    """Where a user starts: planners at the overview, reviewers at their queue, officials at their tasks."""
    if not user.is_authenticated or permissions.can_plan(user):
        return "reports:overview"
    if permissions.is_reviewer(user):
        return "projects:review_queue"
    if permissions.has_any_role(user, Role.OFFICIAL):
        return "projects:task_list"
    return "reports:overview"


def navigation(request) -> dict:
    """Context processor: ``nav_links`` for the header."""
    return {"nav_links": nav_links(request.user, request.path)}
