"""The monitoring home page's data: the entry and review tasks of a user's organizations."""
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from accounts import permissions
from accounts.choices import Role
from accounts.models import Organization
from indicators.models import Indicator
from plans.models import Plan

from ..models import IndicatorValue, Project, ReportingYear
from .completeness import STATES



@dataclass
class Task:
    """One plan × year × organization form the user can fill or review."""

    plan: Plan
    year: int
    organization: Organization
    indicators: int
    projects: int
    counts: dict[str, int]
    can_enter: bool
    can_review: bool
    locked: bool

    @property
    def not_reported(self) -> int:
        return max(self.indicators - sum(self.counts.values()), 0)


def user_tasks(user) -> list[Task]:
    """Entry and review tasks of the user's organizations, newest years first."""
    roles = _task_roles(user)
    if not roles:
        return []
    org_ids = list(roles)
    indicator_counts = _owned_counts(Indicator, org_ids)
    project_counts = _owned_counts(Project, org_ids)
    state_counts = _state_counts(org_ids)
    keys = set(indicator_counts) | set(project_counts)
    plans = Plan.objects.in_bulk({plan_id for plan_id, _org in keys})
    orgs = Organization.objects.in_bulk(org_ids)
    locked = set(
        ReportingYear.objects.filter(plan_id__in=plans, is_locked=True).values_list("plan_id", "year")
    )
    this_year = timezone.localdate().year
    tasks = [
        Task(
            plans[plan_id], year, orgs[org_id], indicator_counts.get((plan_id, org_id), 0),
            project_counts.get((plan_id, org_id), 0), state_counts[(plan_id, org_id, year)],
            Role.OFFICIAL in roles[org_id], Role.REVIEWER in roles[org_id], (plan_id, year) in locked,
        )
        for plan_id, org_id in keys
        for year in plans[plan_id].years()
        if year <= this_year
    ]
    return sorted(tasks, key=lambda t: (-t.year, t.plan.code, t.organization.name))


def _task_roles(user) -> dict[int, set[str]]:
    permissions.load_memberships(user)
    roles = defaultdict(set)
    for membership in user.memberships.all():
        if membership.role in (Role.OFFICIAL, Role.REVIEWER):
            roles[membership.organization_id].add(membership.role)
    return roles


def _owned_counts(model, org_ids) -> dict[tuple[int, int], int]:
    rows = model.objects.filter(organization_id__in=org_ids).values("plan_id", "organization_id")
    return {(r["plan_id"], r["organization_id"]): r["n"] for r in rows.annotate(n=Count("id"))}


def _state_counts(org_ids) -> dict[tuple[int, int, int], dict[str, int]]:
    rows = (
        IndicatorValue.objects.filter(indicator__organization_id__in=org_ids)
        .values("indicator__plan_id", "indicator__organization_id", "year", "state")
        .annotate(n=Count("id"))
    )
    counts = defaultdict(lambda: dict.fromkeys(STATES, 0))
    for r in rows:
        counts[(r["indicator__plan_id"], r["indicator__organization_id"], r["year"])][r["state"]] = r["n"]
    return counts


def planner_plans() -> list[Plan]:
    return list(Plan.objects.select_related("region").order_by("-start_year", "code"))
