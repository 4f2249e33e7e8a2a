"""The overview's numbers, read from the stored assessments (``stored.py``, ``models.StoredAssessment``).

One GROUP BY over the plans' indicators joined to their current stored assessment gives the
verdict counts, warnings, completeness and demo flag of any number of plans; indicators without a
current row are assessed live (``selectors.indicator_row``) and counted, so the counts are always
those the live assessment gives. Nothing here writes: ``services.assessments_refresh`` stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Q, QuerySet, Value, When

from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue

from .selectors import (
    DEFERRED_FIELDS,
    VERDICT_CODES,
    PlanReport,
    attach_values,
    default_tolerance,
    default_year,
    indicator_row,
    period_years,
    plan_reports,
)
from .stored import current_assessment


@dataclass(frozen=True)
class PlanSummary:
    """A plan's verdict counts for one year, from the stored assessments: what the overview lists."""

    plan: Plan
    year: int | None
    counts: dict[str, int]  # verdict code → count, every code present
    total: int  # indicators
    warnings: int
    completeness: Decimal | None
    has_demo: bool


def plan_summaries(plans: Iterable[Plan], year: int | None) -> list[PlanSummary]:
    """Approved-only summaries of the plans, in their order, for `year` (None: each plan's default
    year), counted from the stored assessments in one query; a few more when some are out of date."""
    plans = list(plans)
    years = {plan.pk: year for plan in plans} if year is not None else _default_years(plans)
    dated = {plan_id: y for plan_id, y in years.items() if y is not None}
    totals = {}
    if dated:
        totals = _current_totals(Indicator.objects.filter(plan_id__in=list(dated)), _year_of_plan(dated))
    undated = {report.plan.pk: report for report in plan_reports([p for p in plans if p.pk not in dated], None)}
    return [
        _summary_of_report(undated[plan.pk]) if plan.pk in undated
        else _summary(plan, years[plan.pk], totals.get(plan.pk))
        for plan in plans
    ]  # fmt: skip


def verdict_counts(plans: Iterable[Plan] | QuerySet, year: int | None) -> dict[int, dict[str, int]]:
    """Plan id → verdict counts (approved values), for the overview: two queries for a queryset of
    any number of plans and a year, whatever their size, once the stored assessments are current."""
    if year is None or not isinstance(plans, QuerySet):
        return {summary.plan.pk: summary.counts for summary in plan_summaries(plans, year)}
    indicators = Indicator.objects.filter(plan__in=plans.values("pk"))
    totals = _current_totals(indicators, Value(year), details=False)
    return {plan_id: totals[plan_id]["counts"] if plan_id in totals else dict.fromkeys(VERDICT_CODES, 0)
            for plan_id in plans.values_list("pk", flat=True)}  # fmt: skip


def _default_years(plans: list[Plan]) -> dict[int, int | None]:
    """Each plan's default year (``default_year``) from its approved values' years (one query)."""
    data_years: dict[int, set[int]] = {plan.pk: set() for plan in plans}
    pairs = (
        IndicatorValue.objects.filter(indicator__plan__in=list(data_years), state=State.APPROVED)
        .values_list("indicator__plan_id", "year")
        .distinct()
    )
    for plan_id, value_year in pairs:
        data_years[plan_id].add(value_year)
    return {
        plan.pk: default_year(plan, period_years(plan, data_years[plan.pk]), data_years[plan.pk]) for plan in plans
    }


def _year_of_plan(years: dict[int, int]):
    """An SQL expression giving each indicator its plan's assessment year."""
    by_year: dict[int, list[int]] = {}
    for plan_id, year in years.items():
        by_year.setdefault(year, []).append(plan_id)
    return Case(*(When(plan_id__in=ids, then=Value(year)) for year, ids in by_year.items()), default=None)


def _current_totals(indicators: QuerySet, year, details: bool = True) -> dict[int, dict]:
    """Plan id → {"counts", "warnings", "reported", "demo"} of the indicators for `year` (an
    expression; without `details` only "counts"): current stored assessments counted in the
    database, the missing or outdated ones assessed live."""
    tolerance = default_tolerance()
    indicators = indicators.annotate(current=current_assessment(year, tolerance), assessment_year=year)
    totals, stale = _totals(indicators, details)
    if stale:
        _add_live(totals, indicators.filter(current__verdict__isnull=True), tolerance)
    return totals


def _empty_totals() -> dict:
    return {"counts": dict.fromkeys(VERDICT_CODES, 0), "warnings": 0, "reported": 0, "demo": False}


_DETAILS = {
    "warnings": Count("pk", filter=Q(current__warning=True)),
    "reported": Count("pk", filter=Q(current__reported=True)),
    "demo": Count("pk", filter=Q(current__demo=True)),
}


def _totals(indicators: QuerySet, details: bool) -> tuple[dict[int, dict], int]:
    """(plan id → totals, how many indicators have no current stored assessment): one GROUP BY."""
    rows = indicators.values_list("plan_id", "current__verdict").annotate(
        n=Count("pk"), **(_DETAILS if details else {})
    ).order_by()
    totals: dict[int, dict] = {}
    stale = 0
    for plan_id, verdict, n, *more in rows:
        total = totals.get(plan_id) or totals.setdefault(plan_id, _empty_totals())
        if verdict is None:
            stale += n
            continue
        total["counts"][verdict] += n
        if more:
            warnings, reported, demo = more
            total["warnings"] += warnings
            total["reported"] += reported
            total["demo"] = total["demo"] or demo > 0
    return totals, stale


def _add_live(totals: dict[int, dict], stale: QuerySet, tolerance: Decimal, chunk: int = 5000) -> None:
    """Assess the stale indicators live for their ``assessment_year`` and add them to `totals`,
    `chunk` indicators at a time (three queries each, memory bounded)."""
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        indicators = stale.filter(pk__in=ids[start : start + chunk]).select_related("plan")
        indicators = indicators.defer(*DEFERRED_FIELDS, "plan__source_text", "plan__source_note")
        for indicator in attach_values(list(indicators), include_unapproved=False):
            _count(totals, indicator, indicator_row(indicator, indicator.assessment_year, tolerance))


def _count(totals: dict[int, dict], indicator: Indicator, row) -> None:
    total = totals.get(indicator.plan_id) or totals.setdefault(indicator.plan_id, _empty_totals())
    total["counts"][row.assessment.verdict.value] += 1
    total["warnings"] += row.assessment.warning
    total["reported"] += indicator.assessment_year in row.values
    total["demo"] = total["demo"] or bool(row.demo_years)


def _summary(plan: Plan, year: int, total: dict | None) -> PlanSummary:
    total = total or _empty_totals()
    count = sum(total["counts"].values())
    completeness = Decimal(total["reported"]) / Decimal(count) if count else None
    return PlanSummary(plan, year, total["counts"], count, total["warnings"], completeness, total["demo"])


def _summary_of_report(report: PlanReport) -> PlanSummary:
    return PlanSummary(report.plan, report.year, report.counts, len(report.rows), report.warnings,
                       report.completeness, report.has_demo)  # fmt: skip
