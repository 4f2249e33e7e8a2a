"""Who may see and change one monitoring record or plan-year: one helper per object, raising 404
or 403. The role checks they build on read only accounts and live in accounts/permissions.py.

Approved values are public to every logged-in user; everything else stays inside the organization.
Four eyes (who may review a record) is decided here, for pages and services alike, by the rule of
projects.workflow and the record's authors.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.actors import is_system_actor
from accounts.models import Organization
from accounts.permissions import can_enter, can_read, can_review, load_memberships, require_plan_region
from plans.models import PLAN_TEXT_FIELDS, Plan

from . import workflow
from .choices import State
from .models import IndicatorValue, ProjectProgress, ReportingYear


@dataclass(frozen=True)
class PlanYear:
    """A plan's reporting year seen from one organization: the scope of an entry form."""

    plan: Plan
    year: int
    organization: Organization


def get_plan_year_for_user(user, plan_code, year, org_id, write=False) -> PlanYear:
    """The scope of an entry page; write=True means entering data (officials only).

    The plan carries ``year_locked`` (is its reporting year locked?), read in the same query."""
    plan = _plan_with_year(plan_code, year, with_lock=True)
    organization = _organization(user, org_id)
    allowed = can_enter(user, organization) if write else can_read(user, organization, plan.region_id)
    if not allowed:
        raise PermissionDenied(_("你无权填报或查看该单位的数据。"))
    return PlanYear(plan, year, organization)


def get_plan_year_for_planner(user, plan_code, year) -> Plan:
    """A plan's reporting year for its planners (lock, unlock, completeness): those of its region."""
    plan = _plan_with_year(plan_code, year)
    require_plan_region(user, plan)
    return plan


def _plan_with_year(plan_code, year, with_lock=False) -> Plan:
    plans = Plan.objects.select_related("region").defer(*PLAN_TEXT_FIELDS)  # a check needs no plan text
    if with_lock:
        locks = ReportingYear.objects.filter(plan=OuterRef("pk"), year=year, is_locked=True)
        plans = plans.annotate(year_locked=Exists(locks))
    plan = get_object_or_404(plans, code=plan_code)
    if year not in plan.years():
        raise Http404(_("该规划没有 %(year)s 年度。") % {"year": year})
    return plan


def _organization(user, org_id) -> Organization:
    """The organization, from the user's memberships when they belong to it (the checks read those
    anyway), else from the database."""
    if user.is_authenticated:
        load_memberships(user)
        for membership in user.memberships.all():
            if membership.organization_id == org_id:
                return membership.organization
    return get_object_or_404(Organization, pk=org_id)


def get_value_for_user(user, pk, write=False) -> IndicatorValue:
    """One indicator value; write=True means entering or reviewing it."""
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__plan", "indicator__organization")
        .defer(*(f"indicator__plan__{name}" for name in PLAN_TEXT_FIELDS)), pk=pk
    )
    _check_record(user, value, value.indicator.organization_id, value.indicator.plan.region_id, write)
    return value


def get_progress_for_user(user, pk, write=False) -> ProjectProgress:
    """One project progress record; write=True means entering or reviewing it."""
    progress = get_object_or_404(
        ProjectProgress.objects.select_related("project__plan", "project__organization")
        .defer(*(f"project__plan__{name}" for name in PLAN_TEXT_FIELDS)), pk=pk
    )
    _check_record(user, progress, progress.project.organization_id, progress.project.plan.region_id, write)
    return progress


def _check_record(user, record, org_id, region_id, write: bool) -> None:
    if write:
        allowed = can_enter(user, org_id) or can_review(user, org_id)
    else:
        readable = record.state == State.APPROVED or can_read(user, org_id, region_id)
        allowed = user.is_authenticated and readable
    if not allowed:
        raise PermissionDenied(_("你无权访问该单位未经审核的数据。"))


def review_authors(records: Iterable) -> dict[int, frozenset[int]]:
    """Who entered or submitted each record (of one model) since it was last reviewed: its own
    who columns and every version in its history since then. They may not review it (four eyes)."""
    records = [r for r in records if r.pk is not None]
    if not records:
        return {}
    since = {r.pk: r.reviewed_at for r in records}
    authors = {r.pk: {r.entered_by_id, r.submitted_by_id} for r in records}
    versions = type(records[0]).history.filter(id__in=since).values_list(
        "id", "entered_by_id", "entered_at", "submitted_by_id", "submitted_at"
    )
    for pk, entered_by, entered_at, submitted_by, submitted_at in versions:
        for who, when in ((entered_by, entered_at), (submitted_by, submitted_at)):
            if when is not None and (since[pk] is None or when > since[pk]):
                authors[pk].add(who)
    return {pk: frozenset(who for who in people if who is not None) for pk, people in authors.items()}


def four_eyes(user, step: str, target, authors) -> str | None:
    """workflow.review_kind for this user and setting."""
    return workflow.review_kind(
        step, target, _person(user), authors, self_review_allowed=settings.GUIHUA_ALLOW_SELF_REVIEW
    )


def _person(user) -> int | None:
    """The reviewing person's id; None for the system — no user, or a system actor ``system:NAME``
    (accounts.actors: it loads published data under its own name and cannot log in), which has no
    eyes of its own to count."""
    if user is None or is_system_actor(user):
        return None
    return user.pk


def review_marks(user, records) -> dict[int, str]:
    """For the review page: of the submitted `records`, those the user entered or submitted, with
    workflow.SELF_REVIEW (allowed, recorded as such) or SELF_REVIEW_REFUSED (buttons hidden)."""
    marks = {}
    for pk, authors in review_authors(records).items():
        verdict = four_eyes(user, workflow.APPROVE, workflow.APPROVED, authors)
        if verdict != workflow.FOUR_EYES:
            marks[pk] = verdict
    return marks
