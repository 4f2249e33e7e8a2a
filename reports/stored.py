"""Stored assessments (``models.StoredAssessment``), read through: use a row while it is current,
else assess again and write the row back.

A row keeps ``assess(indicator, year)`` from approved values with the configured tolerance, and
the change stamps of the indicator and its plan at the time. Writers never refresh rows: saving
an indicator or a plan gives it a new stamp, and every write of values calls
``indicators.services.indicators_changed``, so a row that no longer matches is simply not used.
This keeps the one-way dependency of the apps (nothing below ``reports`` knows these rows exist)
and cannot go stale through a forgotten refresh.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q

from .assessment import Assessment, SdgStatus, Trend, Verdict
from .models import StoredAssessment

_ENUMS = {"verdict": Verdict, "projected_verdict": Trend, "sdg_status": SdgStatus}
_DECIMALS = frozenset(f.name for f in fields(Assessment) if "Decimal" in str(f.type))
_UPDATED = ["verdict", "warning", "reported", "demo", "indicator_stamp", "plan_stamp", "tolerance", "assessment"]


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
    """Stored assessments of a batch of indicators: ``load`` the current rows (one query), ``get``
    them, ``keep`` new assessments and ``save`` them (one upsert per 1,000 rows).

    Indicators to ``keep`` must come with their plan loaded (``indicator.plan``), as the selectors
    give them.
    """

    def __init__(self, tolerance: Decimal):
        self.tolerance = tolerance
        self.found: dict[tuple[int, int], Assessment] = {}
        self.kept: dict[tuple[int, int], tuple[StoredAssessment, Assessment]] = {}

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

    def keep(self, indicator, year: int, assessment: Assessment, *, reported: bool, demo: bool) -> None:
        row = StoredAssessment(
            indicator_id=indicator.pk, year=year, verdict=assessment.verdict.value, warning=assessment.warning,
            reported=reported, demo=demo, indicator_stamp=indicator.change_stamp,
            plan_stamp=indicator.plan.change_stamp, tolerance=self.tolerance, assessment=assessment_data(assessment),
        )  # fmt: skip
        self.kept[indicator.pk, year] = (row, assessment)

    def save(self) -> int:
        """Write the kept rows over any older ones; returns how many. In (indicator, year) order, so
        two readers writing the same rows at once wait for each other instead of deadlocking."""
        rows = [self.kept[key][0] for key in sorted(self.kept)]
        if rows:
            StoredAssessment.objects.bulk_create(
                rows, batch_size=1000, update_conflicts=True, unique_fields=["indicator", "year"],
                update_fields=_UPDATED,
            )  # fmt: skip
        self.found.update((key, assessment) for key, (_row, assessment) in self.kept.items())
        self.kept.clear()
        return len(rows)


def analyze_store() -> None:
    """After many rows were stored: on PostgreSQL, let the planner know the table's new size at
    once (autovacuum may be off or behind, and a stale estimate turns the overview's join slow)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {StoredAssessment._meta.db_table}")
