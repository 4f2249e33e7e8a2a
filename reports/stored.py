"""Stored assessments (``models.StoredAssessment``), read: a row is used while it is current.

A row keeps ``assess(indicator, year)`` from approved values with the configured tolerance, and
the change stamps of the indicator and its plan at the time. Every change renews a stamp (a value
write through ``indicators.services.indicators_changed``, an edit of an indicator or a plan in its
form or admin), so a row that no longer matches is simply not used: the reader assesses live. No
reader writes; rows are written by ``services.assessments_refresh`` only (after each value write,
through the ``projects.signals.values_written`` signal, and by ``manage.py refresh_assessments``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from decimal import Decimal

from django.db.models import F, FilteredRelation, Q

from .assessment import Assessment, SdgStatus, Trend, Verdict
from .models import StoredAssessment

_ENUMS = {"verdict": Verdict, "projected_verdict": Trend, "sdg_status": SdgStatus}
_DECIMALS = frozenset(f.name for f in fields(Assessment) if "Decimal" in str(f.type))


def assessment_data(assessment: Assessment) -> dict:
    """The assessment as JSON-safe data: Decimals as exact strings, codes as codes."""
    data = {}
    for f in fields(Assessment):
        value = getattr(assessment, f.name)
        if value is not None and (f.name in _DECIMALS or f.name in _ENUMS):
            value = str(value)
        data[f.name] = value
    return data


def assessment_from_data(data: dict) -> Assessment:
    values = {}
    for name, value in data.items():
        if value is not None and name in _DECIMALS:
            value = Decimal(value)
        elif value is not None and name in _ENUMS:
            value = _ENUMS[name](value)
        values[name] = value
    return Assessment(**values)


class AssessmentStore:
    """The current stored assessments of a batch of plans: ``load`` them (one query), ``get`` them."""

    def __init__(self, tolerance: Decimal):
        self.tolerance = tolerance
        self.found: dict[tuple[int, int], Assessment] = {}

    def load(self, plan_years: dict[int, int]) -> None:
        """Read the current rows of the plans' indicators, each plan for its year (one query; the
        stamps are compared in the database)."""
        by_year: dict[int, list[int]] = defaultdict(list)
        for plan_id, year in plan_years.items():
            by_year[year].append(plan_id)
        if not by_year:
            return
        where = Q()
        for year, plan_ids in by_year.items():
            where |= Q(year=year, indicator__plan_id__in=plan_ids)
        rows = StoredAssessment.objects.filter(
            where, tolerance=self.tolerance, indicator_stamp=F("indicator__change_stamp"),
            plan_stamp=F("indicator__plan__change_stamp"),
        ).values_list("indicator_id", "year", "assessment")  # fmt: skip
        for indicator_id, year, data in rows:
            self.found[indicator_id, year] = assessment_from_data(data)

    def get(self, indicator, year: int) -> Assessment | None:
        return self.found.get((indicator.pk, year))



def current_assessment(year, tolerance: Decimal) -> FilteredRelation:
    """An indicator's stored assessment for `year` (an expression) if it is current, for ``annotate``."""
    return FilteredRelation("stored_assessments", condition=Q(
        stored_assessments__year=year, stored_assessments__tolerance=tolerance,
        stored_assessments__indicator_stamp=F("change_stamp"), stored_assessments__plan_stamp=F("plan__change_stamp"),
    ))  # fmt: skip
