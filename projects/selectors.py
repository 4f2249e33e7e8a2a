"""Read-side queries of the annual monitoring; each runs a constant number of queries."""
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import Organization
from indicators.models import Indicator
from plans.models import Plan

from . import access
from .access import PlanYear
from .choices import State
from .models import IndicatorValue, Project, ProjectProgress, ReportingYear
from .validation import format_decimal, percent_change

STATES = [State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED]
PRIOR_YEARS_SHOWN = 5
WHO = ("entered_by", "submitted_by", "reviewed_by")


def reporting_year(plan: Plan, year: int) -> ReportingYear | None:
    return ReportingYear.objects.filter(plan=plan, year=year).select_related("locked_by", "plan").first()


def prior_years(plan: Plan, year: int) -> list[int]:
    return [y for y in plan.years() if y < year][-PRIOR_YEARS_SHOWN:]


def previous_value(indicator: Indicator, year: int, approved: dict[int, Decimal]) -> Decimal | None:
    """The latest earlier approved value, else the baseline (same rule as services.previous_approved)."""
    earlier = [y for y in approved if y < year]
    if earlier:
        return approved[max(earlier)]
    if indicator.baseline_year and indicator.baseline_year < year:
        return indicator.baseline_value
    return None


# Entry pages ----------------------------------------------------------------------------------


@dataclass
class EntryRow:
    """One indicator on the entry page: its definition, this year's value and earlier approved ones."""

    indicator: Indicator
    current: IndicatorValue | None
    prior: list[tuple[int, Decimal | None]]
    previous: Decimal | None

    @property
    def baseline_shown(self) -> str:
        return format_decimal(self.indicator.baseline_value) or self.indicator.baseline_text

    @property
    def prior_shown(self) -> list[str]:
        return [format_decimal(value) for _year, value in self.prior]


def entry_rows(scope: PlanYear) -> list[EntryRow]:
    indicators = list(
        Indicator.objects.filter(plan=scope.plan, organization=scope.organization).order_by("number")
    )
    values = (
        IndicatorValue.objects.filter(indicator__in=indicators, year__lte=scope.year)
        .filter(Q(year=scope.year) | Q(state=State.APPROVED))
        .select_related(*WHO)
    )
    current, approved = {}, defaultdict(dict)
    for value in values:
        if value.year == scope.year:
            current[value.indicator_id] = value
        else:
            approved[value.indicator_id][value.year] = value.value
    years = prior_years(scope.plan, scope.year)
    return [
        EntryRow(
            indicator=ind,
            current=current.get(ind.pk),
            prior=[(y, approved[ind.pk].get(y)) for y in years],
            previous=previous_value(ind, scope.year, approved[ind.pk]),
        )
        for ind in indicators
    ]


@dataclass
class ProgressRow:
    project: Project
    current: ProjectProgress | None
    last_year: ProjectProgress | None

    @property
    def investment_shown(self) -> str:
        return format_decimal(self.current.investment) if self.current else ""


def progress_rows(scope: PlanYear) -> list[ProgressRow]:
    projects = list(
        Project.objects.filter(plan=scope.plan, organization=scope.organization)
        .select_related("section")
        .order_by("position", "pk")
    )
    records = ProjectProgress.objects.filter(project__in=projects, year__in=[scope.year, scope.year - 1])
    by_year = {(r.project_id, r.year): r for r in records.select_related(*WHO)}
    return [
        ProgressRow(p, by_year.get((p.pk, scope.year)), by_year.get((p.pk, scope.year - 1))) for p in projects
    ]


# Review queue ---------------------------------------------------------------------------------


@dataclass
class ReviewValue:
    record: IndicatorValue
    previous: Decimal | None

    @property
    def value_shown(self) -> str:
        return format_decimal(self.record.value)

    @property
    def previous_shown(self) -> str:
        return format_decimal(self.previous)

    @property
    def change_shown(self) -> str:
        if self.previous is None:
            return ""
        change = format_decimal(self.record.value - self.previous)
        return change if change.startswith("-") else f"+{change}"

    @property
    def change_percent(self) -> str:
        change = percent_change(self.previous, self.record.value)
        if change is None:
            return ""
        return "∞" if change.is_infinite() else f"{change:+.1f}%"


@dataclass
class ReviewProgress:
    record: ProjectProgress

    @property
    def investment_shown(self) -> str:
        return format_decimal(self.record.investment)


def review_queue(user) -> tuple[list[ReviewValue], list[ReviewProgress]]:
    """The submitted values and progress records the user reviews, oldest plans first."""
    org_ids = access.reviewer_organization_ids(user)
    earlier = IndicatorValue.objects.filter(
        indicator=OuterRef("indicator"), year__lt=OuterRef("year"), state=State.APPROVED
    ).order_by("-year")
    values = (
        IndicatorValue.objects.filter(state=State.SUBMITTED)
        .select_related("indicator__plan", "indicator__organization", "submitted_by")
        .annotate(previous_approved=Subquery(earlier.values("value")[:1]))
        .order_by("indicator__plan__code", "year", "indicator__number")
    )
    progress = (
        ProjectProgress.objects.filter(state=State.SUBMITTED)
        .select_related("project__plan", "project__organization", "submitted_by")
        .order_by("project__plan__code", "year", "project__position", "project_id")
    )
    if org_ids is not None:
        values = values.filter(indicator__organization_id__in=org_ids)
        progress = progress.filter(project__organization_id__in=org_ids)
    return [ReviewValue(v, _previous_for_review(v)) for v in values], [ReviewProgress(p) for p in progress]


def _previous_for_review(value: IndicatorValue) -> Decimal | None:
    if value.previous_approved is not None:
        return value.previous_approved
    return previous_value(value.indicator, value.year, {})


# Completeness ---------------------------------------------------------------------------------


@dataclass
class CompletenessRow:
    organization_id: int | None
    organization_name: str
    total: int
    counts: dict[str, int]

    @property
    def not_reported(self) -> int:
        return self.total - sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.not_reported] + [self.counts[s] for s in STATES]

    @property
    def reported_percent(self) -> int:
        return _percent(self.counts[State.SUBMITTED] + self.counts[State.APPROVED], self.total)

    @property
    def approved_percent(self) -> int:
        return _percent(self.counts[State.APPROVED], self.total)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class Completeness:
    indicators: list[CompletenessRow]
    projects: list[CompletenessRow]
    detail: dict[str, list[Indicator]] = field(default_factory=dict)

    @property
    def total(self) -> CompletenessRow:
        rows = self.indicators
        counts = {s: sum(r.counts[s] for r in rows) for s in STATES}
        return CompletenessRow(None, _("合计"), sum(r.total for r in rows), counts)


def completeness(plan: Plan, year: int) -> Completeness:
    """Counts by state per organization for the plan's indicators and projects, and each indicator's state."""
    return Completeness(
        indicators=_count_rows(Indicator.objects.filter(plan=plan), "values", year),
        projects=_count_rows(Project.objects.filter(plan=plan), "progress", year),
        detail=_indicator_states(plan, year),
    )


def _count_rows(queryset, relation: str, year: int) -> list[CompletenessRow]:
    this_year = {f"{relation}__year": year}
    by_state = {s.value: Count(relation, filter=Q(**this_year, **{f"{relation}__state": s})) for s in STATES}
    rows = (
        queryset.values("organization_id", "organization__name")
        .annotate(total=Count("id", distinct=True), **by_state)
        .order_by("organization__name")
    )
    return [
        CompletenessRow(
            r["organization_id"],
            r["organization__name"] or _("未指定责任单位"),
            r["total"],
            {s.value: r[s.value] for s in STATES},
        )
        for r in rows
    ]


def _indicator_states(plan: Plan, year: int) -> dict[str, list[Indicator]]:
    this_year = IndicatorValue.objects.filter(indicator=OuterRef("pk"), year=year)
    indicators = (
        Indicator.objects.filter(plan=plan)
        .select_related("organization")
        .annotate(state=Subquery(this_year.values("state")[:1]))
        .order_by("organization__name", "number")
    )
    detail = defaultdict(list)
    for indicator in indicators:
        detail[str(indicator.organization or _("未指定责任单位"))].append(indicator)
    return dict(detail)


# My tasks -------------------------------------------------------------------------------------


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
    access._load_memberships(user)
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


# History --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One changed field: when, who, on what, old → new, and the reason given."""

    when: datetime
    who: object
    subject: str
    field: str
    old: str
    new: str
    reason: str
    kind: str = "value"  # "value": a reported value; "indicator": the indicator's target or baseline


VALUE_FIELDS = ["value", "state", "source", "vintage", "note", "return_reason"]
INDICATOR_FIELDS = [
    "baseline_year", "baseline_value", "baseline_text", "target_year", "target_text",
    "target_kind", "target_value", "target_low", "target_high", "unit", "attribute",
]
INDICATOR_CREATION_FIELDS = ["baseline_value", "target_text"]


def indicator_history(indicator: Indicator, *, public_only: bool = False) -> list[HistoryRow]:
    """Every change of the indicator's values and of its target and baseline, newest first, in two queries.

    public_only hides what a user outside the organization may not see: records of values
    before they were approved.
    """
    value_records = (
        IndicatorValue.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    indicator_records = (
        Indicator.history.filter(id=indicator.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    rows = _diff_records(value_records, VALUE_FIELDS, VALUE_FIELDS, _value_subject, public_only)
    rows += [
        replace(row, kind="indicator")
        for row in _diff_records(
            indicator_records, INDICATOR_FIELDS, INDICATOR_CREATION_FIELDS, _indicator_subject, False
        )
    ]
    return sorted(rows, key=lambda r: r.when, reverse=True)


def indicator_history_for_user(user, indicator: Indicator) -> list[HistoryRow]:
    """The history the user may see: everything inside the organization, approved records outside it,
    and to anonymous visitors only the changes of the plan's own target and baseline."""
    rows = indicator_history(indicator, public_only=not access.can_read(user, indicator.organization_id))
    return rows if user.is_authenticated else [r for r in rows if r.kind == "indicator"]


def _value_subject(record) -> str:
    return _("%(year)s年数值") % {"year": record.year}


def _indicator_subject(record) -> str:
    return _("指标基期与目标")


def _diff_records(records, fields, creation_fields, subject, public_only) -> list[HistoryRow]:
    rows, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        names = fields if before is not None else creation_fields
        if not (public_only and record.state != State.APPROVED):
            rows += [_row(record, name, before, subject) for name in names if _changed(record, before, name)]
        previous[record.id] = record
    return rows


def _changed(record, before, name) -> bool:
    new = getattr(record, name)
    if before is None:
        return new not in (None, "")
    return getattr(before, name) != new


def _row(record, name, before, subject) -> HistoryRow:
    return HistoryRow(
        when=record.history_date,
        who=record.history_user,
        subject=subject(record),
        field=str(record._meta.get_field(name).verbose_name),
        old=_display(before, name) if before is not None else "",
        new=_display(record, name),
        reason=record.history_change_reason or "",
    )


def _display(record, name) -> str:
    value = getattr(record, name)
    field_ = record._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return format_decimal(value)
    return "" if value is None else str(value)
