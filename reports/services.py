"""Storing assessments: the one writer of ``models.StoredAssessment`` (readers never write, see
``stored.py``).

``assessments_refresh`` stores the current assessment of the indicators in scope for each year of
their plan's period where the stored row is missing or out of date (every row with ``force``). It
runs after every write of values (``receivers.values_written_refresh``, connected in ``apps.py``)
and from ``manage.py refresh_assessments``; rows are written in (indicator, year) order, so two
refreshes of the same rows wait for each other instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet, Value

from indicators.models import Indicator
from plans.models import Plan

from .models import StoredAssessment
from .selectors import DEFERRED_FIELDS, IndicatorRow, attach_values, default_tolerance, indicator_row
from .stored import assessment_data, current_assessment

CHUNK = 5000  # indicators assessed per batch: three queries each, memory bounded
ANALYZE_AFTER = 1000  # rows: a refresh this large changes the table's statistics
_UPDATED = ["verdict", "warning", "reported", "demo", "indicator_stamp", "plan_stamp", "tolerance", "assessment"]


def assessments_refresh(
    indicator_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    *,
    force: bool = False,
    plans: QuerySet[Plan] | None = None,
) -> int:
    """Store the assessments of the indicators (all, those of `plans`, or `indicator_ids`) for each of
    `years` (default: every year of their plans' periods); returns how many rows were written."""
    tolerance = default_tolerance()
    scope = Indicator.objects.all()
    if plans is not None:
        scope = scope.filter(plan__in=plans.values("pk"))
    if indicator_ids is not None:
        scope = scope.filter(pk__in=sorted(set(indicator_ids)))
    covering = Plan.objects.filter(pk__in=scope.values("plan_id")).only("pk", "start_year", "end_year")
    stored = 0
    for year, plan_ids in _years_of_plans(covering, years).items():
        in_scope = scope.filter(plan_id__in=plan_ids).annotate(
            current=current_assessment(Value(year), tolerance), assessment_year=Value(year)
        )
        stored += store_assessments(in_scope if force else in_scope.filter(current__verdict__isnull=True), tolerance)
    if stored >= ANALYZE_AFTER:
        analyze_store()
    return stored


def _years_of_plans(plans: QuerySet[Plan], years: Iterable[int] | None) -> dict[int, list[int]]:
    """Year → the plans it is assessed for: each plan's period (a plan without one: every year asked)."""
    plans = list(plans)
    wanted = sorted({y for plan in plans for y in plan.years()}) if years is None else sorted(set(years))
    return {
        year: ids for year in wanted
        if (ids := [plan.pk for plan in plans if not plan.years() or year in plan.years()])
    }  # fmt: skip


def store_assessments(indicators: QuerySet[Indicator], tolerance: Decimal) -> int:
    """Assess the indicators (annotated with their ``assessment_year``) and write their rows over
    any older ones, CHUNK at a time; returns how many."""
    ids = list(indicators.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        batch = indicators.filter(pk__in=ids[start : start + CHUNK]).select_related("plan")
        batch = batch.defer(*DEFERRED_FIELDS, "plan__source_text", "plan__source_note").order_by("pk")
        rows = [_stored_row(ind, tolerance) for ind in attach_values(list(batch), include_unapproved=False)]
        StoredAssessment.objects.bulk_create(
            rows, batch_size=1000, update_conflicts=True, unique_fields=["indicator", "year"], update_fields=_UPDATED
        )
    return len(ids)


def _stored_row(indicator: Indicator, tolerance: Decimal) -> StoredAssessment:
    year = indicator.assessment_year
    row: IndicatorRow = indicator_row(indicator, year, tolerance)
    a = row.assessment
    return StoredAssessment(
        indicator_id=indicator.pk, year=year, verdict=a.verdict.value, warning=a.warning,
        reported=year in row.values, demo=bool(row.demo_years), indicator_stamp=indicator.change_stamp,
        plan_stamp=indicator.plan.change_stamp, tolerance=tolerance, assessment=assessment_data(a),
    )  # fmt: skip


def analyze_store() -> None:
    """After many rows were stored: on PostgreSQL, let the planner know the table's new size at
    once (autovacuum may be off or behind, and a stale estimate turns the overview's join slow)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {StoredAssessment._meta.db_table}")
