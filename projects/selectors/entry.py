"""What the entry pages read: an organization's indicators or projects for a plan and year, with
this year's records and the earlier approved values shown beside them."""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from core.numbers import number_text
from indicators.models import Indicator
from plans.models import Plan

from ..access import PlanYear
from ..choices import State
from ..models import IndicatorValue, Project, ProjectProgress, ReportingYear
from ..reference import Reference
from ..validation import reference_label
from .reference import reference_for

PRIOR_YEARS_SHOWN = 5
WHO = ("entered_by", "submitted_by", "reviewed_by")


def reporting_year(plan: Plan, year: int) -> ReportingYear | None:
    found = ReportingYear.objects.filter(plan=plan, year=year).select_related("locked_by").first()
    if found is not None:
        found.plan = plan  # the lock message names it; no second read of the plan
    return found


def prior_years(plan: Plan, year: int) -> list[int]:
    return [y for y in plan.years() if y < year][-PRIOR_YEARS_SHOWN:]


@dataclass
class EntryRow:
    """One indicator on the entry page: its definition, this year's value and earlier approved ones."""

    indicator: Indicator
    year: int
    current: IndicatorValue | None
    prior: list[tuple[int, Decimal | None]]
    reference: Reference | None  # what a new value is compared with (projects.reference)

    @property
    def baseline_shown(self) -> str:
        return number_text(self.indicator.baseline_value) or self.indicator.baseline_text

    @property
    def prior_shown(self) -> list[str]:
        return [number_text(value) for _year, value in self.prior]

    @property
    def reference_shown(self) -> str:
        """“上一已审核值（2023年） 139”: what the jump check compares with, and which year."""
        if self.reference is None:
            return ""
        return f"{reference_label(self.reference, self.year)} {number_text(self.reference.value)}"


def entry_rows(scope: PlanYear) -> list[EntryRow]:
    indicators = list(
        Indicator.objects.filter(plan=scope.plan, organization=scope.organization).order_by("number")
    )
    for indicator in indicators:
        indicator.plan = scope.plan  # the write path reads it; no query per row
    values = (
        IndicatorValue.objects.filter(indicator_id__in=[i.pk for i in indicators], year__lte=scope.year)
        .filter(Q(year=scope.year) | Q(state=State.APPROVED))
        .select_related(*WHO)
        .order_by()  # the rows go into dicts; the model's ordering would join the indicator and the plan
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
            year=scope.year,
            current=current.get(ind.pk),
            prior=[(y, approved[ind.pk].get(y)) for y in years],
            reference=reference_for(ind, scope.year, approved[ind.pk]),
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
        return number_text(self.current.investment) if self.current else ""


def progress_rows(scope: PlanYear) -> list[ProgressRow]:
    projects = list(
        Project.objects.filter(plan=scope.plan, organization=scope.organization)
        .select_related("section")
        .order_by("position", "pk")
    )
    records = ProjectProgress.objects.filter(project__in=projects, year__in=[scope.year, scope.year - 1])
    by_year = {(r.project_id, r.year): r for r in records.select_related(*WHO).order_by()}
    return [
        ProgressRow(p, by_year.get((p.pk, scope.year)), by_year.get((p.pk, scope.year - 1))) for p in projects
    ]
